"""URL shortener: unguessable codes, aliases, expiry, hit counts, owners with quotas, atomic JSON
persistence, and a command line whose concurrent runs never lose an update."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import random
import re
import secrets
import stat
import string
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

try:
    import fcntl
except ImportError:  # Windows: lock a byte of the lock file with msvcrt instead
    fcntl = None
    import msvcrt


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


class QuotaExceededError(ShortenerError):
    """An owner who already holds `quota` live links asks for one more."""


@dataclass
class Link:
    """One short link, as stats() and links() report it."""

    code: str
    url: str
    created_at: float
    expires_at: float | None
    hits: int
    owner: str | None = None


_ALPHABET = string.ascii_letters + string.digits
# Explicit ASCII ranges: str.isalnum() and \w would also accept digits and letters of other scripts.
_ALIAS = re.compile(r"[A-Za-z0-9_-]{3,32}")
# \s is exactly str.isspace(); then Unicode category Cc (control characters) and Cs (surrogates:
# what undecodable bytes in argv become, and what no file or terminal can encode).
_UNSAFE_CHARACTER = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_STORED_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_MAX_URL_LENGTH = 2048
_MAX_ATTEMPTS = 1000
_STORE_VERSION = 1
_RECORD_KEYS = {"code", "url", "created_at", "expires_at", "hits", "alias"}


def _check_url(url: object) -> None:
    """InvalidURLError naming the first rule `url` breaks, if it is not an acceptable URL."""
    if not isinstance(url, str):
        raise InvalidURLError(f"URL {url!r} is a {type(url).__name__}: expected a str")
    if len(url) > _MAX_URL_LENGTH:
        raise InvalidURLError(f"URL {url!r} has {len(url)} characters: at most "
                              f"{_MAX_URL_LENGTH} allowed")
    # On the raw string: urlsplit quietly drops leading blanks, tabs and newlines.
    unsafe = _UNSAFE_CHARACTER.search(url)
    if unsafe:
        raise InvalidURLError(f"URL {url!r} has a whitespace, control or surrogate character "
                              f"{unsafe.group()!r} at position {unsafe.start()}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a malformed IPv6 host or a non-numeric / out-of-range port
        raise InvalidURLError(f"URL {url!r} has a bad host or port: {exc}") from None
    if parts.scheme not in ("http", "https"):  # urlsplit lowercases the scheme
        raise InvalidURLError(f"URL {url!r} has scheme {parts.scheme!r}: expected http or https")
    if not parts.hostname:
        raise InvalidURLError(f"URL {url!r} has no host: expected http(s)://host/...")
    if port is not None and not 1 <= port <= 65535:
        raise InvalidURLError(f"URL {url!r} has port {port}: expected 1-65535")


def _check_alias(alias: object) -> None:
    if not isinstance(alias, str) or not _ALIAS.fullmatch(alias):
        raise InvalidAliasError(f"alias {alias!r} is invalid: expected 3-32 ASCII letters, "
                                f"digits, '-' or '_'")


def _is_finite_number(value: object) -> bool:
    """An int or float (a bool is not a number here) that a float holds, neither NaN nor inf."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float, such as 10**400
        return False


def _check_ttl(ttl: object) -> None:
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"ttl must be a number of seconds, got {type(ttl).__name__}: {ttl!r}")
    if not (_is_finite_number(ttl) and ttl > 0):
        raise ValueError(f"ttl must be a positive finite number of seconds, got {ttl!r}")


def _check_positive_int(name: str, value: object, most: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if value < 1 or (most is not None and value > most):
        expected = f"1-{most}" if most is not None else "at least 1"
        raise ValueError(f"{name} must be {expected}, got {value!r}")


def _check_owner(owner: object) -> str:
    if not isinstance(owner, str):
        raise TypeError(f"owner must be a str, got {type(owner).__name__}: {owner!r}")
    if not owner:
        raise ValueError(f"owner must be a non-empty str, got {owner!r}")
    return owner


def _check_path(path: object) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}: {path!r}")
    return os.fspath(path)


def _is_live(link: Link, now: float) -> bool:
    return link.expires_at is None or now < link.expires_at


def _link_from_record(record: object) -> tuple[Link, bool]:
    """A stored record as (link, is_alias); ValueError or InvalidURLError saying what is wrong."""
    if not isinstance(record, dict) or not _RECORD_KEYS <= record.keys() <= _RECORD_KEYS | {
            "owner"}:
        raise ValueError(f"expected an object with keys {sorted(_RECORD_KEYS)} (owner optional)")
    link = Link(record["code"], record["url"], record["created_at"], record["expires_at"],
                record["hits"], record.get("owner"))
    checks = {
        "code": isinstance(link.code, str) and _STORED_CODE.fullmatch(link.code) is not None,
        "created_at": _is_finite_number(link.created_at),
        "expires_at": link.expires_at is None or _is_finite_number(link.expires_at),
        "hits": type(link.hits) is int and link.hits >= 0,
        "alias": isinstance(record["alias"], bool),
        "owner": link.owner is None or (isinstance(link.owner, str) and link.owner != ""),
    }
    bad = [key for key, ok in checks.items() if not ok]
    if bad:
        raise ValueError(f"bad {', '.join(bad)}")
    _check_url(link.url)
    return link, record["alias"]


