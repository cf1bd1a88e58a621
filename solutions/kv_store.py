"""Transactional key-value store: str keys and values, O(1) counts, nested transactions, and a
REPL on stdin."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

_EXIT_OK, _EXIT_IO, _EXIT_USAGE, _EXIT_INTERRUPTED = 0, 1, 2, 130  # as the card documents them

class KVStoreError(Exception):
    """Base class of the store's domain errors."""


class NoTransactionError(KVStoreError):
    """rollback() or commit() with no transaction open."""


def _check_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
    if not key:
        raise ValueError("key must be a non-empty str, got ''")
    return key


def _check_value(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"value must be a str, got {type(value).__name__}: {value!r}")
    return value


class KVStore:
    """String keys bound to string values, with nested transactions and O(1) counts by value."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}
        self._counts: dict[str, int] = {}  # value -> how many keys hold it (never 0)
        # One undo log per open transaction, innermost last: each key the transaction touched,
        # mapped to its binding before the first touch (None: the key was absent). Logging only
        # touched keys keeps begin() O(1) and a transaction's memory independent of the store size.
        self._undo: list[dict[str, str | None]] = []
        self._lock = threading.Lock()

    def set(self, key: str, value: str) -> None:
        """Bind `key` to `value`, inserting or overwriting."""
        _check_key(key)
        _check_value(value)
        with self._lock:
            self._remember(key)
            self._write(key, value)

    def get(self, key: str) -> str | None:
        """The value bound to `key`, or None when it is missing."""
        _check_key(key)
        with self._lock:
            return self._data.get(key)

    def delete(self, key: str) -> bool:
        """Remove `key`; True if it was there, False (and no change) if not."""
        _check_key(key)
        with self._lock:
            if key not in self._data:
                return False
            self._remember(key)
            self._write(key, None)
            return True

    def count(self, value: str) -> int:
        """How many keys are bound to `value`."""
        _check_value(value)
        with self._lock:
            return self._counts.get(value, 0)

    def begin(self) -> None:
        """Open a transaction, nested inside any already open."""
        with self._lock:
            self._undo.append({})

    def rollback(self) -> None:
        """Undo the innermost transaction's changes and close it; NoTransactionError if none."""
        with self._lock:
            if not self._undo:
                raise NoTransactionError("rollback() with no transaction open: call begin() first")
            for key, old in self._undo.pop().items():
                self._write(key, old)

    def commit(self) -> None:
        """Keep every change and close all open transactions; NoTransactionError if none."""
        with self._lock:
            if not self._undo:
                raise NoTransactionError("commit() with no transaction open: call begin() first")
            self._undo.clear()

    def _remember(self, key: str) -> None:
        """Log the value `key` had before the innermost transaction first touched it."""
        if self._undo and key not in self._undo[-1]:
            self._undo[-1][key] = self._data.get(key)

    def _write(self, key: str, value: str | None) -> None:
        """Bind `key` to `value` (None removes it) and keep the counts in step.

        Every change of a binding goes through here, so set, delete and rollback cannot disagree
        about the counts.
        """
        old = self._data.pop(key, None)
        if old is not None:
            if self._counts[old] == 1:
                del self._counts[old]
            else:
                self._counts[old] -= 1
        if value is not None:
            self._data[key] = value
            self._counts[value] = self._counts.get(value, 0) + 1


# --- the REPL --------------------------------------------------------------------------------

_USAGE = {  # each command's forms; the number of words in a form is its word count
    "SET": ("SET key value",),
    "GET": ("GET key",),
    "DELETE": ("DELETE key",),
    "COUNT": ("COUNT value",),
    "BEGIN": ("BEGIN",),
    "ROLLBACK": ("ROLLBACK",),
    "COMMIT": ("COMMIT",),
    "END": ("END",),
}


def _execute(store: KVStore, command: str, args: list[str]) -> str | None:
    """Run one command of the right word count; the line to print, if any (NoTransactionError
    passes up to the loop)."""
    match command:
        case "SET":
            store.set(args[0], args[1])
        case "GET":
            value = store.get(args[0])
            return "NULL" if value is None else value
        case "DELETE":
            store.delete(args[0])
        case "COUNT":
            return str(store.count(args[0]))
        case "BEGIN":
            store.begin()
        case "ROLLBACK":
            store.rollback()
        case "COMMIT":
            store.commit()
    return None


def _error(message: str) -> None:
    print(f"ERROR: {message}", file=sys.stderr, flush=True)


def _reply(store: KVStore, words: list[str]) -> str | None:
    """The line to print for one command line (None: nothing); a rejected one prints ERROR."""
    command, args = words[0].upper(), words[1:]
    forms = _USAGE.get(command)
    if forms is None:
        _error(f"unknown command {words[0]!r}: expected one of {', '.join(_USAGE)}")
        return None
    if len(words) not in {len(form.split()) for form in forms}:
        _error(f"{command} expects {' or '.join(map(repr, forms))}, got {' '.join(words)!r}")
        return None
    try:
        return _execute(store, command, args)
    except NoTransactionError:
        return "NO TRANSACTION"


def _serve(store: KVStore, lines: Iterable[str]) -> None:
    """Answer each command line, flushing every reply, until END or the end of `lines`."""
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0].upper() == "END" and len(words) == 1:
            return
        reply = _reply(store, words)
        if reply is not None:
            print(reply, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Read commands from sys.stdin, one per line, printing replies until END or end of input.

    Returns the exit code: 0 at the end of input, 1 when stdin or stdout fails, 2 for any
    argument, 130 on Ctrl-C; each non-zero code comes with one "ERROR: ..." line on stderr.
    """
    args = sys.argv[1:] if argv is None else argv
    if args:
        _error(f"kv_store takes no arguments (it reads commands from stdin), got {args!r}")
        return _EXIT_USAGE
    if sys.stdin is None or sys.stdin.closed:
        _error("standard input is closed: nothing to read commands from")
        return _EXIT_IO
    try:
        _serve(KVStore(), sys.stdin)
    except UnicodeDecodeError as exc:
        _error(f"the input is not UTF-8 text: {exc}")
        return _EXIT_IO
    except OSError as exc:  # a closed pipe or a full disk under stdout, a failing stdin
        _error(f"input or output failed: {exc}")
        return _EXIT_IO
    except KeyboardInterrupt:
        _error("interrupted")
        return _EXIT_INTERRUPTED
    return _EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
