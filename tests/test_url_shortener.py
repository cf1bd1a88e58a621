"""URL shortener: codes, URL and alias rules, expiry, hits, atomic persistence and the CLI."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import io
import itertools
import json
import math
import os
import random
import re
import signal
import stat
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

CODE = re.compile(r"[A-Za-z0-9]{7}")
URL = "https://example.com/a/very/long/path?q=1#top"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pipes and signals")


def make(impl, clock=None, seed=1, **options):
    """A shortener with a fake clock and seeded codes."""
    return impl.URLShortener(clock=clock or (lambda: 1_000.0), rng=random.Random(seed), **options)


def table(shortener, **options):
    """Every link as plain tuples, for comparisons."""
    return [(link.code, link.url, link.created_at, link.expires_at, link.hits)
            for link in shortener.links(**options)]


def run_ok(cli, impl, *argv):
    """main(argv) in this process must return 0 and write nothing on stderr; its stdout."""
    __tracebackhide__ = True
    ran = cli(impl.main, *argv)
    assert (ran.code, ran.err) == (0, ""), \
        f"main({list(argv)!r}) returned {ran.code} with stderr {ran.err!r}, expected 0"
    return ran.out


def run_fails(cli, impl, code, *argv, naming=()):
    """main(argv) must return `code` with one line on stderr naming each fragment, no stdout."""
    __tracebackhide__ = True
    ran = cli(impl.main, *argv)
    call = f"main({list(argv)!r})"
    assert ran.code == code, f"{call} returned {ran.code} with stderr {ran.err!r}, expected {code}"
    assert len(ran.err.splitlines()) == 1, \
        f"{call} wrote {ran.err!r} on stderr, expected one line"
    missing = [fragment for fragment in naming if fragment not in ran.err]
    assert not missing, f"{call} wrote {ran.err!r} on stderr, which does not name {missing!r}"
    assert ran.out == "", f"{call} failed but printed {ran.out!r} on stdout"
    return ran.err


def succeeds(fn, *args, **kwargs):
    """fn(*args, **kwargs); a failure names the call when it raises instead."""
    __tracebackhide__ = True
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
        shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
        pytest.fail(f"{fn.__name__}({', '.join(shown)}) raised {type(exc).__name__}: {exc}")


def store_args(path):
    return ("--store", str(path))


def strays(folder, *expected):
    """Files in `folder` other than `expected` and their lock files (STORE.lock stays)."""
    allowed = {*expected, *(f"{name}.lock" for name in expected)}
    return sorted(p.name for p in folder.iterdir() if p.name not in allowed)


def finish(process, argv, timeout=4.0):
    """Wait for a child process; (exit code, stdout, stderr), failing if it hangs."""
    __tracebackhide__ = True
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"url_shortener.py {' '.join(argv)} still running after {timeout:g} s")
    return process.returncode, out, err


def start(impl_file, *argv, stdout=subprocess.PIPE):
    """`python url_shortener.py ARGV` in a child process, its stderr (and stdout) captured; its
    stdout block-buffered, as a user's is when it is a pipe or a file."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    # A child inherits an ignored SIGINT (a test run started as a background job) but not a
    # handler: with one in place here, Ctrl-C reaches the child as it would at a terminal.
    ignoring = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignoring:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen([sys.executable, str(impl_file), *argv], stdout=stdout,
                                stderr=subprocess.PIPE, text=True, env=env)
    finally:
        if ignoring:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_shorten_returns_a_seven_character_base62_code_that_resolves_to_the_url(impl, call):
    shortener = make(impl)
    code = shortener.shorten(URL)
    assert CODE.fullmatch(code), f"shorten({URL!r}) returned {code!r}, expected 7 base62 chars"
    call.returns(URL, shortener.resolve, code)


@pytest.mark.core
def test_code_length_sets_the_length_of_generated_codes(impl):
    code = make(impl, code_length=12).shorten(URL)
    assert re.fullmatch(r"[A-Za-z0-9]{12}", code), \
        f"URLShortener(code_length=12).shorten({URL!r}) returned {code!r}, expected 12 chars"


@pytest.mark.core
def test_shortening_a_url_again_returns_its_existing_code(impl, call):
    shortener = make(impl)
    first = shortener.shorten(URL)
    call.returns(first, shortener.shorten, URL)
    assert len(shortener.links()) == 1, \
        f"after shorten({URL!r}) twice, links() holds {len(shortener.links())} links, expected 1"


@pytest.mark.core
def test_different_urls_get_different_codes(impl):
    shortener = make(impl)
    urls = [f"https://example.com/{i}" for i in range(300)]
    codes = [shortener.shorten(url) for url in urls]
    assert len(set(codes)) == 300, f"300 URLs got only {len(set(codes))} different codes"
    resolved = [shortener.resolve(code) for code in codes]
    wrong = [(code, got) for code, got, url in zip(codes, resolved, urls, strict=True)
             if got != url]
    assert not wrong, f"resolve(code) returned another URL for {len(wrong)} codes: {wrong[:3]}"


@pytest.mark.core
def test_an_alias_becomes_the_code(impl, call):
    shortener = make(impl)
    call.returns("my-Link_2", shortener.shorten, URL, alias="my-Link_2")
    call.returns(URL, shortener.resolve, "my-Link_2")


@pytest.mark.core
@pytest.mark.parametrize("url", [
    "http://example.com",
    "https://example.com/path/to/page.html",
    "https://example.com/search?q=kata&page=2#results",
    "HTTP://Example.COM",
    "HtTpS://Example.com/Mixed/Case",
    "http://[::1]:8080/admin",
    "https://[2001:db8::1]/",
    "http://127.0.0.1:1/",
    "http://example.com:65535/",
    "https://user:secret@example.com/",
    "http://localhost",
    "https://b\u00fccher.example/stra\u00dfe",
])
def test_accepted_urls_are_stored_and_returned_exactly_as_given(impl, call, url):
    shortener = make(impl)
    call.returns(url, shortener.resolve, shortener.shorten(url))


@pytest.mark.core
def test_one_seed_gives_the_same_codes_and_two_seeds_different_ones(impl):
    urls = [f"https://example.com/{i}" for i in range(50)]
    one, same, other = ([make(impl, seed=seed).shorten(u) for u in urls] for seed in (1, 1, 2))
    assert one == same, "two shorteners with rng=random.Random(1) gave different codes: rng " \
                        "must be the only source of randomness"
    differ = sum(a != b for a, b in zip(one, other, strict=True))
    assert differ >= 45, f"random.Random(1) and random.Random(2) gave the same code for " \
                         f"{50 - differ} of 50 URLs"


@pytest.mark.core
def test_codes_are_unpredictable_not_a_counter(impl):
    shortener = impl.URLShortener()
    codes = [shortener.shorten(f"https://example.com/{i}") for i in range(300)]
    bad = [code for code in codes if not CODE.fullmatch(code)]
    assert len(set(codes)) == 300 and not bad, \
        f"300 URLs got {len(set(codes))} distinct codes, malformed: {bad[:3]}"
    for position in range(7):
        seen = {code[position] for code in codes}
        assert len(seen) >= 40, f"character {position} of 300 codes takes only {sorted(seen)}: " \
                                f"a sequence rather than random draws?"
    again = impl.URLShortener()
    same = [i for i in range(20) if again.shorten(f"https://example.com/{i}") == codes[i]]
    assert not same, f"two URLShortener() gave the same codes for URLs {same}: the default " \
                     f"source is not secrets"


