"""Transactional key-value store

Size: short

The classic "simple database" question: an in-memory map from string keys to string values that
answers "how many keys hold this value?" instantly and supports nested transactions. Build the
store, then a small command-line front end for it.

Core (the 60-minute part):
- KVStore(): set(key, value) inserts or overwrites; get(key) returns the value or None when the key
  is missing; delete(key) removes the key and returns True, or returns False (changing nothing)
  when it is missing; count(value) is how many keys are bound to value right now (0 for none).
- Keys are non-empty str; values are str (the empty string included).
- begin() opens a transaction; transactions nest, and changes are visible at once, inside and out.
  rollback() undoes every set and delete since the innermost open begin() (counts included) and
  closes that transaction only: the outer ones stay open. commit() keeps every change and closes
  all open transactions.
- There is one store-wide stack of transactions, as in the classic problem, and the store is
  thread-safe: every call is atomic, and no thread ever sees a rollback half done.

Extensions (the stretch part, tests marked extension):
- main(argv=None) -> int runs a REPL: it reads commands from sys.stdin, prints each reply as one
  line on sys.stdout, flushed at once (another program may be waiting for it), and returns the
  exit code; it never calls sys.exit. argv is the command-line arguments (sys.argv[1:] when None).
  The file runs it: `python kv_store.py < commands.txt`. One command per line, words separated by
  whitespace, command names case-insensitive, keys and values case-sensitive, blank lines ignored.
    SET key value    DELETE key    BEGIN    (print nothing)
    GET key          prints the value, or NULL when the key is missing
    COUNT value      prints the count
    ROLLBACK, COMMIT print nothing, or NO TRANSACTION when none is open
    END              stops (so does the end of input)
- An unknown command, or a known one with the wrong number of words, prints one line starting with
  "ERROR:" to stderr, naming the command, and the loop goes on.
- Exit codes: 0 when the input ends (END or end of input), whatever ERROR lines came before.
  1 when the REPL cannot go on: stdin is closed (sys.stdin is None, as under `<&-`, or a closed
  file), stdin is not UTF-8 (reading it raises UnicodeDecodeError), or stdout is gone (an OSError
  from printing: a closed pipe as under `| head -1`, a full disk). 2 for any command-line
  argument (the REPL takes none). 130 on Ctrl-C (KeyboardInterrupt). Each non-zero exit prints
  exactly one line to stderr, starting with "ERROR:", and nothing else there: no traceback, and
  no "Exception ignored" from Python's own flush of a broken stdout at exit.

Errors:
- A non-str key or value raises TypeError, an empty key ValueError; the message names the argument
  (key or value) and the value received.
- rollback() or commit() with no transaction open raises NoTransactionError, a subclass of
  KVStoreError, whose message names the call ("rollback" or "commit").
- A rejected call changes nothing.

Example:
    >>> db = KVStore()
    >>> db.set("a", "10"); db.set("b", "10")
    >>> db.count("10")
    2
    >>> db.begin(); db.delete("a")
    True
    >>> db.begin(); db.set("b", "20")
    >>> db.rollback()                       # undoes the inner transaction only
    >>> db.get("a"), db.get("b"), db.count("10")
    (None, '10', 1)
    >>> db.commit()                         # closes the outer one, keeping the delete
    >>> try: db.rollback()
    ... except NoTransactionError as exc: print(exc)
    rollback() with no transaction open: call begin() first

    $ printf 'SET a 1\\nBEGIN\\nSET a 2\\nGET a\\nROLLBACK\\nGET a\\nCOMMIT\\n' | python kv_store.py
    2
    1
    NO TRANSACTION

Complexity:
- set, get, delete and count O(1): count must not scan (it answers as fast in a store of 20,000
  keys as in one of 1,000).
- begin O(1); a transaction's memory and its rollback time grow with the number of keys it touched,
  never with the size of the store.

Hints:
1. Keep a second dict from each value to how many keys hold it, and change it in the one place
   where a binding changes.
2. A transaction needs no copy of the store, only what to put back: record a key's old value (or
   that it was absent) the first time the transaction touches it, and never overwrite that record.
3. Transactions nest: keep a stack of those undo records. rollback replays the top one through the
   same write path, and commit throws them all away.

Change request:
Keys can expire. KVStore(clock=time.monotonic) takes the clock that expiry reads (a callable with
no arguments returning seconds; tests pass a fake one), and set(key, value, ttl=None) takes an
optional time to live in seconds. A key set with a ttl when clock() reads t expires at t + ttl:
from the first call at which clock() >= t + ttl it is absent everywhere (get returns None, delete
returns False, count leaves it out). count must not scan the store for expired keys: it answers as
fast with 3,000 keys holding a ttl as with 150. Every set replaces the key's deadline: without a
ttl the key is permanent again. ttl is an int or a float (bool is not a number here), else
TypeError; it must be > 0 and finite, else ValueError: 0, a negative, NaN, infinity, an int too
large for a float (10**400). Both messages name ttl; a rejected set changes nothing. rollback()
restores every key the transaction touched to its value and its deadline at begin(): a restored key
expires at its old deadline, at once if that has passed. Time is not rolled back: a key the
transaction did not touch that expired meanwhile stays expired. REPL: SET key value EX seconds (EX
in any case, seconds a number as float() reads it) sets with that ttl; a bad EX word or seconds
prints one ERROR: line naming that word, and the loop goes on.
"""

from __future__ import annotations


class KVStoreError(Exception):
    """Base class of the store's domain errors."""


class NoTransactionError(KVStoreError):
    """rollback() or commit() with no transaction open."""


class KVStore:
    """String keys bound to string values, with nested transactions and O(1) counts by value."""

    def __init__(self) -> None:
        """An empty store with no transaction open."""
        raise NotImplementedError

    def set(self, key: str, value: str) -> None:
        """Bind `key` to `value`, inserting or overwriting.

        TypeError for a non-str key or value, ValueError for an empty key.
        """
        raise NotImplementedError

    def get(self, key: str) -> str | None:
        """The value bound to `key`, or None when it is missing."""
        raise NotImplementedError

    def delete(self, key: str) -> bool:
        """Remove `key`; True if it was there, False (and no change) if not."""
        raise NotImplementedError

    def count(self, value: str) -> int:
        """How many keys are bound to `value`, in O(1); TypeError for a non-str value."""
        raise NotImplementedError

    def begin(self) -> None:
        """Open a transaction, nested inside any already open."""
        raise NotImplementedError

    def rollback(self) -> None:
        """Undo the innermost transaction's changes and close it; NoTransactionError if none."""
        raise NotImplementedError

    def commit(self) -> None:
        """Keep every change and close all open transactions; NoTransactionError if none."""
        raise NotImplementedError


def main(argv: list[str] | None = None) -> int:
    """Read commands from sys.stdin, one per line, and print the replies until END or end of input.

    `argv` is the command-line arguments (sys.argv[1:] when None); the REPL takes none. Returns the
    exit code: 0 at the end of input, 1 when stdin is closed or not UTF-8 or stdout fails, 2 for
    any argument, 130 on Ctrl-C; each non-zero code with exactly one "ERROR: ..." line on stderr.
    Unknown commands and wrong word counts print one "ERROR: ..." line to sys.stderr and go on.
    """
    raise NotImplementedError


if __name__ == "__main__":
    raise SystemExit(main())
