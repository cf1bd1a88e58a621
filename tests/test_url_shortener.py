"""URL shortener: codes, URL and alias rules, expiry, hits, atomic persistence and the CLI."""

from __future__ import annotations

import gc
import itertools
import json
import math
import random
import re
import string
import sys
from pathlib import Path

import pytest

CODE = re.compile(r"[A-Za-z0-9]{7}")
URL = "https://example.com/a/very/long/path?q=1#top"


def make(impl, clock=None, seed=1, **options):
    """A shortener with a fake clock and seeded codes."""
    return impl.URLShortener(clock=clock or (lambda: 1_000.0), rng=random.Random(seed), **options)


def table(shortener):
    """Every link as plain tuples, for comparisons."""
    return [(link.code, link.url, link.created_at, link.expires_at, link.hits)
            for link in shortener.links()]


def call_main(impl, *args):
    """main(argv) in this process; argparse may exit instead of returning, as a script would."""
    try:
        return impl.main(list(args))
    except SystemExit as exit_:
        return exit_.code


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_shorten_returns_a_seven_character_base62_code_that_resolves_to_the_url(impl):
    shortener = make(impl)
    code = shortener.shorten(URL)
    assert CODE.fullmatch(code), code
    assert shortener.resolve(code) == URL


@pytest.mark.core
def test_code_length_sets_the_length_of_generated_codes(impl):
    code = make(impl, code_length=12).shorten(URL)
    assert re.fullmatch(r"[A-Za-z0-9]{12}", code), code


@pytest.mark.core
def test_shortening_a_url_again_returns_its_existing_code(impl):
    shortener = make(impl)
    first = shortener.shorten(URL)
    assert shortener.shorten(URL) == first
    assert len(shortener.links()) == 1


@pytest.mark.core
def test_different_urls_get_different_codes(impl):
    shortener = make(impl)
    urls = [f"https://example.com/{i}" for i in range(500)]
    codes = [shortener.shorten(url) for url in urls]
    assert len(set(codes)) == 500
    assert [shortener.resolve(code) for code in codes] == urls


@pytest.mark.core
def test_an_alias_becomes_the_code(impl):
    shortener = make(impl)
    assert shortener.shorten(URL, alias="my-Link_2") == "my-Link_2"
    assert shortener.resolve("my-Link_2") == URL


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
def test_accepted_urls_are_stored_and_returned_exactly_as_given(impl, url):
    shortener = make(impl)
    assert shortener.resolve(shortener.shorten(url)) == url


@pytest.mark.core
def test_two_seeds_give_different_codes_and_one_seed_the_same(impl):
    urls = [f"https://example.com/{i}" for i in range(50)]
    one, same, other = ([make(impl, seed=seed).shorten(u) for u in urls] for seed in (1, 1, 2))
    assert one == same, "rng= must be the only source of randomness"
    assert sum(a != b for a, b in zip(one, other)) >= 45


@pytest.mark.core
def test_codes_are_unpredictable_not_a_counter(impl):
    shortener = impl.URLShortener()
    codes = [shortener.shorten(f"https://example.com/{i}") for i in range(300)]
    assert len(set(codes)) == 300 and all(CODE.fullmatch(code) for code in codes)
    for position in range(7):
        seen = {code[position] for code in codes}
        assert len(seen) >= 40, f"character {position} takes only {sorted(seen)}: a sequence?"
    again = impl.URLShortener()
    assert all(again.shorten(f"https://example.com/{i}") != codes[i] for i in range(20)), \
        "two default shorteners produce the same codes: the default is not secrets"


@pytest.mark.core
def test_save_and_load_round_trip_the_links(impl, new_clock, tmp_path):
    clock = new_clock()
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    shortener.shorten("https://example.com", alias="home")
    shortener.save(tmp_path / "links.json")
    loaded = impl.URLShortener.load(str(tmp_path / "links.json"), clock=clock)
    assert table(loaded) == table(shortener)
    assert loaded.resolve(code) == URL and loaded.resolve("home") == "https://example.com"
    assert loaded.shorten(URL) == code, "idempotence must survive a reload"


@pytest.mark.core
def test_loading_a_missing_file_gives_an_empty_shortener(impl, tmp_path):
    loaded = impl.URLShortener.load(tmp_path / "absent.json", rng=random.Random(3))
    assert loaded.links() == []
    assert CODE.fullmatch(loaded.shorten(URL))
    assert not (tmp_path / "absent.json").exists()


