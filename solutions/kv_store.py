"""Transactional key-value store: str keys and values, O(1) counts, nested transactions, keys that
expire, and a REPL on stdin."""

from __future__ import annotations

import heapq
import math
import reprlib
import sys
import threading
import time
from collections.abc import Callable, Iterable

_EXIT_OK, _EXIT_IO, _EXIT_USAGE, _EXIT_INTERRUPTED = 0, 1, 2, 130  # as the card documents them

# A key's binding: its value and the clock reading at which it expires (None: never).
_Binding = tuple[str, float | None]


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


def _check_ttl(ttl: object) -> float | None:
    """`ttl` as a float number of seconds (None: no expiry); TypeError or ValueError if unusable."""
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"ttl must be an int or float number of seconds, got "
                        f"{type(ttl).__name__}: {ttl!r}")
    try:
        seconds = float(ttl)
    except OverflowError:  # an int beyond float range is no more finite than inf
        seconds = math.inf
    if not 0 < seconds < math.inf:  # NaN fails both comparisons
        raise ValueError(f"ttl must be a finite number of seconds > 0, got {reprlib.repr(ttl)}")
    return seconds


class KVStore:
    """String keys bound to string values, with nested transactions and O(1) counts by value."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._data: dict[str, _Binding] = {}
        self._counts: dict[str, int] = {}  # value -> how many live keys hold it (never 0)
        # (deadline, key) for every binding written with a deadline, earliest first. Entries go
        # stale when the key is rewritten; _expire skips those instead of searching the heap.
        self._deadlines: list[tuple[float, str]] = []
        # One undo log per open transaction, innermost last: each key the transaction touched,
        # mapped to its binding before the first touch (None: the key was absent). Logging only
        # touched keys keeps begin() O(1) and a transaction's memory independent of the store size.
        self._undo: list[dict[str, _Binding | None]] = []
        self._lock = threading.Lock()

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        """Bind `key` to `value`, inserting or overwriting; with a `ttl` (seconds) it expires then."""
        _check_key(key)
        _check_value(value)
        seconds = _check_ttl(ttl)
        with self._lock:
            now = self._expire()
            self._remember(key)
            self._write(key, (value, None if seconds is None else now + seconds))

    def get(self, key: str) -> str | None:
        """The value bound to `key`, or None when it is missing."""
        _check_key(key)
        with self._lock:
            self._expire()
            binding = self._data.get(key)
            return None if binding is None else binding[0]

    def delete(self, key: str) -> bool:
        """Remove `key`; True if it was there, False (and no change) if not."""
        _check_key(key)
        with self._lock:
            self._expire()
            if key not in self._data:
                return False
            self._remember(key)
            self._write(key, None)
            return True

    def count(self, value: str) -> int:
        """How many keys are bound to `value`."""
        _check_value(value)
        with self._lock:
            self._expire()
            return self._counts.get(value, 0)

    def begin(self) -> None:
        """Open a transaction, nested inside any already open."""
        with self._lock:
            self._undo.append({})

    def rollback(self) -> None:
        """Undo the innermost transaction's changes and close it; NoTransactionError if none.

        Each key gets back its value and its deadline: one that passed meanwhile expires at once.
        """
        with self._lock:
            if not self._undo:
                raise NoTransactionError("rollback() with no transaction open: call begin() first")
            for key, old in self._undo.pop().items():
                self._write(key, old)
            self._expire()

    def commit(self) -> None:
        """Keep every change and close all open transactions; NoTransactionError if none."""
        with self._lock:
            if not self._undo:
                raise NoTransactionError("commit() with no transaction open: call begin() first")
            self._undo.clear()

    def _expire(self) -> float:
        """Drop every key whose deadline has come; the clock's reading.

        An expiry is the passing of time, not a change a transaction made: it is not logged, so no
        rollback brings the key back.
        """
        now = self._clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            deadline, key = heapq.heappop(self._deadlines)
            binding = self._data.get(key)
            if binding is not None and binding[1] == deadline:
                self._write(key, None)
        return now

    def _remember(self, key: str) -> None:
        """Log the binding `key` had before the innermost transaction first touched it."""
        if self._undo and key not in self._undo[-1]:
            self._undo[-1][key] = self._data.get(key)

    def _write(self, key: str, binding: _Binding | None) -> None:
        """Bind `key` (None removes it) and keep the counts and the deadlines in step.

        Every change of a binding goes through here, so set, delete, expiry and rollback cannot
        disagree about the counts.
        """
        old = self._data.pop(key, None)
        if old is not None:
            if self._counts[old[0]] == 1:
                del self._counts[old[0]]
            else:
                self._counts[old[0]] -= 1
        if binding is None:
            return
        value, deadline = binding
        self._data[key] = binding
        self._counts[value] = self._counts.get(value, 0) + 1
        if deadline is not None:
            heapq.heappush(self._deadlines, (deadline, key))


# --- the REPL --------------------------------------------------------------------------------

_USAGE = {  # each command's forms; the number of words in a form is its word count
    "SET": ("SET key value", "SET key value EX seconds"),
    "GET": ("GET key",),
    "DELETE": ("DELETE key",),
    "COUNT": ("COUNT value",),
    "BEGIN": ("BEGIN",),
    "ROLLBACK": ("ROLLBACK",),
    "COMMIT": ("COMMIT",),
    "END": ("END",),
}


def _ttl_words(words: list[str]) -> float | None:
    """The ttl of SET's optional `EX seconds`; ValueError naming a bad word."""
    if not words:
        return None
    marker, seconds = words
    if marker.upper() != "EX":
        raise ValueError(f"expected EX before the seconds, got {marker!r}")
    try:
        return _check_ttl(float(seconds))
    except ValueError:
        raise ValueError(f"seconds must be a finite number > 0, got {seconds!r}") from None


def _execute(store: KVStore, command: str, args: list[str]) -> str | None:
    """Run one command of the right word count; the line to print, if any.

    ValueError (a bad ttl) and NoTransactionError pass up to the loop.
    """
    match command:
        case "SET":
            store.set(args[0], args[1], ttl=_ttl_words(args[2:]))
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
    except ValueError as exc:
        _error(f"{command}: {exc}")
        return None


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
