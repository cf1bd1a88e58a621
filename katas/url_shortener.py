"""URL shortener with a command line and safe persistence

Size: full

A team wants its own link shortener: turn long http(s) URLs into short codes, send a visitor from a
code to its URL, and keep the links in a JSON file between runs of a small command-line tool. Codes
must not be guessable, hostile input (javascript: URLs, hidden newlines) must never get in, and two
people running the tool at once must never lose each other's links.

Core (the 60-minute part):
- URLShortener(*, clock=time.time, code_length=7, rng=None). shorten(url) returns a new code of
  code_length random base62 characters (A-Z, a-z, 0-9), drawn with `secrets`, or from `rng` (a
  random.Random) when one is given: then rng is the only source of randomness, so one seed gives
  the same codes. Never a counter: codes must not be enumerable. A generated code never equals a
  code already in use, alias or generated; give up only after at least 1000 random tries.
- URL rules, checked in this order; InvalidURLError naming the first rule broken:
  * "str": a str (a URL is user input: a non-str is an InvalidURLError too, not a TypeError);
  * "2048": at most 2048 characters;
  * "character": no whitespace (str.isspace), no control character (Unicode category Cc) and no
    lone surrogate (category Cs: what undecodable bytes in argv become) anywhere. Check the raw
    string: urllib.parse.urlsplit silently drops some of them;
  * "scheme": scheme http or https, in any case;
  * "host" / "port": a non-empty host (an IPv6 address in brackets is fine); a port, if given, a
    number in 1-65535.
  The URL is stored and returned exactly as given.
- shorten(url, alias="my-link") makes the alias the code: 3-32 ASCII letters, digits, '-' or '_',
  case-sensitive; InvalidAliasError otherwise (str.isalnum() also accepts non-ASCII letters and
  digits, so it is not the test). AliasTakenError when a live link already has that code, even for
  the same URL.
- Idempotence: shorten(url) without an alias, for a URL that already has a live generated code,
  returns that code and changes nothing (a ttl passed then is ignored). Aliases do not count: the
  URL still gets its own generated code.
- resolve(code) returns the URL; LinkNotFoundError for a code that was never issued.
- save(path) writes every link to a JSON file; the classmethod load(path) (which also takes clock,
  code_length and rng) reads them back into a new shortener that behaves as the saved one did
  (codes, aliases, idempotence, expiry, hits); a missing file loads as empty and is not created.
- main(argv=None) -> int, run as `python url_shortener.py [--store FILE] COMMAND ...` (the default
  store is links.json in the current folder). Each run loads the store, runs one command, and
  saves if the command changed anything:
    shorten URL [--alias A] [--ttl SECONDS]   prints the code
    resolve CODE                              prints the URL (and counts a hit)
    stats CODE                                prints the link as a JSON object of Link's fields
    delete CODE                               prints nothing
    list                                      prints "CODE URL" per link, in creation order
  Every printed line ends with a newline; the JSON of stats is one line. main returns the exit
  code and never raises SystemExit (catch argparse's: --help prints help naming the commands and
  returns 0). Exit codes, and never a traceback:
    0  success;
    1  any ShortenerError, a lock file that cannot be made, or output that cannot be written (a
       closed pipe as in `| head`, a full disk): one line on stderr naming the problem, and for
       a ShortenerError nothing on stdout;
    2  a usage error (argparse's own, a --ttl that is not a positive finite number included):
       argparse's usage message on stderr, and no file is created or changed;
    130 Ctrl-C: one line on stderr; the store holds the old links or the new ones, never a mix.

Extensions (the stretch part, tests marked extension):
- Expiry: shorten(url, ttl=seconds) sets expires_at = created_at + ttl (created_at is clock()). A
  link is expired from expires_at on (clock() >= expires_at): resolve raises LinkExpiredError, not
  LinkNotFoundError (a web front answers 410 Gone rather than 404). An expired link stays until it
  is deleted or replaced: an alias held only by an expired link can be taken again (the new link
  replaces the old one), and a URL whose generated code expired gets a new code.
- Statistics: resolve counts a hit (a failed resolve does not). stats(code) returns a copy of the
  Link, expired ones included, without counting a hit; links() returns copies of every link,
  expired ones included, in creation order.
- delete(code) removes a link, expired or not; its code is then not found.
- Safe persistence: save is atomic (write a temporary file in the same folder, then os.replace it
  over the target): a reader never sees half a file, and when saving fails the old file is intact
  and no temporary file is left behind. A store path that is a symlink is saved through the link
  (the link stays a link; its target gets the new content), and an existing store keeps its
  permission bits. load raises StoreError naming the file when it cannot be read or is corrupt:
  not JSON (however deeply nested), truncated, of another version, a code twice, or a bad link (a
  missing field, a field of the wrong type, a code that is not 1-32 ASCII letters, digits, '-' or
  '_', a URL that breaks the URL rules, negative hits, a created_at or expires_at that is not a
  finite number); load never changes the file. The format, links in creation order:
    {"version": 1, "links": [{"code": "aZ3kQ9x", "url": "https://example.com",
      "created_at": 1700000000.0, "expires_at": null, "hits": 0, "alias": false}, ...]}
- Concurrent command lines: runs on one store never lose an update. A command that changes the
  store (shorten, resolve, delete) holds an exclusive lock from before load until after save:
  fcntl.flock on the file STORE.lock beside the store (beside the file a symlinked store points
  to), or msvcrt.locking where fcntl does not exist. The lock file stays in place.
- Thread-safe: any mix of calls from many threads.

Errors:
- Every message names the offending value with repr() (so it is one line) and what was expected.
  InvalidURLError names its rule with the word in quotes above. InvalidAliasError covers a non-str
  alias too. A LinkExpiredError message says "expired" (and a LinkNotFoundError's does not).
- Other wrong types (code, ttl, clock, code_length, rng, path) raise TypeError; a bool is not a
  number here (ttl=True and code_length=True are TypeErrors, "hits": true makes a bad store).
  Bad values raise ValueError: a ttl that is not positive and finite (NaN, inf, and an int too
  large for a float such as 10**400 included), a code_length outside 1-32.
- ShortenerError is the base of InvalidURLError, InvalidAliasError, AliasTakenError,
  LinkNotFoundError, LinkExpiredError and StoreError. When no free code of code_length turns up,
  shorten raises ShortenerError saying the code space is "exhausted". save raises StoreError
  naming the file when it cannot write it.
- A rejected call changes nothing.

Example:
    >>> links = URLShortener(rng=random.Random(7))
    >>> code = links.shorten("https://example.com/a/very/long/path")
    >>> len(code), links.shorten("https://example.com/a/very/long/path") == code
    (7, True)
    >>> links.shorten("https://example.com", alias="home")
    'home'
    >>> links.resolve("home"), links.stats("home").hits
    ('https://example.com', 1)
    >>> try:
    ...     links.shorten("javascript:alert(1)")
    ... except InvalidURLError as error:
    ...     print(error)
    URL 'javascript:alert(1)' has scheme 'javascript': expected http or https

    $ python url_shortener.py shorten https://example.com --alias home
    home
    $ python url_shortener.py resolve home
    https://example.com
    $ python url_shortener.py resolve nope; echo $?
    error: no link with code 'nope'
    1

Complexity:
- shorten, resolve, stats and delete take O(1) time on average (plus the URL's length): with
  10,000 links they are as fast as with 1,000. save and load are O(n).

Hints:
1. Validate the raw string first, then parse it: urlsplit is a parser, not a validator.
2. Decide "is this link live?" in one place and use it for resolve, alias reuse and idempotence.
3. A dict code -> Link answers resolve and every collision check; a second dict URL -> generated
   code makes idempotence O(1). For the CLI: lock, load, run one command, save, unlock; let
   argparse own exit code 2, and flush stdout yourself inside main.

Change request:
Links get owners, and each owner a quota.
- shorten(url, *, alias=None, ttl=None, owner=None): owner is None (no owner, as before) or a
  non-empty str (TypeError for another type, ValueError for ""). Link gains a last field
  owner: str | None = None.
- URLShortener(..., quota=None) and load(path, ..., quota=None): None means no limit, else an int
  of at least 1 (a bool is not a number here; TypeError / ValueError otherwise). An owner may hold
  at most quota live links: a shorten that would create one more raises QuotaExceededError (a
  ShortenerError) naming the owner and the quota, and changes nothing. Expired links do not count,
  and deleting a link frees its place. Links without an owner count against no quota. An alias
  held by a live link is still AliasTakenError, whatever the quota.
- Idempotence is per owner: shorten(url, owner="ann") returns ann's live generated code for that
  URL (even when she is at her quota), never another owner's; bob gets his own code for the same
  URL. Links without an owner share one space, as before.
- links(owner=None): with an owner, that owner's links only (expired ones included), in creation
  order; [] for an owner who has none. TypeError / ValueError for an owner as above.
- save and load keep owners: each record gains an "owner" field (a str, or null), and a record
  without one (a store written before this change) loads with owner None.
- The command line is unchanged.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass


class ShortenerError(Exception):
    """Base class of the shortener's domain errors."""