@pytest.mark.core
def test_cli_shorten_then_resolve_in_a_later_run(impl_file, run_cli, tmp_path):
    shortened = run_cli(impl_file, "shorten", URL, cwd=tmp_path)
    assert (shortened.returncode, shortened.stderr) == (0, "")
    code = shortened.stdout.strip()
    assert CODE.fullmatch(code) and shortened.stdout == code + "\n"
    assert (tmp_path / "links.json").is_file(), "the default store is links.json in the cwd"
    resolved = run_cli(impl_file, "resolve", code, cwd=tmp_path)
    assert (resolved.returncode, resolved.stdout, resolved.stderr) == (0, URL + "\n", "")
    again = run_cli(impl_file, "shorten", URL, cwd=tmp_path)
    assert again.stdout == code + "\n", "the same URL keeps its code across runs"


@pytest.mark.core
def test_cli_alias_and_store_option(impl_file, run_cli, tmp_path):
    made = run_cli(impl_file, "--store", "other.json", "shorten", URL, "--alias", "home",
                   cwd=tmp_path)
    assert (made.returncode, made.stdout) == (0, "home\n")
    assert (tmp_path / "other.json").is_file() and not (tmp_path / "links.json").exists()
    resolved = run_cli(impl_file, "--store", "other.json", "resolve", "home", cwd=tmp_path)
    assert (resolved.returncode, resolved.stdout) == (0, URL + "\n")
    elsewhere = run_cli(impl_file, "resolve", "home", cwd=tmp_path)
    assert elsewhere.returncode == 1


