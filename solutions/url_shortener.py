"""URL shortener: unguessable codes, aliases, expiry, hit counts, atomic JSON persistence, a CLI."""

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
import string
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


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


_ALPHABET = string.ascii_letters + string.digits
# Explicit ASCII ranges: str.isalnum() and \w would also accept digits and letters of other scripts.
_ALIAS = re.compile(r"[A-Za-z0-9_-]{3,32}")
# \s is exactly str.isspace(); the ranges are Unicode category Cc (control characters).
_UNSAFE_CHARACTER = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_STORED_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_MAX_URL_LENGTH = 2048
_MAX_ATTEMPTS = 1000
_STORE_VERSION = 1
_RECORD_KEYS = {"code", "url", "created_at", "expires_at", "hits", "alias"}


def _check_url(url: object) -> None:
    """InvalidURLError naming the rule `url` breaks, if it is not an acceptable http(s) URL."""
    if not isinstance(url, str):
        raise InvalidURLError(f"URL {url!r} is a {type(url).__name__}: expected a str")
    if len(url) > _MAX_URL_LENGTH:
        raise InvalidURLError(f"URL {url!r} has {len(url)} characters: at most "
                              f"{_MAX_URL_LENGTH} allowed")
    _reject_unsafe_characters(url)
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


def _reject_unsafe_characters(url: str) -> None:
    # On the raw string: urlsplit quietly drops leading blanks, tabs and newlines.
    unsafe = _UNSAFE_CHARACTER.search(url)
    if unsafe:
        raise InvalidURLError(f"URL {url!r} has a whitespace or control character "
                              f"{unsafe.group()!r} at position {unsafe.start()}")


def _check_alias(alias: object) -> None:
    if not isinstance(alias, str) or not _ALIAS.fullmatch(alias):
        raise InvalidAliasError(f"alias {alias!r} is invalid: expected 3-32 ASCII letters, "
                                f"digits, '-' or '_'")


def _check_ttl(ttl: object) -> None:
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"ttl must be a number of seconds, got {type(ttl).__name__}: {ttl!r}")
    if not (math.isfinite(ttl) and ttl > 0):
        raise ValueError(f"ttl must be a positive finite number of seconds, got {ttl!r}")


def _check_code(code: object) -> str:
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, got {type(code).__name__}: {code!r}")
    return code


def _check_path(path: object) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}: {path!r}")
    return os.fspath(path)


def _is_live(link: Link, now: float) -> bool:
    return link.expires_at is None or now < link.expires_at