class InvalidURLError(ShortenerError):
    """A URL that breaks one of the URL rules."""


class InvalidAliasError(ShortenerError):
    """An alias that is not 3-32 ASCII letters, digits, '-' or '_'."""


class AliasTakenError(ShortenerError):
    """An alias that a live link already uses."""


class LinkNotFoundError(ShortenerError):
    """A code that was never issued, or whose link was deleted."""


class LinkExpiredError(ShortenerError):
    """A code whose link has expired."""


class StoreError(ShortenerError):
    """A store file that cannot be read or written."""


@dataclass
class Link:
    """One short link, as stats() and links() report it."""

    code: str
    url: str
    created_at: float
    expires_at: float | None
    hits: int


class URLShortener:
    """Short codes for http(s) URLs; thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.time, code_length: int = 7,
                 rng: random.Random | None = None) -> None:
        """An empty shortener.

        `clock` returns seconds; `code_length`, an int of 1-32 (a bool is not a number here), is the
        length of generated codes; `rng`, a random.Random, replaces `secrets` for deterministic
        tests. TypeError for a wrong type, ValueError for a bad value.
        """
        raise NotImplementedError

    def shorten(self, url: str, *, alias: str | None = None, ttl: float | None = None) -> str:
        """The code for `url`: `alias` if given, else its live generated code or a new one.

        InvalidURLError, InvalidAliasError, AliasTakenError; ttl: TypeError unless an int or a
        float (a bool is not a number here), ValueError unless positive and finite (10**400 is
        not); ShortenerError when the code space is exhausted.
        """
        raise NotImplementedError

    def resolve(self, code: str) -> str:
        """The URL behind `code`, counting a hit.

        LinkNotFoundError for an unknown or deleted code, LinkExpiredError for an expired link.
        """
        raise NotImplementedError

    def stats(self, code: str) -> Link:
        """A copy of the link behind `code` (expired ones too); no hit is counted."""
        raise NotImplementedError

    def delete(self, code: str) -> None:
        """Remove the link behind `code`; LinkNotFoundError if there is none."""
        raise NotImplementedError

    def links(self) -> list[Link]:
        """Copies of every link, expired ones included, in creation order."""
        raise NotImplementedError

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every link to `path` as JSON, atomically.

        Through a symlink (the link stays a link); an existing file keeps its permission bits.
        TypeError for a path that is not a str or os.PathLike; StoreError naming the file if it
        cannot be written.
        """
        raise NotImplementedError

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time,
             code_length: int = 7, rng: random.Random | None = None) -> URLShortener:
        """A shortener holding the links saved at `path` (none if the file does not exist).

        StoreError naming the file if it cannot be read or is not a valid store; the file is
        left as it is.
        """
        raise NotImplementedError


def main(argv: list[str] | None = None) -> int:
    """Run the command line (`argv` defaults to sys.argv[1:]); return the exit code.

    0 on success; 1 for a ShortenerError, a lock file that cannot be made or output that cannot be
    written (one line on stderr); 2 for a usage error (argparse's message); 130 on Ctrl-C (one
    line on stderr). Never raises SystemExit, never shows a traceback.
    """
    raise NotImplementedError


if __name__ == "__main__":
    raise SystemExit(main())