@pytest.mark.core
def test_main_runs_in_process_and_returns_the_exit_code(impl, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert call_main(impl, "shorten", URL) == 0
    code = capsys.readouterr().out.strip()
    assert call_main(impl, "resolve", code) == 0
    assert capsys.readouterr().out == URL + "\n"
    assert call_main(impl, "stats", code) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == 1
    assert call_main(impl, "list") == 0
    assert capsys.readouterr().out == f"{code} {URL}\n"
    assert call_main(impl, "delete", code) == 0
    assert capsys.readouterr().out == ""
    assert call_main(impl, "resolve", code) == 1
    assert code in capsys.readouterr().err
    assert call_main(impl, "shorten", URL, "--ttl", "60") == 0
    assert CODE.fullmatch(capsys.readouterr().out.strip())
    for usage_error in [("shorten",), ("shorten", URL, "--ttl", "soon"),
                        ("shorten", URL, "--ttl", "-1")]:
        assert call_main(impl, *usage_error) == 2
        assert "usage" in capsys.readouterr().err.lower()
    assert call_main(impl, "--help") == 0


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_url_of_exactly_2048_characters_is_accepted(impl):
    url = "https://example.com/" + "a" * (2048 - len("https://example.com/"))
    shortener = make(impl)
    assert shortener.resolve(shortener.shorten(url)) == url


@pytest.mark.edge
@pytest.mark.parametrize("alias", ["abc", "A" * 32, "---", "___", "0123456789", "Z-9_x"])
def test_aliases_of_3_to_32_ascii_letters_digits_dash_underscore_are_accepted(impl, alias):
    shortener = make(impl)
    assert shortener.shorten(URL, alias=alias) == alias
    assert shortener.resolve(alias) == URL


@pytest.mark.edge
def test_aliases_are_case_sensitive(impl):
    shortener = make(impl)
    shortener.shorten("https://example.com/lower", alias="home")
    shortener.shorten("https://example.com/upper", alias="HOME")
    assert shortener.resolve("home") == "https://example.com/lower"
    assert shortener.resolve("HOME") == "https://example.com/upper"
    with pytest.raises(impl.LinkNotFoundError):
        shortener.resolve("Home")


@pytest.mark.edge
def test_an_alias_does_not_count_as_the_urls_generated_code(impl):
    shortener = make(impl)
    shortener.shorten(URL, alias="first")
    generated = shortener.shorten(URL)
    assert generated != "first" and CODE.fullmatch(generated)
    assert shortener.shorten(URL, alias="second") == "second"
    assert shortener.shorten(URL) == generated
    assert len(shortener.links()) == 3


@pytest.mark.edge
def test_a_ttl_on_a_repeated_shorten_changes_nothing(impl):
    shortener = make(impl)
    code = shortener.shorten(URL)
    assert shortener.shorten(URL, ttl=5) == code
    assert shortener.stats(code).expires_at is None


@pytest.mark.edge
def test_a_generated_code_never_takes_an_existing_alias(impl):
    # The same seed draws the same first code: take it as an alias first.
    drawn = make(impl, seed=42).shorten(URL)
    shortener = make(impl, seed=42)
    shortener.shorten("https://example.com/owner", alias=drawn)
    code = shortener.shorten(URL)
    assert code != drawn
    assert shortener.resolve(drawn) == "https://example.com/owner"
    assert shortener.resolve(code) == URL


@pytest.mark.edge
def test_an_exhausted_code_space_raises_shortener_error(impl, error_naming):
    shortener = make(impl, code_length=1)
    codes = {shortener.shorten(f"https://example.com/{i}") for i in range(62)}
    assert codes == set(string.ascii_letters + string.digits)
    with error_naming(impl.ShortenerError, "exhausted"):
        shortener.shorten("https://example.com/one-too-many")
    assert len(shortener.links()) == 62


@pytest.mark.edge
def test_stats_and_links_return_copies_not_live_links(impl):
    shortener = make(impl)
    code = shortener.shorten(URL)
    shortener.stats(code).hits = 99
    listed = shortener.links()
    listed[0].url = "https://evil.example"
    listed.clear()
    assert shortener.stats(code).hits == 0
    assert shortener.resolve(code) == URL and len(shortener.links()) == 1


@pytest.mark.edge
def test_save_and_load_accept_str_and_pathlib_paths(impl, tmp_path):
    shortener = make(impl)
    shortener.shorten(URL, alias="home")
    shortener.save(str(tmp_path / "a.json"))
    shortener.save(tmp_path / "b.json")
    for name in ("a.json", "b.json"):
        assert impl.URLShortener.load(Path(tmp_path / name)).resolve("home") == URL


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
def test_rejected_urls_raise_invalid_url_error_naming_url_and_rule(impl, error_naming, url, rule):
    shortener = make(impl)
    with error_naming(impl.InvalidURLError, repr(url), rule):
        shortener.shorten(url)
    assert shortener.links() == []


@pytest.mark.errors
@pytest.mark.parametrize("url", [None, 42, b"http://example.com", ["http://example.com"]])
def test_a_non_str_url_is_an_invalid_url_error(impl, error_naming, url):
    with error_naming(impl.InvalidURLError, repr(url), "str"):
        make(impl).shorten(url)


@pytest.mark.errors
@pytest.mark.parametrize("alias", [
    "ab", "a" * 33, "", "has space", "a/b/c", "dot.ted", "semi;colon", "abc\n", "ab\x00c",
    "ab\u0661",  # ARABIC-INDIC DIGIT ONE: isalnum() says yes
    "caf\u00e9", "\uff41\uff42\uff43", "abc\u00b2", 123, b"abc",
])
def test_invalid_aliases_raise_invalid_alias_error(impl, error_naming, alias):
    shortener = make(impl)
    with error_naming(impl.InvalidAliasError, repr(alias)):
        shortener.shorten(URL, alias=alias)
    assert shortener.links() == []


@pytest.mark.errors
def test_an_alias_held_by_a_live_link_is_taken_even_for_the_same_url(impl, error_naming):
    shortener = make(impl)
    shortener.shorten(URL, alias="home")
    for url in (URL, "https://example.com/other"):
        with error_naming(impl.AliasTakenError, "'home'"):
            shortener.shorten(url, alias="home")
    generated = shortener.shorten("https://example.com/generated")
    with error_naming(impl.AliasTakenError, repr(generated)):
        shortener.shorten(URL, alias=generated)
    assert shortener.resolve("home") == URL
    assert len(shortener.links()) == 2


@pytest.mark.errors
def test_resolving_an_unknown_code_raises_link_not_found(impl, error_naming):
    shortener = make(impl)
    shortener.shorten(URL)
    with error_naming(impl.LinkNotFoundError, "'nope123'"):
        shortener.resolve("nope123")
    with error_naming(impl.LinkNotFoundError, "''"):
        shortener.resolve("")


@pytest.mark.errors
def test_domain_errors_share_the_shortener_error_base(impl):
    for name in ("InvalidURLError", "InvalidAliasError", "AliasTakenError", "LinkNotFoundError",
                 "LinkExpiredError", "StoreError"):
        assert issubclass(getattr(impl, name), impl.ShortenerError), name
    with pytest.raises(impl.ShortenerError):
        make(impl).resolve("missing")


@pytest.mark.errors
@pytest.mark.parametrize("ttl, error", [
    (0, ValueError), (-1, ValueError), (-0.5, ValueError), (math.nan, ValueError),
    (math.inf, ValueError), ("60", TypeError), (True, TypeError), ([60], TypeError),
])
def test_a_ttl_must_be_positive_finite_seconds(impl, error_naming, ttl, error):
    shortener = make(impl)
    with error_naming(error, repr(ttl)):
        shortener.shorten(URL, ttl=ttl)
    assert shortener.links() == []


@pytest.mark.errors
@pytest.mark.parametrize("name, value, error", [
    ("code_length", 0, ValueError), ("code_length", 33, ValueError),
    ("code_length", "7", TypeError), ("code_length", 7.0, TypeError),
    ("code_length", True, TypeError), ("clock", 5, TypeError), ("rng", 42, TypeError),
])
def test_bad_constructor_arguments_are_rejected(impl, error_naming, name, value, error):
    with error_naming(error, repr(value)):
        impl.URLShortener(**{name: value})


@pytest.mark.errors
@pytest.mark.parametrize("method", ["resolve", "stats", "delete"])
@pytest.mark.parametrize("code", [7, None, b"abc"])
def test_codes_must_be_str(impl, error_naming, method, code):
    with error_naming(TypeError, repr(code)):
        getattr(make(impl), method)(code)


@pytest.mark.errors
def test_a_rejected_shorten_changes_nothing(impl):
    shortener = make(impl)
    with pytest.raises(ValueError):
        shortener.shorten(URL, alias="fresh", ttl=0)
    with pytest.raises(impl.InvalidAliasError):
        shortener.shorten(URL, alias="no good")
    assert shortener.links() == []
    assert shortener.shorten(URL, alias="fresh") == "fresh", "the rejected call reserved the alias"
    assert shortener.shorten(URL) != "fresh"


VALID_RECORD = {"code": "abc1234", "url": "https://example.com", "created_at": 1000.0,
                "expires_at": None, "hits": 3, "alias": False}
VALID_STORE = json.dumps({"version": 1, "links": [VALID_RECORD]}, indent=1)


def store_with(**changes):
    return json.dumps({"version": 1, "links": [{**VALID_RECORD, **changes}]})


CORRUPT_STORES = {
    "not-json": "{not json",
    "truncated": VALID_STORE[:len(VALID_STORE) // 2],
    "empty-file": "",
    "a-list": "[]",
    "version-2": json.dumps({"version": 2, "links": []}),
    "no-version": json.dumps({"links": []}),
    "no-links": json.dumps({"version": 1}),
    "links-not-a-list": json.dumps({"version": 1, "links": {}}),
    "record-not-an-object": json.dumps({"version": 1, "links": ["abc1234"]}),
    "missing-field": json.dumps({"version": 1, "links": [
        {k: v for k, v in VALID_RECORD.items() if k != "hits"}]}),
    "bad-url": store_with(url="javascript:alert(1)"),
    "negative-hits": store_with(hits=-1),
    "str-hits": store_with(hits="3"),
    "bad-code": store_with(code="has space"),
    "str-created-at": store_with(created_at="now"),
    "str-expires-at": store_with(expires_at="never"),
    "str-alias-flag": store_with(alias="yes"),
    "duplicate-code": json.dumps({"version": 1, "links": [VALID_RECORD, VALID_RECORD]}),
}


@pytest.mark.errors
@pytest.mark.parametrize("name", CORRUPT_STORES)
def test_a_corrupt_store_raises_store_error_and_is_left_untouched(impl, error_naming, tmp_path,
                                                                   name):
    path = tmp_path / "links.json"
    path.write_text(CORRUPT_STORES[name], encoding="utf-8")
    before = path.read_bytes()
    with error_naming(impl.StoreError, path.name):
        impl.URLShortener.load(path)
    assert path.read_bytes() == before


@pytest.mark.errors
def test_a_store_that_is_not_utf8_or_not_a_file_raises_store_error(impl, error_naming, tmp_path):
    path = tmp_path / "links.json"
    path.write_bytes(b"\xff\xfe{\x00")
    with error_naming(impl.StoreError, "links.json"):
        impl.URLShortener.load(path)
    (tmp_path / "folder.json").mkdir()
    with error_naming(impl.StoreError, "folder.json"):
        impl.URLShortener.load(tmp_path / "folder.json")


@pytest.mark.errors
def test_saving_into_a_missing_folder_raises_store_error(impl, error_naming, tmp_path):
    with error_naming(impl.StoreError, "links.json"):
        make(impl).save(tmp_path / "no-such-folder" / "links.json")


@pytest.mark.errors
def test_store_paths_must_be_str_or_pathlike(impl, error_naming):
    with error_naming(TypeError, "42"):
        make(impl).save(42)
    with error_naming(TypeError, "None"):
        impl.URLShortener.load(None)


@pytest.mark.errors
def test_cli_domain_errors_exit_1_with_a_one_line_message(impl_file, run_cli, tmp_path):
    assert run_cli(impl_file, "shorten", URL, "--alias", "home", cwd=tmp_path).returncode == 0
    for args, named in [(("resolve", "nope"), "nope"),
                        (("shorten", "javascript:alert(1)"), "javascript:alert(1)"),
                        (("shorten", "http://exa\nmple.com"), "http://exa"),
                        (("shorten", URL, "--alias", "home"), "home"),
                        (("shorten", URL, "--alias", "no"), "no"),
                        (("delete", "nope"), "nope")]:
        done = run_cli(impl_file, *args, cwd=tmp_path)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stdout == "" and "Traceback" not in done.stderr, (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1 and named in done.stderr, (args, done.stderr)


@pytest.mark.errors
@pytest.mark.parametrize("args", [
    (), ("frobnicate",), ("shorten",), ("shorten", URL, "--ttl", "soon"),
    ("shorten", URL, "--ttl", "-5"),
], ids=lambda args: " ".join(args) or "no-command")
def test_cli_usage_errors_exit_2_without_a_traceback(impl_file, run_cli, tmp_path, args):
    done = run_cli(impl_file, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "usage" in done.stderr.lower() and "Traceback" not in done.stderr
    assert not (tmp_path / "links.json").exists()


@pytest.mark.errors
def test_cli_refuses_a_corrupt_store_and_never_overwrites_it(impl_file, run_cli, tmp_path):
    store = tmp_path / "links.json"
    store.write_text(VALID_STORE[:40], encoding="utf-8")
    before = store.read_bytes()
    for args in (("shorten", URL), ("list",)):
        done = run_cli(impl_file, *args, cwd=tmp_path)
        assert done.returncode == 1 and "links.json" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.json"]


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_shortens_of_distinct_urls_get_distinct_codes(impl, run_threads, frequent_thread_switches):
    shortener = make(impl)
    results = run_threads(8, lambda t: [
        shortener.shorten(f"https://example.com/{t}/{i}") for i in range(150)])
    codes = [code for batch in results for code in batch]
    assert len(set(codes)) == len(codes) == 1200 == len(shortener.links())
    for t, batch in enumerate(results):
        assert [shortener.resolve(code) for code in batch] == [
            f"https://example.com/{t}/{i}" for i in range(150)]


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_shortens_of_the_same_url_agree_on_one_code(impl, run_threads, frequent_thread_switches):
    shortener = make(impl)
    urls = [f"https://example.com/{i}" for i in range(150)]
    results = run_threads(8, lambda t: [shortener.shorten(url) for url in urls])
    assert all(batch == results[0] for batch in results)
    assert len(shortener.links()) == 150


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_claims_of_an_alias_have_exactly_one_winner(impl, run_threads, frequent_thread_switches):
    shortener = make(impl)

    def claim(t):
        won = []
        for i in range(150):
            try:
                won.append(shortener.shorten(f"https://example.com/{t}", alias=f"alias-{i}"))
            except impl.AliasTakenError:
                pass
        return won

    results = run_threads(8, claim)
    winners = [alias for batch in results for alias in batch]
    assert sorted(winners) == sorted(f"alias-{i}" for i in range(150))
    for t, batch in enumerate(results):
        assert all(shortener.resolve(alias) == f"https://example.com/{t}" for alias in batch)


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_resolves_count_every_hit(impl, run_threads, frequent_thread_switches):
    shortener = make(impl)
    code = shortener.shorten(URL)
    results = run_threads(8, lambda t: {shortener.resolve(code) for _ in range(400)})
    assert all(urls == {URL} for urls in results)
    assert shortener.stats(code).hits == 3200


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
        assert reader.read() == old, "save rewrote the file in place instead of replacing it"
    assert len(impl.URLShortener.load(path).links()) == 51


# --- extension ----------------------------------------------------------------------------------


@pytest.mark.extension
def test_an_expired_link_raises_link_expired_not_link_not_found(impl, clock, error_naming):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=60)
    assert shortener.stats(code).expires_at == clock.now + 60
    clock.advance(59.5)
    assert shortener.resolve(code) == URL
    clock.advance(0.5)
    with error_naming(impl.LinkExpiredError, repr(code)):
        shortener.resolve(code)
    with pytest.raises(impl.LinkNotFoundError):
        shortener.resolve("never00")
    assert not issubclass(impl.LinkExpiredError, impl.LinkNotFoundError)


@pytest.mark.extension
def test_resolve_counts_hits_and_stats_does_not(impl, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    for _ in range(3):
        shortener.resolve(code)
    link = shortener.stats(code)
    assert (link.code, link.url, link.created_at, link.expires_at, link.hits) == (
        code, URL, clock.now, None, 3)
    assert shortener.stats(code).hits == 3


@pytest.mark.extension
def test_a_failed_resolve_counts_no_hit_and_expired_links_keep_their_stats(impl, clock):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=10)
    shortener.resolve(code)
    clock.advance(10)
    for _ in range(3):
        with pytest.raises(impl.LinkExpiredError):
            shortener.resolve(code)
    assert shortener.stats(code).hits == 1
    assert [link.code for link in shortener.links()] == [code]


@pytest.mark.extension
def test_links_lists_every_link_in_creation_order(impl, clock):
    shortener = make(impl, clock)
    first = shortener.shorten("https://example.com/1", ttl=5)
    clock.advance(1)
    shortener.shorten("https://example.com/2", alias="second")
    clock.advance(10)
    third = shortener.shorten("https://example.com/3")
    assert table(shortener) == [
        (first, "https://example.com/1", 1000.0, 1005.0, 0),
        ("second", "https://example.com/2", 1001.0, None, 0),
        (third, "https://example.com/3", 1011.0, None, 0),
    ]


@pytest.mark.extension
def test_delete_removes_a_link_and_its_code_is_then_not_found(impl, clock, error_naming):
    shortener = make(impl, clock)
    code = shortener.shorten(URL)
    expiring = shortener.shorten("https://example.com/brief", alias="brief", ttl=1)
    clock.advance(5)
    shortener.delete(code)
    shortener.delete(expiring)
    assert shortener.links() == []
    for gone in (code, "brief"):
        with error_naming(impl.LinkNotFoundError, repr(gone)):
            shortener.resolve(gone)
        with pytest.raises(impl.LinkNotFoundError):
            shortener.stats(gone)
        with pytest.raises(impl.LinkNotFoundError):
            shortener.delete(gone)
    fresh = shortener.shorten(URL)
    assert shortener.resolve(fresh) == URL and len(shortener.links()) == 1


@pytest.mark.extension
def test_an_alias_held_only_by_an_expired_link_can_be_taken_again(impl, clock):
    shortener = make(impl, clock)
    shortener.shorten("https://example.com/old", alias="sale", ttl=30)
    clock.advance(30)
    assert shortener.shorten("https://example.com/new", alias="sale") == "sale"
    assert shortener.resolve("sale") == "https://example.com/new"
    assert table(shortener) == [("sale", "https://example.com/new", 1030.0, None, 1)]


@pytest.mark.extension
def test_a_url_whose_generated_code_expired_gets_a_new_code(impl, clock):
    shortener = make(impl, clock)
    old = shortener.shorten(URL, ttl=30)
    clock.advance(30)
    new = shortener.shorten(URL)
    assert new != old and shortener.resolve(new) == URL
    with pytest.raises(impl.LinkExpiredError):
        shortener.resolve(old)
    assert shortener.shorten(URL) == new
    taken_over = shortener.shorten("https://example.com/other", alias=old)
    assert taken_over == old and shortener.shorten(URL) == new


@pytest.mark.extension
def test_save_writes_the_documented_json_format(impl, clock, tmp_path):
    shortener = make(impl, clock)
    code = shortener.shorten(URL, ttl=60)
    shortener.shorten("https://example.com", alias="home")
    shortener.resolve("home")
    shortener.save(tmp_path / "links.json")
    assert json.loads((tmp_path / "links.json").read_text(encoding="utf-8")) == {
        "version": 1,
        "links": [
            {"code": code, "url": URL, "created_at": 1000.0, "expires_at": 1060.0, "hits": 0,
             "alias": False},
            {"code": "home", "url": "https://example.com", "created_at": 1000.0,
             "expires_at": None, "hits": 1, "alias": True},
        ]}


@pytest.mark.extension
def test_load_reads_a_store_written_by_hand(impl, new_clock, tmp_path):
    records = [
        {**VALID_RECORD, "code": "Gen0001", "url": "https://example.com/gen"},
        {**VALID_RECORD, "code": "promo", "url": "https://example.com/promo", "alias": True},
        {**VALID_RECORD, "code": "Old0001", "url": "https://example.com/old",
         "expires_at": 1500.0, "alias": False},
    ]
    path = tmp_path / "links.json"
    path.write_text(json.dumps({"version": 1, "links": records}), encoding="utf-8")
    clock = new_clock(2000.0)
    loaded = impl.URLShortener.load(path, clock=clock, rng=random.Random(5))
    assert table(loaded) == [(r["code"], r["url"], r["created_at"], r["expires_at"], r["hits"])
                             for r in records]
    assert loaded.shorten("https://example.com/gen") == "Gen0001"
    assert loaded.shorten("https://example.com/promo") != "promo"
    with pytest.raises(impl.LinkExpiredError):
        loaded.resolve("Old0001")
    assert loaded.shorten("https://example.com/old") != "Old0001"


@pytest.mark.extension
def test_a_save_that_fails_midway_keeps_the_old_file_and_no_temporary_file(impl, tmp_path,
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
    with pytest.raises((impl.StoreError, OSError)):
        shortener.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.json"]
    assert table(impl.URLShortener.load(path)) == table(shortener)[:1]


@pytest.mark.extension
def test_save_and_load_keep_expiry_hits_and_aliases(impl, new_clock, tmp_path):
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
    assert table(loaded) == table(shortener)
    with pytest.raises(impl.LinkExpiredError):
        loaded.resolve(brief)
    assert loaded.resolve("sale") == "https://example.com/sale"
    assert loaded.stats("sale").hits == 3
    with pytest.raises(impl.AliasTakenError):
        loaded.shorten(URL, alias="sale")


@pytest.mark.extension
def test_cli_stats_delete_and_list(impl_file, run_cli, tmp_path):
    def cli(*args):
        done = run_cli(impl_file, *args, cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, ""), (args, done.stderr)
        return done.stdout

    first = cli("shorten", "https://example.com/1").strip()
    cli("shorten", "https://example.com/2", "--alias", "two", "--ttl", "3600")
    cli("resolve", "two")
    cli("resolve", "two")
    stats = json.loads(cli("stats", "two"))
    assert set(stats) == {"code", "url", "created_at", "expires_at", "hits"}
    assert (stats["code"], stats["url"], stats["hits"]) == ("two", "https://example.com/2", 2)
    assert stats["expires_at"] == pytest.approx(stats["created_at"] + 3600)
    assert cli("list") == f"{first} https://example.com/1\ntwo https://example.com/2\n"
    assert cli("delete", first) == ""
    assert cli("list") == "two https://example.com/2\n"
    assert run_cli(impl_file, "resolve", first, cwd=tmp_path).returncode == 1


@pytest.mark.extension
def test_cli_resolve_of_an_expired_link_exits_1_saying_expired(impl, new_clock, impl_file, run_cli,
                                                               tmp_path):
    old = impl.URLShortener(clock=new_clock(0.0))
    old.shorten(URL, alias="gone", ttl=1)
    old.save(tmp_path / "links.json")
    done = run_cli(impl_file, "resolve", "gone", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert "gone" in done.stderr and "expired" in done.stderr.lower(), done.stderr
    missing = run_cli(impl_file, "resolve", "never", cwd=tmp_path)
    assert missing.returncode == 1 and "expired" not in missing.stderr.lower()


def check_against_model(impl, new_clock, seed, tmp_path):
    """Random operations on the shortener and on a list-of-records model, compared every step."""
    rng = random.Random(seed)
    clock = new_clock()
    shortener = make(impl, clock, seed=seed)
    model = {}  # code -> [url, created_at, expires_at, hits, is_alias], in creation order
    urls = [f"https://example.com/page/{i}" for i in range(25)]
    aliases = [f"alias-{i}" for i in range(8)]

    def live(code):
        return model[code][2] is None or clock.now < model[code][2]

    for step in range(1500):
        roll = rng.random()
        code = rng.choice([*model, "unknown", *aliases]) if model else "unknown"
        if roll < 0.35:
            url, ttl = rng.choice(urls), rng.choice([None, None, 5, 20, 60])
            alias = rng.choice(aliases) if rng.random() < 0.3 else None
            where = f"step {step}: shorten({url!r}, alias={alias!r}, ttl={ttl})"
            if alias is not None and alias in model and live(alias):
                with pytest.raises(impl.AliasTakenError):
                    shortener.shorten(url, alias=alias, ttl=ttl)
            elif alias is not None:
                assert shortener.shorten(url, alias=alias, ttl=ttl) == alias, where
                model.pop(alias, None)
                model[alias] = [url, clock.now, None if ttl is None else clock.now + ttl, 0, True]
            else:
                existing = [c for c, r in model.items() if r[0] == url and not r[4] and live(c)]
                got = shortener.shorten(url, ttl=ttl)
                if existing:
                    assert got == existing[0], where
                else:
                    assert CODE.fullmatch(got) and got not in model, where
                    model[got] = [url, clock.now, None if ttl is None else clock.now + ttl, 0,
                                  False]
        elif roll < 0.6:
            if code not in model:
                with pytest.raises(impl.LinkNotFoundError):
                    shortener.resolve(code)
            elif not live(code):
                with pytest.raises(impl.LinkExpiredError):
                    shortener.resolve(code)
            else:
                assert shortener.resolve(code) == model[code][0], f"step {step}"
                model[code][3] += 1
        elif roll < 0.7:
            if code in model:
                link = shortener.stats(code)
                assert (link.url, link.created_at, link.expires_at, link.hits) == tuple(
                    model[code][:4]), f"step {step}"
            else:
                with pytest.raises(impl.LinkNotFoundError):
                    shortener.stats(code)
        elif roll < 0.8:
            if code in model:
                shortener.delete(code)
                del model[code]
            else:
                with pytest.raises(impl.LinkNotFoundError):
                    shortener.delete(code)
        elif roll < 0.99:
            clock.advance(rng.choice([0.5, 1, 3, 10]))
        else:
            shortener.save(tmp_path / "model.json")
            shortener = impl.URLShortener.load(tmp_path / "model.json", clock=clock,
                                               rng=random.Random(step))
        assert table(shortener) == [(c, *r[:4]) for c, r in model.items()], f"step {step}"


@pytest.mark.extension
@pytest.mark.parametrize("seed", [1, 2])
def test_random_operations_match_a_simple_model(impl, new_clock, tmp_path, seed):
    check_against_model(impl, new_clock, seed, tmp_path)


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_shorten_and_resolve_stay_constant_time_from_10k_to_100k_links(impl, timed):
    def filled(size):
        shortener = impl.URLShortener(rng=random.Random(size))
        for i in range(size):
            shortener.shorten(f"https://example.com/base/{i}")
        return shortener

    def workload(shortener):
        batches = itertools.count()

        def run():
            batch = next(batches)
            codes = [shortener.shorten(f"https://example.org/{batch}/{i}") for i in range(1000)]
            for code in codes:
                shortener.resolve(code)
        return run

    small, large = workload(filled(10_000)), workload(filled(100_000))
    small_time = large_time = math.inf
    gc.collect()
    gc.disable()  # a full collection of 100,000 links would land in one measurement only
    try:
        for _ in range(7):  # interleaved, so a busy spell on the machine slows both sizes alike
            small_time = min(small_time, timed(small, repeats=1))
            large_time = min(large_time, timed(large, repeats=1))
    finally:
        gc.enable()
    ratio = large_time / small_time
    assert ratio < 3, f"10x more links made shorten+resolve {ratio:.1f}x slower: not O(1)"