def _write_atomically(target: str, text: str) -> None:
    """Write a sibling temporary file, then rename it over `target`: a reader sees the old file
    or the new one, never half of one. The new file keeps the permission bits of the old."""
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target),
                                prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class URLShortener:
    """Short codes for http(s) URLs; thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.time, code_length: int = 7,
                 rng: random.Random | None = None, quota: int | None = None) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        _check_positive_int("code_length", code_length, 32)
        if rng is not None and not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random or None, got {type(rng).__name__}: "
                            f"{rng!r}")
        if quota is not None:
            _check_positive_int("quota", quota)
        self._clock = clock
        self._code_length = code_length
        self._rng = secrets.SystemRandom() if rng is None else rng
        self._quota = quota
        self._links: dict[str, Link] = {}  # code -> link, in creation order
        self._aliases: set[str] = set()
        self._generated: dict[tuple[str | None, str], str] = {}  # (owner, url) -> newest code
        self._owned: dict[str, dict[str, None]] = {}  # owner -> codes, in creation order
        self._lock = threading.Lock()

    def shorten(self, url: str, *, alias: str | None = None, ttl: float | None = None,
                owner: str | None = None) -> str:
        """The code for `url`: `alias` if given, else the owner's live generated code for it or
        a new one."""
        _check_url(url)
        if alias is not None:
            _check_alias(alias)
        if ttl is not None:
            _check_ttl(ttl)
        if owner is not None:
            _check_owner(owner)
        with self._lock:
            now = self._clock()
            if alias is None:
                existing = self._generated.get((owner, url))
                if existing is not None and _is_live(self._links[existing], now):
                    return existing
            elif alias in self._links and _is_live(self._links[alias], now):
                raise AliasTakenError(f"alias {alias!r} is taken by a live link to "
                                      f"{self._links[alias].url!r}")
            self._check_quota(owner, now)
            code = self._new_code() if alias is None else alias
            if code in self._links:  # an expired link gives its alias up
                self._remove(code)
            self._add(Link(code, url, now, None if ttl is None else now + ttl, 0, owner),
                      is_alias=alias is not None)
            return code

    def resolve(self, code: str) -> str:
        """The URL behind `code`, counting a hit; LinkNotFoundError or LinkExpiredError."""
        with self._lock:
            link = self._find(code)
            if not _is_live(link, self._clock()):
                raise LinkExpiredError(f"link {code!r} expired at {link.expires_at}")
            link.hits += 1
            return link.url

    def stats(self, code: str) -> Link:
        """A copy of the link behind `code` (expired ones too); no hit is counted."""
        with self._lock:
            return dataclasses.replace(self._find(code))

    def delete(self, code: str) -> None:
        """Remove the link behind `code`; LinkNotFoundError if there is none."""
        with self._lock:
            self._find(code)
            self._remove(code)

    def links(self, owner: str | None = None) -> list[Link]:
        """Copies of every link (or every link of `owner`), expired ones included, in creation
        order."""
        with self._lock:
            codes = self._links if owner is None else self._owned.get(_check_owner(owner), {})
            return [dataclasses.replace(self._links[code]) for code in codes]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every link to `path` as JSON, atomically; StoreError if it cannot be written."""
        # Through a symlink: replacing the link itself would leave its target stale.
        target = os.path.realpath(_check_path(path))
        with self._lock:
            state = {"version": _STORE_VERSION, "links": [
                {**dataclasses.asdict(link), "alias": code in self._aliases}
                for code, link in self._links.items()]}
        text = json.dumps(state, indent=1)
        try:
            _write_atomically(target, text)
        except OSError as exc:
            raise StoreError(f"cannot save links to {os.fspath(path)!r}: {exc}") from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time,
             code_length: int = 7, rng: random.Random | None = None,
             quota: int | None = None) -> URLShortener:
        """A shortener holding the links saved at `path` (none if the file does not exist).

        StoreError naming the file if it cannot be read or is not a valid store; the file is
        left as it is.
        """
        source = _check_path(path)
        shortener = cls(clock=clock, code_length=code_length, rng=rng, quota=quota)
        try:
            with open(source, encoding="utf-8") as file:
                state: Any = json.load(file)
        except FileNotFoundError:
            return shortener
        except (OSError, ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, [[[[...
            raise StoreError(f"cannot read link store {source!r}: {exc}") from None
        if not isinstance(state, dict) or state.get("version") != _STORE_VERSION \
                or not isinstance(state.get("links"), list):
            raise StoreError(f"{source!r} is not a version {_STORE_VERSION} link store: expected "
                             f'{{"version": {_STORE_VERSION}, "links": [...]}}')
        for record in state["links"]:
            try:
                link, is_alias = _link_from_record(record)
            except (ValueError, InvalidURLError) as exc:
                raise StoreError(f"link store {source!r} holds a bad link {record!r}: "
                                 f"{exc}") from None
            if link.code in shortener._links:
                raise StoreError(f"link store {source!r} holds code {link.code!r} twice")
            shortener._add(link, is_alias)
        return shortener

    def _find(self, code: str) -> Link:
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {type(code).__name__}: {code!r}")
        link = self._links.get(code)
        if link is None:
            raise LinkNotFoundError(f"no link with code {code!r}")
        return link

    def _add(self, link: Link, is_alias: bool) -> None:
        self._links[link.code] = link
        if is_alias:
            self._aliases.add(link.code)
        else:
            self._generated[(link.owner, link.url)] = link.code
        if link.owner is not None:
            self._owned.setdefault(link.owner, {})[link.code] = None

    def _remove(self, code: str) -> None:
        link = self._links.pop(code)
        self._aliases.discard(code)
        if self._generated.get((link.owner, link.url)) == code:
            del self._generated[(link.owner, link.url)]
        if link.owner is not None:
            del self._owned[link.owner][code]

    def _check_quota(self, owner: str | None, now: float) -> None:
        if owner is None or self._quota is None:
            return
        live = sum(_is_live(self._links[code], now) for code in self._owned.get(owner, {}))
        if live >= self._quota:
            raise QuotaExceededError(f"owner {owner!r} already holds {live} live links: the "
                                     f"quota is {self._quota}")

    def _new_code(self) -> str:
        """A random code no link uses: a counter would let anyone enumerate every link."""
        for _ in range(_MAX_ATTEMPTS):
            code = "".join(self._rng.choices(_ALPHABET, k=self._code_length))
            if code not in self._links:
                return code
        raise ShortenerError(f"code space exhausted: no free code of length "
                             f"{self._code_length} after {_MAX_ATTEMPTS} tries; use a longer "
                             f"code_length")


# --- the command line ------------------------------------------------------------------------

_CHANGING_COMMANDS = ("shorten", "resolve", "delete")


@contextlib.contextmanager
def _store_lock(store: str) -> Iterator[None]:
    """Hold an exclusive lock on STORE.lock (beside the file a symlinked store points to) for the
    block, so that concurrent runs load, change and save one after another."""
    fd = os.open(os.path.realpath(store) + ".lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # msvcrt retries for about 10 s, then raises OSError
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock; it stays for the next run


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive number of seconds")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="url_shortener",
                                     description="Shorten URLs; links persist in a JSON file.")
    parser.add_argument("--store", default="links.json", metavar="FILE",
                        help="the link store (default: %(default)s in the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shorten = commands.add_parser("shorten", help="print a short code for URL")
    shorten.add_argument("url")
    shorten.add_argument("--alias", help="use this code instead of a random one")
    shorten.add_argument("--ttl", type=_positive_seconds, metavar="SECONDS",
                         help="the link expires after this many seconds")
    for name, text in (("resolve", "print the URL behind CODE and count a hit"),
                       ("stats", "print the link behind CODE as JSON"),
                       ("delete", "remove the link behind CODE")):
        commands.add_parser(name, help=text).add_argument("code")
    commands.add_parser("list", help="print every link as CODE URL")
    return parser


def _command(shortener: URLShortener, args: argparse.Namespace) -> list[str]:
    """Run one command on a loaded shortener; the lines it prints."""
    if args.command == "shorten":
        return [shortener.shorten(args.url, alias=args.alias, ttl=args.ttl)]
    if args.command == "resolve":
        return [shortener.resolve(args.code)]
    if args.command == "stats":
        return [json.dumps(dataclasses.asdict(shortener.stats(args.code)))]
    if args.command == "delete":
        shortener.delete(args.code)
        return []
    return [f"{link.code} {link.url}" for link in shortener.links()]


def _run(args: argparse.Namespace) -> list[str]:
    """Load the store, run the command and save what it changed, all under the store's lock."""
    changes = args.command in _CHANGING_COMMANDS
    with _store_lock(args.store) if changes else contextlib.nullcontext():
        shortener = URLShortener.load(args.store)
        lines = _command(shortener, args)
        if changes:
            shortener.save(args.store)
    return lines


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (a captured stdout)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def _print(lines: list[str]) -> int:
    """Print the lines; exit code 1 with one line on stderr when stdout takes no more."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()  # a closed pipe or a full disk shows here rather than at exit
    except (OSError, UnicodeEncodeError) as exc:  # the latter: a stdout that cannot take é
        _discard_stdout()
        return _fail(f"error: cannot write the output: {exc}", 1)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line: 0 on success, 1 for an error, 2 for a usage error, 130 on Ctrl-C."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse exits on --help (0) and on usage errors (2)
        return int(exit_.code or 0)
    try:
        return _print(_run(args))
    except (ShortenerError, OSError) as exc:  # OSError: the lock file cannot be made or locked
        return _fail(f"error: {exc}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    raise SystemExit(main())