def _is_number(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _link_from_record(record: object) -> tuple[Link, bool]:
    """A stored record as (link, is_alias); ValueError or InvalidURLError saying what is wrong."""
    if not isinstance(record, dict) or record.keys() != _RECORD_KEYS:
        raise ValueError(f"expected an object with keys {sorted(_RECORD_KEYS)}")
    link = Link(record["code"], record["url"], record["created_at"], record["expires_at"],
                record["hits"])
    checks = {
        "code": isinstance(link.code, str) and _STORED_CODE.fullmatch(link.code) is not None,
        "created_at": _is_number(link.created_at),
        "expires_at": link.expires_at is None or _is_number(link.expires_at),
        "hits": type(link.hits) is int and link.hits >= 0,
        "alias": isinstance(record["alias"], bool),
    }
    bad = [key for key, ok in checks.items() if not ok]
    if bad:
        raise ValueError(f"bad {', '.join(bad)}")
    _check_url(link.url)
    return link, record["alias"]


class URLShortener:
    """Short codes for http(s) URLs; thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.time, code_length: int = 7,
                 rng: random.Random | None = None) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        if isinstance(code_length, bool) or not isinstance(code_length, int):
            raise TypeError(f"code_length must be an int, got {type(code_length).__name__}: "
                            f"{code_length!r}")
        if not 1 <= code_length <= 32:
            raise ValueError(f"code_length must be 1-32, got {code_length!r}")
        if rng is not None and not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random or None, got {type(rng).__name__}: "
                            f"{rng!r}")
        self._clock = clock
        self._code_length = code_length
        self._rng = secrets.SystemRandom() if rng is None else rng
        self._links: dict[str, Link] = {}  # code -> link, in creation order
        self._aliases: set[str] = set()
        self._generated: dict[str, str] = {}  # url -> its newest generated code
        self._lock = threading.Lock()

    def shorten(self, url: str, *, alias: str | None = None, ttl: float | None = None) -> str:
        """The code for `url`: `alias` if given, else its live generated code or a new one."""
        _check_url(url)
        if alias is not None:
            _check_alias(alias)
        if ttl is not None:
            _check_ttl(ttl)
        with self._lock:
            now = self._clock()
            if alias is None:
                existing = self._generated.get(url)
                if existing is not None and _is_live(self._links[existing], now):
                    return existing
                code = self._new_code()
                self._generated[url] = code
            else:
                holder = self._links.get(alias)
                if holder is not None:
                    if _is_live(holder, now):
                        raise AliasTakenError(f"alias {alias!r} is taken by a live link to "
                                              f"{holder.url!r}")
                    self._remove(alias)
                code = alias
                self._aliases.add(code)
            self._links[code] = Link(code, url, now, None if ttl is None else now + ttl, 0)
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

    def links(self) -> list[Link]:
        """Copies of every link, expired ones included, in creation order."""
        with self._lock:
            return [dataclasses.replace(link) for link in self._links.values()]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every link to `path` as JSON, atomically; StoreError if it cannot be written."""
        target = _check_path(path)
        with self._lock:
            state = {"version": _STORE_VERSION, "links": [
                {**dataclasses.asdict(link), "alias": code in self._aliases}
                for code, link in self._links.items()]}
        folder = os.path.dirname(os.path.abspath(target))
        try:
            # Readers see the old file or the new one, never half of one: write a sibling, then
            # rename it over the target (a rename within one folder is atomic).
            fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                                        suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    json.dump(state, file, indent=1)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            raise StoreError(f"cannot save links to {target!r}: {exc}") from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time,
             code_length: int = 7, rng: random.Random | None = None) -> URLShortener:
        """A shortener holding the links saved at `path` (none if the file does not exist).

        StoreError naming the file if it cannot be read or is not a valid store; the file is
        left as it is.
        """
        source = _check_path(path)
        shortener = cls(clock=clock, code_length=code_length, rng=rng)
        try:
            with open(source, encoding="utf-8") as file:
                state: Any = json.load(file)
        except FileNotFoundError:
            return shortener
        except (OSError, ValueError) as exc:  # ValueError: bad JSON or bad UTF-8
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
            shortener._links[link.code] = link
            if is_alias:
                shortener._aliases.add(link.code)
            else:
                shortener._generated[link.url] = link.code
        return shortener

    def _find(self, code: str) -> Link:
        link = self._links.get(_check_code(code))
        if link is None:
            raise LinkNotFoundError(f"no link with code {code!r}")
        return link

    def _remove(self, code: str) -> None:
        link = self._links.pop(code)
        self._aliases.discard(code)
        if self._generated.get(link.url) == code:
            del self._generated[link.url]

    def _new_code(self) -> str:
        """A random code no link uses: a counter would let anyone enumerate every link."""
        for _ in range(_MAX_ATTEMPTS):
            code = "".join(self._rng.choices(_ALPHABET, k=self._code_length))
            if code not in self._links:
                return code
        raise ShortenerError(f"code space exhausted: no free code of length "
                             f"{self._code_length} after {_MAX_ATTEMPTS} tries; use a longer "
                             f"code_length")


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line: 0 on success, 1 for a shortener error, 2 for a usage error."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse exits on --help (0) and on usage errors (2)
        return int(exit_.code or 0)
    try:
        shortener = URLShortener.load(args.store)
        if args.command == "shorten":
            lines = [shortener.shorten(args.url, alias=args.alias, ttl=args.ttl)]
        elif args.command == "resolve":
            lines = [shortener.resolve(args.code)]
        elif args.command == "delete":
            shortener.delete(args.code)
            lines = []
        elif args.command == "stats":
            lines = [json.dumps(dataclasses.asdict(shortener.stats(args.code)))]
        else:
            lines = [f"{link.code} {link.url}" for link in shortener.links()]
        if args.command in ("shorten", "resolve", "delete"):
            shortener.save(args.store)
    except ShortenerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