@pytest.mark.core
def test_save_and_load_round_trip_the_links(impl, call, new_clock, tmp_path):
    clock = new_clock()
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    shortener.shorten("https://example.com", alias="home")
    shortener.save(tmp_path / "links.json")
    loaded = impl.URLShortener.load(str(tmp_path / "links.json"), clock=clock)
    assert table(loaded) == table(shortener), \
        f"load(save(...)) gave {table(loaded)!r}, expected {table(shortener)!r}"
    call.returns(URL, loaded.resolve, code)
    call.returns("https://example.com", loaded.resolve, "home")
    call.returns(code, loaded.shorten, URL)  # idempotence survives a reload


@pytest.mark.core
def test_loading_a_missing_file_gives_an_empty_shortener(impl, call, tmp_path):
    loaded = impl.URLShortener.load(tmp_path / "absent.json", rng=random.Random(3))
    call.returns([], loaded.links)
    code = loaded.shorten(URL)
    assert CODE.fullmatch(code), f"shorten({URL!r}) after load returned {code!r}"
    assert not (tmp_path / "absent.json").exists(), "load('absent.json') created the file"


@pytest.mark.core
def test_cli_shorten_then_resolve_in_a_later_run(impl, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run_ok(cli, impl, "shorten", URL)
    code = out.strip()
    assert CODE.fullmatch(code) and out == code + "\n", \
        f"main(['shorten', {URL!r}]) printed {out!r}, expected a 7-character code and a newline"
    assert (tmp_path / "links.json").is_file(), \
        "main(['shorten', URL]) did not write links.json in the current folder"
    out = run_ok(cli, impl, "resolve", code)
    assert out == URL + "\n", f"main(['resolve', {code!r}]) printed {out!r}, expected the URL"
    out = run_ok(cli, impl, "shorten", URL)
    assert out == code + "\n", f"a second main(['shorten', {URL!r}]) printed {out!r}, expected " \
                               f"the same code {code!r}"


@pytest.mark.core
def test_cli_alias_and_store_option(impl, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run_ok(cli, impl, "--store", "other.json", "shorten", URL, "--alias", "home")
    assert out == "home\n", f"main([... 'shorten', URL, '--alias', 'home']) printed {out!r}"
    assert (tmp_path / "other.json").is_file() and not (tmp_path / "links.json").exists(), \
        f"--store other.json wrote {sorted(p.name for p in tmp_path.iterdir())}"
    out = run_ok(cli, impl, "--store", "other.json", "resolve", "home")
    assert out == URL + "\n", f"main(['--store', 'other.json', 'resolve', 'home']) printed {out!r}"
    run_fails(cli, impl, 1, "resolve", "home", naming=["home"])


@pytest.mark.core
def test_main_returns_the_exit_code_and_help_returns_0(impl, cli, tmp_path):
    store = store_args(tmp_path / "links.json")
    code = run_ok(cli, impl, *store, "shorten", URL).strip()
    assert run_ok(cli, impl, *store, "list") == f"{code} {URL}\n", "list after one shorten"
    run_fails(cli, impl, 1, *store, "resolve", "missing", naming=["missing"])
    ran = cli(impl.main, "--help")
    assert ran.code == 0 and "shorten" in ran.out, \
        f"main(['--help']) returned {ran.code} and printed {ran.out[:60]!r}, expected 0 and help"


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_url_of_exactly_2048_characters_is_accepted(impl, call):
    url = "https://example.com/" + "a" * (2048 - len("https://example.com/"))
    shortener = make(impl)
    call.returns(url, shortener.resolve, shortener.shorten(url))


@pytest.mark.edge
@pytest.mark.parametrize("alias", ["abc", "A" * 32, "---", "___", "0123456789", "Z-9_x"])
def test_aliases_of_3_to_32_ascii_letters_digits_dash_underscore_are_accepted(impl, call, alias):
    shortener = make(impl)
    call.returns(alias, shortener.shorten, URL, alias=alias)
    call.returns(URL, shortener.resolve, alias)


@pytest.mark.edge
def test_aliases_are_case_sensitive(impl, call):
    shortener = make(impl)
    shortener.shorten("https://example.com/lower", alias="home")
    shortener.shorten("https://example.com/upper", alias="HOME")
    call.returns("https://example.com/lower", shortener.resolve, "home")
    call.returns("https://example.com/upper", shortener.resolve, "HOME")
    call.raises(impl.LinkNotFoundError, shortener.resolve, "Home", naming="'Home'")


@pytest.mark.edge
def test_an_alias_does_not_count_as_the_urls_generated_code(impl, call):
    shortener = make(impl)
    shortener.shorten(URL, alias="first")
    generated = shortener.shorten(URL)
    assert generated != "first" and CODE.fullmatch(generated), \
        f"shorten({URL!r}) after its alias 'first' returned {generated!r}, expected a new code"
    call.returns("second", shortener.shorten, URL, alias="second")
    call.returns(generated, shortener.shorten, URL)
    assert len(shortener.links()) == 3, f"links() holds {len(shortener.links())}, expected 3"


@pytest.mark.edge
def test_a_ttl_on_a_repeated_shorten_changes_nothing(impl, call):
    shortener = make(impl)
    code = shortener.shorten(URL)
    call.returns(code, shortener.shorten, URL, ttl=5)
    expires = shortener.stats(code).expires_at
    assert expires is None, f"shorten(URL, ttl=5) for a URL with a code set expires_at={expires!r}"


@pytest.mark.edge
def test_a_ttl_as_large_as_a_float_holds_is_accepted(impl, call):
    shortener = make(impl)
    code = shortener.shorten(URL, ttl=10**300)
    expires = shortener.stats(code).expires_at
    assert expires == pytest.approx(1_000.0 + 1e300), \
        f"shorten(URL, ttl=10**300) set expires_at={expires!r}, expected about 1e300"
    call.returns(URL, shortener.resolve, code)


@pytest.mark.edge
def test_a_generated_code_never_takes_an_existing_alias(impl, call):
    # The same seed draws the same first code: take it as an alias first.
    drawn = make(impl, seed=42).shorten(URL)
    shortener = make(impl, seed=42)
    shortener.shorten("https://example.com/owner", alias=drawn)
    code = shortener.shorten(URL)
    assert code != drawn, f"shorten({URL!r}) returned {code!r}, the code of an existing alias"
    call.returns("https://example.com/owner", shortener.resolve, drawn)
    call.returns(URL, shortener.resolve, code)


@pytest.mark.edge
def test_an_exhausted_code_space_raises_shortener_error(impl, call):
    shortener = make(impl, code_length=1)
    codes = {shortener.shorten(f"https://example.com/{i}") for i in range(62)}
    missing = set(string.ascii_letters + string.digits) - codes
    assert not missing, f"62 URLs with code_length=1 left the codes {sorted(missing)} unused"
    call.raises(impl.ShortenerError, shortener.shorten, "https://example.com/one-too-many",
                naming="exhausted")
    assert len(shortener.links()) == 62, \
        f"a failed shorten left {len(shortener.links())} links, expected 62"


@pytest.mark.edge
def test_stats_and_links_return_copies_not_live_links(impl, call):
    shortener = make(impl)
    code = shortener.shorten(URL)
    shortener.stats(code).hits = 99
    listed = shortener.links()
    listed[0].url = "https://evil.example"
    listed.clear()
    hits = shortener.stats(code).hits
    assert hits == 0, f"setting hits on what stats() returned changed the stored link: {hits}"
    call.returns(URL, shortener.resolve, code)
    assert len(shortener.links()) == 1, "clearing the list links() returned changed the store"


@pytest.mark.edge
def test_save_and_load_accept_str_and_pathlib_paths(impl, call, tmp_path):
    shortener = make(impl)
    shortener.shorten(URL, alias="home")
    shortener.save(str(tmp_path / "a.json"))
    shortener.save(tmp_path / "b.json")
    for name in ("a.json", "b.json"):
        call.returns(URL, impl.URLShortener.load(Path(tmp_path / name)).resolve, "home")


# --- errors -------------------------------------------------------------------------------------


REJECTED_URLS = [
    ("javascript:alert(1)", "scheme"),
    ("data:text/html,<script>alert(1)</script>", "scheme"),
    ("ftp://example.com/file.txt", "scheme"),
    ("mailto:someone@example.com", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("httpfoo://example.com", "scheme"),
    ("https+evil://example.com", "scheme"),
    ("example.com/path", "scheme"),
    ("//example.com/path", "scheme"),
    ("", "scheme"),
    (" http://example.com", "character"),
    ("http://example.com ", "character"),
    ("\nhttp://example.com", "character"),
    ("http://exa\nmple.com", "character"),
    ("http://example.com/\r\nSet-Cookie:x=1", "character"),
    ("http://example.com/a\tb", "character"),
    ("http://example.com/\x00", "character"),
    ("http://example.com/\x7f", "character"),
    ("http://example.com/\x85", "character"),
    ("http://exa mple.com", "character"),
    ("http://example.com/\u00a0", "character"),
    ("http://example.com/\u2028", "character"),
    ("http://example.com/\udcff", "character"),  # the byte 0xff in argv, decoded by Python
    ("http://", "host"),
    ("http:///x", "host"),
    ("https://:443/", "host"),
    ("http://user@/x", "host"),
    ("http:example.com", "host"),
    ("http://[::1", "host"),
    ("http://example.com:0", "port"),
    ("http://example.com:99999", "port"),
    ("http://example.com:65536/", "port"),
    ("http://example.com:http", "port"),
    ("https://example.com/" + "a" * (2049 - len("https://example.com/")), "2048"),
]


@pytest.mark.errors
@pytest.mark.parametrize("url, rule", REJECTED_URLS,
                         ids=[f"{rule}:{url!r:.40}" for url, rule in REJECTED_URLS])
def test_rejected_urls_raise_invalid_url_error_naming_url_and_rule(impl, call, url, rule):
    shortener = make(impl)
    call.raises(impl.InvalidURLError, shortener.shorten, url, naming=[repr(url)[:60], rule])
    call.returns([], shortener.links)


@pytest.mark.errors
@pytest.mark.parametrize("url", [None, 42, b"http://example.com", ["http://example.com"]])
def test_a_non_str_url_is_an_invalid_url_error(impl, call, url):
    call.raises(impl.InvalidURLError, make(impl).shorten, url, naming=[repr(url), "str"])


@pytest.mark.errors
@pytest.mark.parametrize("alias", [
    "ab", "a" * 33, "", "has space", "a/b/c", "dot.ted", "semi;colon", "abc\n", "ab\x00c",
    "ab\u0661",  # ARABIC-INDIC DIGIT ONE: isalnum() says yes
    "caf\u00e9", "\uff41\uff42\uff43", "abc\u00b2", 123, b"abc",
])
def test_invalid_aliases_raise_invalid_alias_error(impl, call, alias):
    shortener = make(impl)
    call.raises(impl.InvalidAliasError, shortener.shorten, URL, alias=alias, naming=repr(alias))
    call.returns([], shortener.links)


@pytest.mark.errors
def test_an_alias_held_by_a_live_link_is_taken_even_for_the_same_url(impl, call):
    shortener = make(impl)
    shortener.shorten(URL, alias="home")
    for url in (URL, "https://example.com/other"):
        call.raises(impl.AliasTakenError, shortener.shorten, url, alias="home", naming="'home'")
    generated = shortener.shorten("https://example.com/generated")
    call.raises(impl.AliasTakenError, shortener.shorten, URL, alias=generated,
                naming=repr(generated))
    call.returns(URL, shortener.resolve, "home")
    assert len(shortener.links()) == 2, \
        f"refused aliases left {len(shortener.links())} links, expected 2"


@pytest.mark.errors
def test_resolving_an_unknown_code_raises_link_not_found(impl, call):
    shortener = make(impl)
    shortener.shorten(URL)
    call.raises(impl.LinkNotFoundError, shortener.resolve, "nope123", naming="'nope123'")
    call.raises(impl.LinkNotFoundError, shortener.resolve, "", naming="''")


@pytest.mark.errors
def test_domain_errors_share_the_shortener_error_base(impl, call):
    not_based = [name for name in ("InvalidURLError", "InvalidAliasError", "AliasTakenError",
                                   "LinkNotFoundError", "LinkExpiredError", "StoreError")
                 if not issubclass(getattr(impl, name), impl.ShortenerError)]
    assert not not_based, f"{not_based} do not subclass ShortenerError"
    call.raises(impl.ShortenerError, make(impl).resolve, "missing", naming="missing")


@pytest.mark.errors
@pytest.mark.parametrize("ttl, error", [
    (0, ValueError), (-1, ValueError), (-0.5, ValueError), (math.nan, ValueError),
    (math.inf, ValueError), (10**400, ValueError), (-10**400, ValueError), ("60", TypeError),
    (True, TypeError), ([60], TypeError),
], ids=lambda value: repr(value)[:12])
def test_a_ttl_must_be_positive_finite_seconds(impl, call, ttl, error):
    shortener = make(impl)
    call.raises(error, shortener.shorten, URL, ttl=ttl, naming=repr(ttl)[:20])
    call.returns([], shortener.links)


@pytest.mark.errors
@pytest.mark.parametrize("name, value, error", [
    ("code_length", 0, ValueError), ("code_length", 33, ValueError),
    ("code_length", 10**400, ValueError), ("code_length", "7", TypeError),
    ("code_length", 7.0, TypeError), ("code_length", True, TypeError), ("clock", 5, TypeError),
    ("rng", 42, TypeError),
], ids=lambda value: repr(value)[:12])
def test_bad_constructor_arguments_are_rejected(impl, call, name, value, error):
    call.raises(error, impl.URLShortener, **{name: value}, naming=repr(value)[:20])


@pytest.mark.errors
@pytest.mark.parametrize("method", ["resolve", "stats", "delete"])
@pytest.mark.parametrize("code", [7, None, b"abc"])
def test_codes_must_be_str(impl, call, method, code):
    call.raises(TypeError, getattr(make(impl), method), code, naming=repr(code))


@pytest.mark.errors
def test_a_rejected_shorten_changes_nothing(impl, call):
    shortener = make(impl)
    call.raises(ValueError, shortener.shorten, URL, alias="fresh", ttl=0, naming="0")
    call.raises(impl.InvalidAliasError, shortener.shorten, URL, alias="no good",
                naming="'no good'")
    call.returns([], shortener.links)
    call.returns("fresh", shortener.shorten, URL, alias="fresh")
    code = shortener.shorten(URL)
    assert code != "fresh", f"shorten({URL!r}) returned the alias 'fresh' as its generated code"


VALID_RECORD = {"code": "abc1234", "url": "https://example.com", "created_at": 1000.0,
                "expires_at": None, "hits": 3, "alias": False}
VALID_STORE = json.dumps({"version": 1, "links": [VALID_RECORD]}, indent=1)


def store_with(**changes):
    return json.dumps({"version": 1, "links": [{**VALID_RECORD, **changes}]})


CORRUPT_STORES = {
    "not-json": "{not json",
    "truncated": VALID_STORE[:len(VALID_STORE) // 2],
    "empty-file": "",
    "deeply-nested": "[" * 100_000,
    "a-list": "[]",
    "version-2": json.dumps({"version": 2, "links": []}),
    "no-version": json.dumps({"links": []}),
    "no-links": json.dumps({"version": 1}),
    "links-not-a-list": json.dumps({"version": 1, "links": {}}),
    "record-not-an-object": json.dumps({"version": 1, "links": ["abc1234"]}),
    "missing-field": json.dumps({"version": 1, "links": [
        {k: v for k, v in VALID_RECORD.items() if k != "hits"}]}),
    "bad-url": store_with(url="javascript:alert(1)"),
    "surrogate-url": store_with(url="https://example.com/\udcff"),
    "negative-hits": store_with(hits=-1),
    "str-hits": store_with(hits="3"),
    "bool-hits": store_with(hits=True),
    "bad-code": store_with(code="has space"),
    "str-created-at": store_with(created_at="now"),
    "nan-created-at": store_with(created_at=math.nan),
    "huge-created-at": store_with(created_at=10**400),
    "infinite-expires-at": store_with(expires_at=math.inf),
    "str-expires-at": store_with(expires_at="never"),
    "str-alias-flag": store_with(alias="yes"),
    "duplicate-code": json.dumps({"version": 1, "links": [VALID_RECORD, VALID_RECORD]}),
}


@pytest.mark.errors
@pytest.mark.parametrize("name", CORRUPT_STORES)
def test_a_corrupt_store_raises_store_error_and_is_left_untouched(impl, call, tmp_path, name):
    path = tmp_path / "links.json"
    path.write_text(CORRUPT_STORES[name], encoding="utf-8")
    before = path.read_bytes()
    call.raises(impl.StoreError, impl.URLShortener.load, path, naming=path.name)
    assert path.read_bytes() == before, f"load({path.name!r}) of a {name} store changed the file"


@pytest.mark.errors
def test_a_store_that_is_not_utf8_or_not_a_file_raises_store_error(impl, call, tmp_path):
    path = tmp_path / "links.json"
    path.write_bytes(b"\xff\xfe{\x00")
    call.raises(impl.StoreError, impl.URLShortener.load, path, naming="links.json")
    (tmp_path / "folder.json").mkdir()
    call.raises(impl.StoreError, impl.URLShortener.load, tmp_path / "folder.json",
                naming="folder.json")


@pytest.mark.errors
def test_saving_into_a_missing_folder_raises_store_error(impl, call, tmp_path):
    call.raises(impl.StoreError, make(impl).save, tmp_path / "no-such-folder" / "links.json",
                naming="links.json")


@pytest.mark.errors
def test_store_paths_must_be_str_or_pathlike(impl, call):
    call.raises(TypeError, make(impl).save, 42, naming="42")
    call.raises(TypeError, impl.URLShortener.load, None, naming="None")


@pytest.mark.errors
def test_cli_domain_errors_exit_1_with_a_one_line_message(impl, cli, tmp_path):
    store = store_args(tmp_path / "links.json")
    run_ok(cli, impl, *store, "shorten", URL, "--alias", "home")
    before = (tmp_path / "links.json").read_bytes()
    for argv, named in [(("resolve", "nope"), "nope"),
                        (("shorten", "javascript:alert(1)"), "javascript:alert(1)"),
                        (("shorten", "http://exa\nmple.com"), "http://exa"),
                        (("shorten", "https://example.com/\udcff"), "https://example.com/"),
                        (("shorten", URL, "--alias", "home"), "home"),
                        (("shorten", URL, "--alias", "no"), "no"),
                        (("delete", "nope"), "nope")]:
        run_fails(cli, impl, 1, *store, *argv, naming=[named])
    assert (tmp_path / "links.json").read_bytes() == before, "a failed command changed the store"


@pytest.mark.errors
@pytest.mark.parametrize("argv", [
    (), ("frobnicate",), ("shorten",), ("shorten", URL, "--ttl", "soon"),
    ("shorten", URL, "--ttl", "-5"), ("shorten", URL, "--ttl", "nan"),
    ("shorten", URL, "--ttl", "1e400"),
], ids=lambda argv: " ".join(argv)[:30] or "no-command")
def test_cli_usage_errors_exit_2_and_touch_no_file(impl, cli, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    ran = cli(impl.main, *argv)
    assert ran.code == 2, f"main({list(argv)!r}) returned {ran.code} (stderr {ran.err!r}), " \
                          f"expected 2 for a usage error"
    assert "usage" in ran.err.lower(), \
        f"main({list(argv)!r}) wrote {ran.err!r} on stderr, expected argparse's usage message"
    assert strays(tmp_path) == [], f"main({list(argv)!r}) created {strays(tmp_path)}"


@pytest.mark.errors
def test_cli_refuses_a_corrupt_store_and_never_overwrites_it(impl, cli, tmp_path):
    store = tmp_path / "links.json"
    for content in (VALID_STORE[:40], "[" * 100_000):
        store.write_text(content, encoding="utf-8")
        for argv in (("shorten", URL), ("list",)):
            run_fails(cli, impl, 1, *store_args(store), *argv, naming=["links.json"])
        assert store.read_text(encoding="utf-8") == content, "a corrupt store was overwritten"
    assert strays(tmp_path, "links.json") == [], f"left behind: {strays(tmp_path, 'links.json')}"


class FullDisk(io.TextIOBase):
    """A stdout that takes nothing, like a file on a full disk (`> /dev/full`)."""

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.errors
def test_cli_output_to_a_full_disk_exits_1_with_one_line(impl, cli, tmp_path):
    store = store_args(tmp_path / "links.json")
    run_ok(cli, impl, *store, "shorten", URL, "--alias", "home")
    captured = sys.stdout
    sys.stdout = FullDisk()
    try:
        run_fails(cli, impl, 1, *store, "list")
    finally:
        sys.stdout = captured


@pytest.mark.errors
@POSIX_ONLY
def test_cli_output_into_a_closed_pipe_exits_1_with_one_line(impl, impl_file, tmp_path):
    store = tmp_path / "links.json"
    shortener = make(impl)
    shortener.shorten(URL, alias="home")
    shortener.save(store)
    argv = ["--store", str(store), "list"]
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` once head has gone: every write fails with EPIPE
    try:
        code, _, err = finish(start(impl_file, *argv, stdout=writer), argv)
    finally:
        os.close(writer)
    assert code == 1, f"url_shortener.py list | (closed) exited {code}, expected 1: {err!r}"
    assert len(err.splitlines()) == 1, \
        f"url_shortener.py list | (closed) wrote {err!r} on stderr, expected one line"


@pytest.mark.errors
@POSIX_ONLY
def test_cli_ctrl_c_exits_130_with_one_line(impl_file, tmp_path):
    fifo = tmp_path / "links.json"
    os.mkfifo(fifo)  # reading the store blocks until a writer comes: Ctrl-C lands inside main
    argv = ["--store", str(fifo), "list"]
    child = start(impl_file, *argv)
    deadline = time.monotonic() + 4
    writer = None
    while writer is None:
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO until it is reading
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            if child.poll() is not None or time.monotonic() > deadline:
                code, _, err = finish(child, argv)
                pytest.fail(f"url_shortener.py list (store a FIFO) ended with {code} before it "
                            f"read the store: {err.strip()[-200:]!r}")
            time.sleep(0.002)
    try:
        child.send_signal(signal.SIGINT)
        code, out, err = finish(child, argv)
    finally:
        os.close(writer)
    assert code == 130, f"url_shortener.py list, Ctrl-C while it read the store: exit {code}, " \
                        f"expected 130; stderr {err.strip()[-200:]!r}"
    assert len(err.splitlines()) == 1 and out == "", \
        f"url_shortener.py list, Ctrl-C: stderr {err!r}, stdout {out!r}; expected one line"


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_shortens_of_distinct_urls_get_distinct_codes(impl, run_threads,
                                                                 frequent_thread_switches):
    shortener = make(impl)
    results = run_threads(8, lambda t: [
        shortener.shorten(f"https://example.com/{t}/{i}") for i in range(100)])
    codes = [code for batch in results for code in batch]
    assert len(set(codes)) == len(codes) == 800 == len(shortener.links()), \
        f"8 threads x 100 shorten() gave {len(set(codes))} distinct codes and " \
        f"{len(shortener.links())} links, expected 800"
    for t, batch in enumerate(results):
        got = [shortener.resolve(code) for code in batch]
        assert got == [f"https://example.com/{t}/{i}" for i in range(100)], \
            f"thread {t}'s codes resolve to other URLs"


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_shortens_of_the_same_url_agree_on_one_code(impl, run_threads,
                                                               frequent_thread_switches):
    shortener = make(impl)
    urls = [f"https://example.com/{i}" for i in range(100)]
    results = run_threads(8, lambda t: [shortener.shorten(url) for url in urls])
    differ = [t for t, batch in enumerate(results) if batch != results[0]]
    assert not differ, f"threads {differ} got other codes than thread 0 for the same URLs"
    assert len(shortener.links()) == 100, \
        f"8 threads shortening the same 100 URLs made {len(shortener.links())} links"


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_claims_of_an_alias_have_exactly_one_winner(impl, call, run_threads,
                                                               frequent_thread_switches):
    shortener = make(impl)

    def claim(t):
        won = []
        for i in range(100):
            with contextlib.suppress(impl.AliasTakenError):  # another thread won it
                won.append(shortener.shorten(f"https://example.com/{t}", alias=f"alias-{i}"))
        return won

    results = run_threads(8, claim)
    winners = sorted(alias for batch in results for alias in batch)
    assert winners == sorted(f"alias-{i}" for i in range(100)), \
        f"8 threads claiming 100 aliases won {len(winners)} claims, expected 100 (one each)"
    for t, batch in enumerate(results):
        for alias in batch:
            call.returns(f"https://example.com/{t}", shortener.resolve, alias)


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_resolves_count_every_hit(impl, run_threads, frequent_thread_switches):
    shortener = make(impl)
    code = shortener.shorten(URL)
    results = run_threads(8, lambda t: {shortener.resolve(code) for _ in range(300)})
    assert all(urls == {URL} for urls in results), f"resolve({code!r}) returned {results!r}"
    hits = shortener.stats(code).hits
    assert hits == 2400, f"8 threads x 300 resolve({code!r}) counted {hits} hits, expected 2400"


@pytest.mark.concurrency
@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot replace a file that is open")
def test_a_reader_holding_the_store_during_a_save_sees_the_whole_old_file(impl, tmp_path):
    path = tmp_path / "links.json"
    shortener = make(impl)
    shortener.shorten(URL, alias="first")
    shortener.save(path)
    old = path.read_text(encoding="utf-8")
    with open(path, encoding="utf-8") as reader:
        for i in range(50):
            shortener.shorten(f"https://example.com/{i}")
        shortener.save(path)
        assert reader.read() == old, "save() rewrote the file in place instead of replacing it"
    count = len(impl.URLShortener.load(path).links())
    assert count == 51, f"load() after the second save() found {count} links, expected 51"


@pytest.mark.concurrency
@POSIX_ONLY
def test_concurrent_cli_runs_on_one_store_lose_no_update(impl, call, impl_file, tmp_path):
    store = tmp_path / "links.json"
    seeded = make(impl)
    seeded.shorten(URL, alias="hot")
    seeded.save(store)
    runs = [["shorten", f"https://example.com/{i}"] for i in range(3)] + [["resolve", "hot"]] * 3
    children = [start(impl_file, "--store", str(store), *argv) for argv in runs]
    done = [finish(child, argv) for child, argv in zip(children, runs, strict=True)]
    failed = [(" ".join(argv), code, err)
              for argv, (code, _, err) in zip(runs, done, strict=True) if code]
    assert not failed, f"concurrent runs failed: {failed}"
    loaded = impl.URLShortener.load(store)
    for argv, (_, out, _) in zip(runs[:3], done[:3], strict=True):
        assert out.strip() in {link.code for link in loaded.links()}, \
            f"url_shortener.py {' '.join(argv)} printed {out.strip()!r}, but 3 shortens and 3 " \
            f"resolves run at once left only {[link.code for link in loaded.links()]}"
        call.returns(argv[1], loaded.resolve, out.strip())
    hits = loaded.stats("hot").hits
    assert hits == 3, f"3 concurrent `resolve hot` runs (with 3 shortens) counted {hits} hits"


# --- extension ----------------------------------------------------------------------------------


@pytest.mark.extension
def test_an_expired_link_raises_link_expired_not_link_not_found(impl, call, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=60)
    expires = shortener.stats(code).expires_at
    assert expires == clock.now + 60, f"shorten(URL, ttl=60) set expires_at={expires!r}, " \
                                      f"expected created_at + 60 = {clock.now + 60}"
    clock.advance(59.5)
    call.returns(URL, shortener.resolve, code)
    clock.advance(0.5)
    error = call.raises(impl.LinkExpiredError, shortener.resolve, code, naming=repr(code))
    assert "expired" in str(error).lower(), f"LinkExpiredError({str(error)!r}) says no 'expired'"
    error = call.raises(impl.LinkNotFoundError, shortener.resolve, "never00", naming="never00")
    assert "expired" not in str(error).lower(), \
        f"LinkNotFoundError({str(error)!r}) for a code never issued says 'expired'"
    assert not issubclass(impl.LinkExpiredError, impl.LinkNotFoundError), \
        "LinkExpiredError subclasses LinkNotFoundError: a 404 handler would catch a 410"


@pytest.mark.extension
def test_resolve_counts_hits_and_stats_does_not(impl, call, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    for _ in range(3):
        shortener.resolve(code)
    link = shortener.stats(code)
    got = (link.code, link.url, link.created_at, link.expires_at, link.hits)
    assert got == (code, URL, clock.now, None, 3), \
        f"stats({code!r}) after 3 resolves gave {got!r}, expected 3 hits"
    hits = shortener.stats(code).hits
    assert hits == 3, f"a second stats({code!r}) says {hits} hits: stats counted a hit"


@pytest.mark.extension
def test_a_failed_resolve_counts_no_hit_and_expired_links_keep_their_stats(impl, call, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=10)
    shortener.resolve(code)
    clock.advance(10)
    for _ in range(3):
        call.raises(impl.LinkExpiredError, shortener.resolve, code, naming=repr(code))
    hits = shortener.stats(code).hits
    assert hits == 1, f"3 failed resolves of an expired link left {hits} hits, expected 1"
    listed = [link.code for link in shortener.links()]
    assert listed == [code], f"links() gave {listed}, expected the expired link {code!r}"


@pytest.mark.extension
def test_links_lists_every_link_in_creation_order(impl, clock):
    shortener = make(impl, clock)
    first = shortener.shorten("https://example.com/1", ttl=5)
    clock.advance(1)
    shortener.shorten("https://example.com/2", alias="second")
    clock.advance(10)
    third = shortener.shorten("https://example.com/3")
    expected = [(first, "https://example.com/1", 1000.0, 1005.0, 0),
                ("second", "https://example.com/2", 1001.0, None, 0),
                (third, "https://example.com/3", 1011.0, None, 0)]
    assert table(shortener) == expected, f"links() gave {table(shortener)!r}, expected {expected!r}"


@pytest.mark.extension
def test_delete_removes_a_link_and_its_code_is_then_not_found(impl, call, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    expiring = shortener.shorten("https://example.com/brief", alias="brief", ttl=1)
    clock.advance(5)
    call.returns(None, shortener.delete, code)
    call.returns(None, shortener.delete, expiring)
    call.returns([], shortener.links)
    for gone in (code, "brief"):
        for method in (shortener.resolve, shortener.stats, shortener.delete):
            call.raises(impl.LinkNotFoundError, method, gone, naming=repr(gone))
    fresh = shortener.shorten(URL)
    call.returns(URL, shortener.resolve, fresh)
    assert len(shortener.links()) == 1, f"links() holds {len(shortener.links())}, expected 1"


@pytest.mark.extension
def test_an_alias_held_only_by_an_expired_link_can_be_taken_again(impl, call, clock):
    shortener = make(impl, clock)
    shortener.shorten("https://example.com/old", alias="sale", ttl=30)
    clock.advance(30)
    call.returns("sale", shortener.shorten, "https://example.com/new", alias="sale")
    call.returns("https://example.com/new", shortener.resolve, "sale")
    expected = [("sale", "https://example.com/new", 1030.0, None, 1)]
    assert table(shortener) == expected, f"links() gave {table(shortener)!r}, expected {expected!r}"


@pytest.mark.extension
def test_a_url_whose_generated_code_expired_gets_a_new_code(impl, call, clock):
    shortener = make(impl, clock)
    old = shortener.shorten(URL, ttl=30)
    clock.advance(30)
    new = shortener.shorten(URL)
    assert new != old, f"shorten({URL!r}) returned its expired code {old!r}, expected a new one"
    call.returns(URL, shortener.resolve, new)
    call.raises(impl.LinkExpiredError, shortener.resolve, old, naming=repr(old))
    call.returns(new, shortener.shorten, URL)
    call.returns(old, shortener.shorten, "https://example.com/other", alias=old)
    call.returns(new, shortener.shorten, URL)


@pytest.mark.extension
def test_save_writes_the_documented_json_format(impl, clock, tmp_path):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=60)
    shortener.shorten("https://example.com", alias="home")
    shortener.resolve("home")
    shortener.save(tmp_path / "links.json")
    saved = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))
    if isinstance(saved, dict) and isinstance(saved.get("links"), list):  # owner: null is fine
        saved["links"] = [{k: v for k, v in record.items() if (k, v) != ("owner", None)}
                          for record in saved["links"]]
    expected = {"version": 1, "links": [
        {"code": code, "url": URL, "created_at": 1000.0, "expires_at": 1060.0, "hits": 0,
         "alias": False},
        {"code": "home", "url": "https://example.com", "created_at": 1000.0,
         "expires_at": None, "hits": 1, "alias": True}]}
    assert saved == expected, f"save() wrote {saved!r}, expected {expected!r}"


@pytest.mark.extension
def test_load_reads_a_store_written_by_hand(impl, call, new_clock, tmp_path):
    records = [
        {**VALID_RECORD, "code": "Gen0001", "url": "https://example.com/gen"},
        {**VALID_RECORD, "code": "promo", "url": "https://example.com/promo", "alias": True},
        {**VALID_RECORD, "code": "Old0001", "url": "https://example.com/old",
         "expires_at": 1500.0, "alias": False},
    ]
    path = tmp_path / "links.json"
    path.write_text(json.dumps({"version": 1, "links": records}), encoding="utf-8")
    loaded = impl.URLShortener.load(path, clock=new_clock(2000.0), rng=random.Random(5))
    expected = [(r["code"], r["url"], r["created_at"], r["expires_at"], r["hits"])
                for r in records]
    assert table(loaded) == expected, f"load() gave {table(loaded)!r}, expected {expected!r}"
    call.returns("Gen0001", loaded.shorten, "https://example.com/gen")
    promo = loaded.shorten("https://example.com/promo")
    assert promo != "promo", "shorten() of an aliased URL returned the alias 'promo'"
    call.raises(impl.LinkExpiredError, loaded.resolve, "Old0001", naming="Old0001")
    old = loaded.shorten("https://example.com/old")
    assert old != "Old0001", "shorten() returned the expired code 'Old0001'"


@pytest.mark.extension
def test_a_save_that_fails_midway_keeps_the_old_file_and_no_temporary_file(impl, call, tmp_path,
                                                                          monkeypatch):
    path = tmp_path / "links.json"
    shortener = make(impl)
    shortener.shorten(URL, alias="kept")
    shortener.save(path)
    before = path.read_bytes()
    for i in range(20):
        shortener.shorten(f"https://example.com/{i}")
    encode = json.JSONEncoder.iterencode

    def disk_full_after_a_few_chunks(self, o, _one_shot=False):
        yield from itertools.islice(encode(self, o, _one_shot), 3)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json.JSONEncoder, "iterencode", disk_full_after_a_few_chunks)
    call.raises((impl.StoreError, OSError), shortener.save, path)
    monkeypatch.undo()
    assert path.read_bytes() == before, "a save() that failed midway changed the old file"
    assert strays(tmp_path, "links.json") == [], \
        f"a failed save() left {strays(tmp_path, 'links.json')}"
    kept = table(impl.URLShortener.load(path))
    assert kept == table(shortener)[:1], f"the store now holds {kept!r}, expected the old link"


@pytest.mark.extension
def test_save_and_load_keep_expiry_hits_and_aliases(impl, call, new_clock, tmp_path):
    clock = new_clock()
    shortener = make(impl, clock)
    brief = shortener.shorten(URL, ttl=10)
    shortener.shorten("https://example.com/sale", alias="sale", ttl=100)
    shortener.resolve(brief)
    shortener.resolve("sale")
    shortener.resolve("sale")
    shortener.save(tmp_path / "links.json")
    clock.advance(10)
    loaded = impl.URLShortener.load(tmp_path / "links.json", clock=clock, rng=random.Random(9))
    assert table(loaded) == table(shortener), \
        f"load() gave {table(loaded)!r}, expected {table(shortener)!r}"
    call.raises(impl.LinkExpiredError, loaded.resolve, brief, naming=repr(brief))
    call.returns("https://example.com/sale", loaded.resolve, "sale")
    hits = loaded.stats("sale").hits
    assert hits == 3, f"stats('sale') after a reload and one more resolve says {hits}, expected 3"
    call.raises(impl.AliasTakenError, loaded.shorten, URL, alias="sale", naming="'sale'")


@pytest.mark.extension
@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_save_writes_through_a_symlink_and_keeps_the_permission_bits(impl, call, tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    make(impl).save(real)
    os.chmod(real, 0o640)
    link.symlink_to(real.name)
    shortener = impl.URLShortener.load(link)
    shortener.shorten(URL, alias="home")
    shortener.save(link)
    assert link.is_symlink(), "save(link) replaced the symlink with a regular file"
    call.returns(URL, impl.URLShortener.load(real).resolve, "home")
    mode = stat.S_IMODE(real.stat().st_mode)
    assert mode == 0o640, f"save() changed the store's mode from 0o640 to {mode:#o}"


@pytest.mark.extension
def test_cli_stats_delete_and_list(impl, cli, tmp_path):
    store = store_args(tmp_path / "links.json")
    first = run_ok(cli, impl, *store, "shorten", "https://example.com/1").strip()
    run_ok(cli, impl, *store, "shorten", "https://example.com/2", "--alias", "two", "--ttl",
           "3600")
    run_ok(cli, impl, *store, "resolve", "two")
    run_ok(cli, impl, *store, "resolve", "two")
    out = run_ok(cli, impl, *store, "stats", "two")
    stats = json.loads(out)
    fields = {field.name for field in dataclasses.fields(impl.Link)}
    assert isinstance(stats, dict) and set(stats) == fields and out.count("\n") == 1, \
        f"main(['stats', 'two']) printed {out!r}, expected one JSON object of {sorted(fields)}"
    got = (stats["code"], stats["url"], stats["hits"])
    assert got == ("two", "https://example.com/2", 2), f"stats two printed {stats!r}"
    assert stats["expires_at"] == pytest.approx(stats["created_at"] + 3600), \
        f"stats two after --ttl 3600 printed {stats!r}"
    listed = run_ok(cli, impl, *store, "list")
    assert listed == f"{first} https://example.com/1\ntwo https://example.com/2\n", \
        f"main(['list']) printed {listed!r}"
    out = run_ok(cli, impl, *store, "delete", first)
    assert out == "", f"main(['delete', {first!r}]) printed {out!r}, expected nothing"
    listed = run_ok(cli, impl, *store, "list")
    assert listed == "two https://example.com/2\n", f"list after delete printed {listed!r}"
    run_fails(cli, impl, 1, *store, "resolve", first, naming=[first])


@pytest.mark.extension
def test_cli_resolve_of_an_expired_link_exits_1_saying_expired(impl, cli, new_clock, tmp_path):
    old = impl.URLShortener(clock=new_clock(0.0))
    old.shorten(URL, alias="gone", ttl=1)
    old.save(tmp_path / "links.json")
    store = store_args(tmp_path / "links.json")
    err = run_fails(cli, impl, 1, *store, "resolve", "gone", naming=["gone"])
    assert "expired" in err.lower(), f"resolve of an expired link wrote {err!r}: no 'expired'"
    err = run_fails(cli, impl, 1, *store, "resolve", "never", naming=["never"])
    assert "expired" not in err.lower(), f"resolve of an unknown code wrote {err!r}"


def check_against_model(impl, call, new_clock, seed, tmp_path):
    """Random operations on the shortener and on a list-of-records model, compared every step."""
    rng = random.Random(seed)
    clock = new_clock()
    shortener = make(impl, clock, seed=seed)
    model = {}  # code -> [url, created_at, expires_at, hits, is_alias], in creation order
    urls = [f"https://example.com/page/{i}" for i in range(25)]
    aliases = [f"alias-{i}" for i in range(8)]

    def live(code):
        return model[code][2] is None or clock.now < model[code][2]

    def shorten(step, code):
        url, ttl = rng.choice(urls), rng.choice([None, None, 5, 20, 60])
        alias = rng.choice(aliases) if rng.random() < 0.3 else None
        if alias is not None and alias in model and live(alias):
            call.raises(impl.AliasTakenError, shortener.shorten, url, alias=alias, ttl=ttl,
                        naming=repr(alias))
            return
        if alias is not None:
            call.returns(alias, shortener.shorten, url, alias=alias, ttl=ttl)
            model.pop(alias, None)
            model[alias] = [url, clock.now, None if ttl is None else clock.now + ttl, 0, True]
            return
        existing = [c for c, r in model.items() if r[0] == url and not r[4] and live(c)]
        if existing:
            call.returns(existing[0], shortener.shorten, url, ttl=ttl)
            return
        got = shortener.shorten(url, ttl=ttl)
        assert CODE.fullmatch(got) and got not in model, \
            f"step {step}: shorten({url!r}, ttl={ttl}) returned {got!r}, expected a new code"
        model[got] = [url, clock.now, None if ttl is None else clock.now + ttl, 0, False]

    def look(code):
        if code not in model:
            call.raises(impl.LinkNotFoundError, shortener.resolve, code, naming=repr(code))
        elif not live(code):
            call.raises(impl.LinkExpiredError, shortener.resolve, code, naming=repr(code))
        else:
            call.returns(model[code][0], shortener.resolve, code)
            model[code][3] += 1

    def stats(code):
        if code not in model:
            call.raises(impl.LinkNotFoundError, shortener.stats, code, naming=repr(code))
            return
        link = shortener.stats(code)
        got = (link.url, link.created_at, link.expires_at, link.hits)
        assert got == tuple(model[code][:4]), \
            f"stats({code!r}) gave {got!r}, the model {tuple(model[code][:4])!r}"

    def delete(code):
        if code in model:
            shortener.delete(code)
            del model[code]
        else:
            call.raises(impl.LinkNotFoundError, shortener.delete, code, naming=repr(code))

    for step in range(800):
        roll = rng.random()
        code = rng.choice([*model, "unknown", *aliases]) if model else "unknown"
        if roll < 0.35:
            shorten(step, code)
        elif roll < 0.6:
            look(code)
        elif roll < 0.7:
            stats(code)
        elif roll < 0.8:
            delete(code)
        elif roll < 0.99:
            clock.advance(rng.choice([0.5, 1, 3, 10]))
        else:
            shortener.save(tmp_path / "model.json")
            shortener = impl.URLShortener.load(tmp_path / "model.json", clock=clock,
                                               rng=random.Random(step))
        expected = [(c, *r[:4]) for c, r in model.items()]
        assert table(shortener) == expected, \
            f"step {step}: links() gave {table(shortener)!r}, the model {expected!r}"


@pytest.mark.extension
@pytest.mark.parametrize("seed", [1, 2])
def test_random_operations_match_a_simple_model(impl, call, new_clock, tmp_path, seed):
    check_against_model(impl, call, new_clock, seed, tmp_path)


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_shorten_and_resolve_stay_constant_time_from_1k_to_10k_links(impl, timed):
    def workload(size):
        shortener = impl.URLShortener(rng=random.Random(size))
        for i in range(size):  # aliases beyond the first 1,000: filling stays fast if O(n)
            alias = f"fill-{i}" if i >= 1_000 else None
            shortener.shorten(f"https://example.com/base/{i}", alias=alias)
        batches = itertools.count()

        def run():
            batch = next(batches)
            codes = [shortener.shorten(f"https://example.org/{batch}/{i}") for i in range(200)]
            for code in codes:
                shortener.resolve(code)
        return run

    small, large = workload(1_000), workload(10_000)
    gc.collect()
    gc.disable()  # a full collection of 10,000 links would land in one measurement only
    try:
        ratio = timed.ratio(large, small, at_most=3, repeats=5, timer=time.process_time)
    finally:
        gc.enable()
    assert ratio <= 3, f"200 shorten+resolve took {ratio:.1f}x longer with 10,000 links than " \
                       f"with 1,000: expected O(1) per call"


# --- change request: owners and quotas ----------------------------------------------------------


@pytest.mark.change
def test_change_links_of_an_owner_come_in_creation_order(impl, call, clock):
    shortener = make(impl, clock)
    first = shortener.shorten("https://example.com/1", owner="ann")
    shortener.shorten("https://example.com/2", owner="bob")
    clock.advance(1)
    shortener.shorten("https://example.com/3", alias="ann-3", owner="ann", ttl=1)
    shortener.shorten("https://example.com/4")
    clock.advance(5)  # ann-3 has expired: it is still listed
    got = [link.code for link in shortener.links(owner="ann")]
    assert got == [first, "ann-3"], f"links(owner='ann') gave {got}, expected [{first!r}, 'ann-3']"
    owners = [link.owner for link in shortener.links()]
    assert owners == ["ann", "bob", "ann", None], f"links() gave owners {owners}"
    call.returns([], shortener.links, owner="carl")
    owner = shortener.stats(first).owner
    assert owner == "ann", f"stats({first!r}).owner is {owner!r}, expected 'ann'"


@pytest.mark.change
def test_change_an_owner_at_quota_gets_quota_exceeded_and_nothing_changes(impl, call):
    shortener = make(impl, quota=2)
    shortener.shorten("https://example.com/1", owner="ann")
    shortener.shorten("https://example.com/2", owner="ann", alias="ann-2")
    before = table(shortener)
    error = call.raises(impl.QuotaExceededError, shortener.shorten, "https://example.com/3",
                        owner="ann", naming=["ann", "2"])
    assert isinstance(error, impl.ShortenerError), "QuotaExceededError is not a ShortenerError"
    call.raises(impl.QuotaExceededError, shortener.shorten, "https://example.com/3",
                owner="ann", alias="ann-3", naming="ann")
    call.raises(impl.AliasTakenError, shortener.shorten, "https://example.com/3", owner="ann",
                alias="ann-2", naming="ann-2")
    assert table(shortener) == before, "a refused shorten changed the links"
    call.raises(impl.LinkNotFoundError, shortener.resolve, "ann-3", naming="ann-3")
    for i in range(3):  # other owners and links without an owner are not limited by ann's
        succeeds(shortener.shorten, f"https://example.com/free/{i}")
    succeeds(shortener.shorten, "https://example.com/3", owner="bob")
    assert len(shortener.links()) == 6, f"links() holds {len(shortener.links())}, expected 6"


@pytest.mark.change
def test_change_expired_and_deleted_links_free_quota_places(impl, call, clock):
    shortener = make(impl, clock, quota=2)
    brief = shortener.shorten("https://example.com/brief", owner="ann", ttl=10)
    kept = shortener.shorten("https://example.com/kept", owner="ann")
    call.raises(impl.QuotaExceededError, shortener.shorten, "https://example.com/x", owner="ann",
                naming="ann")
    clock.advance(10)  # the brief link has expired: it holds no place
    third = succeeds(shortener.shorten, "https://example.com/x", owner="ann")
    shortener.delete(kept)
    succeeds(shortener.shorten, "https://example.com/y", owner="ann")
    got = [link.code for link in shortener.links(owner="ann")]
    assert got[:2] == [brief, third] and len(got) == 3, \
        f"links(owner='ann') gave {got}: expected the expired {brief!r}, {third!r} and a new one"


@pytest.mark.change
def test_change_idempotence_is_per_owner(impl, call):
    shortener = make(impl, quota=1)
    ann = succeeds(shortener.shorten, URL, owner="ann")
    bob = succeeds(shortener.shorten, URL, owner="bob")
    nobody = succeeds(shortener.shorten, URL)
    assert len({ann, bob, nobody}) == 3, \
        f"shorten(URL) for ann, bob and no owner gave {ann!r}, {bob!r}, {nobody!r}: one each"
    call.returns(ann, shortener.shorten, URL, owner="ann")  # at her quota: still her code
    call.returns(bob, shortener.shorten, URL, owner="bob")
    call.returns(nobody, shortener.shorten, URL)
    shortener.delete(bob)
    again = succeeds(shortener.shorten, URL, owner="bob")
    assert again not in (ann, nobody), f"bob's new code {again!r} is another owner's"


@pytest.mark.change
def test_change_owners_survive_save_and_load_and_old_stores_load(impl, call, tmp_path):
    shortener = make(impl)
    ann = shortener.shorten(URL, owner="ann")
    shortener.shorten(URL, alias="anon")
    shortener.save(tmp_path / "links.json")
    records = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))["links"]
    owners = [record.get("owner", "(none)") for record in records]
    assert owners == ["ann", None], f"save() wrote owners {owners}, expected ['ann', None]"
    loaded = impl.URLShortener.load(tmp_path / "links.json", rng=random.Random(2), quota=1)
    call.returns(ann, loaded.shorten, URL, owner="ann")
    call.raises(impl.QuotaExceededError, loaded.shorten, "https://example.com/2", owner="ann",
                naming="ann")
    got = [link.code for link in loaded.links(owner="ann")]
    assert got == [ann], f"links(owner='ann') after a reload gave {got}, expected [{ann!r}]"
    (tmp_path / "old.json").write_text(VALID_STORE, encoding="utf-8")
    owner = impl.URLShortener.load(tmp_path / "old.json").stats("abc1234").owner
    assert owner is None, f"a record without an owner field loaded with owner {owner!r}"


@pytest.mark.change
@pytest.mark.parametrize("where, value, error", [
    ("owner", 7, TypeError), ("owner", "", ValueError), ("quota", 0, ValueError),
    ("quota", 2.0, TypeError), ("quota", True, TypeError), ("quota", "3", TypeError),
    ("links", 7, TypeError),
], ids=lambda value: repr(value)[:12])
def test_change_bad_owners_and_quotas_are_rejected(impl, call, where, value, error):
    if where == "quota":
        call.raises(error, impl.URLShortener, quota=value, naming=repr(value))
        return
    shortener = make(impl)
    if where == "owner":
        call.raises(error, shortener.shorten, URL, owner=value, naming=repr(value))
        call.returns([], shortener.links)
    else:
        call.raises(error, shortener.links, owner=value, naming=repr(value))
