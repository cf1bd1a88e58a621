"""Grades a transactional key-value store (katas/kv_store.py): run with --impl to grade a copy."""

from __future__ import annotations

import collections
import io
import math
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest


@pytest.fixture
def db(impl):
    return impl.KVStore()


def filled(impl, size: int, **store_options):
    """A store of `size` keys k0, k1, ... bound to ten values v0 ... v9."""
    store = impl.KVStore(**store_options)
    for i in range(size):
        store.set(f"k{i}", f"v{i % 10}")
    return store


def expect(db, gets: dict[str, str | None], counts: dict[str, int] | None = None,
           when: str = "") -> None:
    """Each value in `counts` counts as given and each key in `gets` reads as given; counts are
    asked first, so that no get() has a chance to tidy the store before them."""
    where = f" {when}" if when else ""
    for value, want in (counts or {}).items():
        got = db.count(value)
        assert got == want, f"count({value!r}) returned {got!r}{where}, expected {want!r}"
    for key, want in gets.items():
        got = db.get(key)
        assert got == want, f"get({key!r}) returned {got!r}{where}, expected {want!r}"


def first_mismatch(db, data: dict[str, str], keys: list[str], values: list[str]) -> str | None:
    """How the store disagrees with the model `data` (counts first), or None."""
    for value in values:
        want = sum(1 for held in data.values() if held == value)
        got = db.count(value)
        if got != want:
            return f"count({value!r}) returned {got!r}, expected {want!r}"
    for key in keys:
        got = db.get(key)
        if got != data.get(key):
            return f"get({key!r}) returned {got!r}, expected {data.get(key)!r}"
    return None


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_get_returns_the_value_set_and_none_when_missing(db, call):
    db.set("a", "10")
    call.returns("10", db.get, "a")
    call.returns(None, db.get, "b")


@pytest.mark.core
def test_set_overwrites_an_existing_key(db):
    db.set("a", "10")
    db.set("a", "20")
    expect(db, {"a": "20"}, {"10": 0, "20": 1}, "after set('a', '10'), set('a', '20')")


@pytest.mark.core
def test_delete_removes_the_key_and_reports_whether_it_was_there(db, call):
    db.set("a", "10")
    call.returns(True, db.delete, "a")
    call.returns(None, db.get, "a")
    call.returns(False, db.delete, "a")


@pytest.mark.core
def test_count_follows_sets_overwrites_and_deletes(db, call):
    for key in "abc":
        db.set(key, "10")
    call.returns(3, db.count, "10")
    db.set("b", "20")
    db.delete("c")
    expect(db, {}, {"10": 1, "20": 1}, "after set b to '20' and delete c")


@pytest.mark.core
def test_rollback_undoes_sets_overwrites_and_deletes_since_begin(db):
    db.set("kept", "1")
    db.set("changed", "1")
    db.set("deleted", "1")
    db.begin()
    db.set("created", "2")
    db.set("changed", "2")
    db.delete("deleted")
    expect(db, {"created": "2", "changed": "2", "deleted": None}, when="inside the transaction")
    db.rollback()
    expect(db, {"kept": "1", "changed": "1", "deleted": "1", "created": None}, {"1": 3, "2": 0},
           "after rollback()")


@pytest.mark.core
def test_nested_rollback_undoes_only_the_innermost_transaction(db):
    db.set("a", "10")
    db.begin()
    db.set("a", "20")
    db.begin()
    db.set("a", "30")
    db.rollback()
    expect(db, {"a": "20"}, when="after the inner rollback()")
    db.rollback()
    expect(db, {"a": "10"}, when="after the outer rollback()")


@pytest.mark.core
def test_commit_keeps_every_change_and_closes_every_transaction(impl, db, call):
    db.begin()
    db.set("a", "10")
    db.begin()
    db.set("b", "20")
    db.commit()
    expect(db, {"a": "10", "b": "20"}, when="after commit()")
    call.raises(impl.NoTransactionError, db.rollback)
    expect(db, {"a": "10", "b": "20"}, when="after a refused rollback()")


@pytest.mark.core
def test_rollback_restores_counts(db):
    db.set("a", "10")
    db.set("b", "10")
    db.begin()
    db.set("a", "20")
    db.delete("b")
    expect(db, {}, {"10": 0, "20": 1}, "inside the transaction")
    db.rollback()
    expect(db, {}, {"10": 2, "20": 0}, "after rollback()")


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2])
def test_random_operations_agree_with_a_stack_of_snapshots_model(impl, db, call, seed):
    rng = random.Random(seed)
    keys = [f"k{i}" for i in range(8)]
    values = ["", "x", "y", "z"]
    data: dict[str, str] = {}
    snapshots: list[dict[str, str]] = []  # the model copies everything: slow but obviously right
    recent: collections.deque[str] = collections.deque(maxlen=4)
    for step in range(2_000):
        op = rng.choices(["set", "delete", "begin", "rollback", "commit"], [8, 4, 2, 2, 1])[0]
        key, value = rng.choice(keys), rng.choice(values)
        if op == "set":
            db.set(key, value)
            data[key] = value
            recent.append(f"set({key!r}, {value!r})")
            continue  # compared after the next operation, to keep the run short
        recent.append(f"{op}({key!r})" if op == "delete" else f"{op}()")
        if op == "delete":
            got = db.delete(key)
            assert got == (key in data), f"step {step}: delete({key!r}) returned {got!r}"
            data.pop(key, None)
        elif op == "begin":
            db.begin()
            snapshots.append(dict(data))
        elif not snapshots:
            call.raises(impl.NoTransactionError, getattr(db, op))
        elif op == "rollback":
            db.rollback()
            data = snapshots.pop()
        else:
            db.commit()
            snapshots.clear()
        wrong = first_mismatch(db, data, keys, values)
        assert wrong is None, f"step {step}, after {', '.join(recent)}: {wrong}"


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_new_store_is_empty_and_has_no_transaction(impl, db, call):
    call.returns(None, db.get, "a")
    call.returns(0, db.count, "")
    call.returns(False, db.delete, "a")
    call.raises(impl.NoTransactionError, db.commit)


@pytest.mark.edge
def test_deleting_a_missing_key_changes_nothing_even_in_a_transaction(db, call):
    db.set("a", "1")
    db.begin()
    call.returns(False, db.delete, "b")
    db.rollback()
    expect(db, {"a": "1", "b": None}, {"1": 1}, "after rollback()")


@pytest.mark.edge
def test_a_key_changed_many_times_rolls_back_to_its_value_before_begin(db):
    db.set("a", "0")
    db.begin()
    db.set("a", "1")
    db.set("a", "2")
    db.delete("a")
    db.set("a", "3")
    db.rollback()
    expect(db, {"a": "0"}, {"0": 1, "1": 0, "2": 0, "3": 0},
           "after begin, set a to 1, 2, delete it, set it to 3, rollback")


@pytest.mark.edge
def test_a_key_created_then_deleted_in_a_transaction_stays_absent_after_rollback(db, call):
    db.begin()
    db.set("a", "1")
    db.delete("a")
    db.rollback()
    expect(db, {"a": None}, {"1": 0}, "after begin, set, delete, rollback")
    call.returns(False, db.delete, "a")


@pytest.mark.edge
def test_inner_rollback_restores_the_value_at_the_inner_begin(db):
    db.begin()
    db.set("a", "outer")
    db.begin()
    db.delete("a")
    db.set("b", "inner")
    db.rollback()
    expect(db, {"a": "outer", "b": None}, {"outer": 1, "inner": 0}, "after the inner rollback()")
    db.rollback()
    expect(db, {"a": None}, {"outer": 0}, "after the outer rollback()")


@pytest.mark.edge
def test_a_key_untouched_by_the_inner_transaction_is_restored_by_the_outer_rollback(db):
    db.set("a", "0")
    db.begin()
    db.set("a", "1")
    db.begin()
    db.set("b", "1")
    db.rollback()
    db.rollback()
    expect(db, {"a": "0", "b": None}, {"0": 1, "1": 0}, "after both rollbacks")


@pytest.mark.edge
def test_empty_transactions_commit_and_roll_back_cleanly(impl, db, call):
    db.set("a", "1")
    db.begin()
    db.rollback()
    db.begin()
    db.begin()
    db.commit()
    expect(db, {"a": "1"}, when="after empty transactions")
    call.raises(impl.NoTransactionError, db.rollback)


@pytest.mark.edge
def test_a_transaction_can_begin_again_after_commit(db):
    db.begin()
    db.set("a", "1")
    db.commit()
    db.begin()
    db.set("a", "2")
    db.rollback()
    expect(db, {"a": "1"}, when="after commit, begin, set, rollback")


@pytest.mark.edge
def test_empty_and_spaced_values_are_ordinary_values(db, call):
    db.set("a", "")
    db.set("b", "two words")
    expect(db, {"a": "", "b": "two words"}, {"": 1, "two words": 1, "two": 0})
    db.delete("a")
    call.returns(0, db.count, "")


@pytest.mark.edge
def test_setting_a_key_to_its_current_value_keeps_the_count(db, call):
    db.set("a", "1")
    db.begin()
    db.set("a", "1")
    call.returns(1, db.count, "1")
    db.rollback()
    call.returns(1, db.count, "1")


@pytest.mark.edge
def test_keys_and_values_are_case_sensitive(db):
    db.set("a", "x")
    db.set("A", "X")
    expect(db, {"a": "x", "A": "X"}, {"x": 1, "X": 1})


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("name", ["rollback", "commit"])
def test_rollback_and_commit_without_a_transaction_raise_no_transaction_error(impl, db, call,
                                                                              name):
    call.raises(impl.NoTransactionError, getattr(db, name), naming=name)
    assert issubclass(impl.NoTransactionError, impl.KVStoreError), \
        "NoTransactionError must be a subclass of KVStoreError"


@pytest.mark.errors
@pytest.mark.parametrize("name, args, named", [
    ("set", (1, "x"), "1"),
    ("set", (None, "x"), "None"),
    ("set", (b"a", "x"), "b'a'"),
    ("get", (1,), "1"),
    ("delete", (("a",),), "('a',)"),
])
def test_a_non_str_key_raises_type_error_naming_it(db, call, name, args, named):
    call.raises(TypeError, getattr(db, name), *args, naming=("key", named))


@pytest.mark.errors
@pytest.mark.parametrize("name, args, named", [
    ("set", ("a", 10), "10"),
    ("set", ("a", None), "None"),
    ("count", (10,), "10"),
    ("count", (None,), "None"),
])
def test_a_non_str_value_raises_type_error_naming_it(db, call, name, args, named):
    call.raises(TypeError, getattr(db, name), *args, naming=("value", named))


@pytest.mark.errors
@pytest.mark.parametrize("name, args", [("set", ("", "x")), ("get", ("",)), ("delete", ("",))])
def test_an_empty_key_raises_value_error(db, call, name, args):
    call.raises(ValueError, getattr(db, name), *args, naming="key")


@pytest.mark.errors
def test_a_rejected_set_changes_nothing_even_inside_a_transaction(impl, db, call):
    db.set("a", "1")
    db.begin()
    call.raises(TypeError, db.set, "a", 2)
    call.raises(TypeError, db.set, 2, "a")
    call.raises(ValueError, db.set, "", "2")
    expect(db, {"a": "1"}, {"1": 1, "2": 0}, "after three rejected sets")
    db.rollback()
    expect(db, {"a": "1"}, {"1": 1}, "after rollback()")
    call.raises(impl.NoTransactionError, db.rollback)


@pytest.mark.errors
def test_a_failed_rollback_or_commit_changes_nothing(impl, db, call):
    db.set("a", "1")
    call.raises(impl.NoTransactionError, db.rollback)
    call.raises(impl.NoTransactionError, db.commit)
    expect(db, {"a": "1"}, {"1": 1}, "after a refused rollback() and commit()")
    db.begin()
    db.set("a", "2")
    db.rollback()
    expect(db, {"a": "1"}, when="after begin, set, rollback")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
def test_concurrent_writers_keep_counts_in_step_with_the_data(db, run_threads,
                                                             frequent_thread_switches):
    per_thread, values = 1_500, ["red", "green", "blue"]

    def writer(t: int) -> None:
        rng = random.Random(t)
        for i in range(per_thread):
            key = f"t{t}-{rng.randrange(200)}"
            if rng.random() < 0.2:
                db.delete(key)
            else:
                db.set(key, values[i % len(values)])

    run_threads(8, writer)
    held = [db.get(f"t{t}-{k}") for t in range(8) for k in range(200)]
    counts, want = {v: db.count(v) for v in values}, {v: held.count(v) for v in values}
    assert counts == want, f"after 8 threads wrote at once, count() gives {counts!r} but the " \
                           f"keys hold {want!r}"


@pytest.mark.concurrency
def test_no_reader_sees_a_rollback_half_done(db, frequent_thread_switches):
    keys, rounds = [f"k{i}" for i in range(50)], 150
    for key in keys:
        db.set(key, "base")
    step = threading.Barrier(2, timeout=3)
    seen: set[int] = set()

    def reader() -> None:
        for _ in range(rounds):
            step.wait()  # the writer has set every key in a transaction and is rolling back
            while (tmp := db.count("tmp")) != 0:
                seen.add(tmp)
            step.wait()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        for _ in range(rounds):
            db.begin()
            for key in keys:
                db.set(key, "tmp")
            step.wait()
            db.rollback()
            step.wait()
    finally:
        thread.join(timeout=3)
    assert not thread.is_alive(), "the reader did not finish within 3 s: a deadlock?"
    half = sorted(seen - {len(keys)})
    assert not half, f"count('tmp') returned {half} while another thread rolled back 50 sets " \
                     f"of 'tmp': a reader saw the rollback half done"
    expect(db, {}, {"base": len(keys)}, "after the rollbacks")


# --- extension: the REPL ------------------------------------------------------------------------


@pytest.fixture
def repl(cli, impl):
    """``repl("SET a 1", "GET a")``: main([]) run in this process on those lines; its Ran.

    ``stdin=`` gives the input as it is (str or bytes), ``argv=`` the command-line arguments. A
    main() that raises fails the test with a message naming the session.
    """
    def run(*lines: str, stdin: str | bytes | None = None, argv: tuple[str, ...] = ()):
        text = "".join(f"{line}\n" for line in lines) if stdin is None else stdin
        try:
            return cli(impl.main, *argv, stdin=text)
        except Exception as exc:  # noqa: BLE001 - reported as what the session did
            pytest.fail(f"main({list(argv)!r}) fed {text!r} raised {type(exc).__name__}: {exc}")

    return run


def session(*lines: str) -> str:
    return " | ".join(lines)


@pytest.mark.extension
def test_repl_runs_the_classic_session(repl):
    lines = ("SET a 10", "SET b 10", "COUNT 10", "GET a", "BEGIN", "DELETE a", "GET a", "BEGIN",
             "SET b 20", "COUNT 10", "ROLLBACK", "GET b", "COUNT 10", "COMMIT", "GET a", "END")
    ran = repl(*lines)
    want = ["2", "10", "NULL", "0", "10", "1", "NULL"]
    assert (ran.code, ran.out.splitlines(), ran.err) == (0, want, ""), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r} and {ran.err!r} on stderr; " \
        f"expected exit 0 and {want!r}"


@pytest.mark.extension
def test_repl_prints_no_transaction_for_rollback_or_commit_without_begin(repl):
    lines = ("ROLLBACK", "COMMIT", "BEGIN", "SET a 1", "COMMIT", "ROLLBACK", "GET a", "END")
    ran = repl(*lines)
    want = ["NO TRANSACTION", "NO TRANSACTION", "NO TRANSACTION", "1"]
    assert (ran.code, ran.out.splitlines(), ran.err) == (0, want, ""), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r} and {ran.err!r} on stderr; " \
        f"expected exit 0 and {want!r}"


@pytest.mark.extension
def test_repl_reports_unknown_commands_on_stderr_and_keeps_going(repl):
    lines = ("SET a 1", "FROB a", "GET a", "END")
    ran = repl(*lines)
    errors = ran.err.splitlines()
    assert (ran.code, ran.out.splitlines()) == (0, ["1"]), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r}; expected exit 0 and '1'"
    assert len(errors) == 1 and errors[0].startswith("ERROR:") and "FROB" in errors[0], \
        f"{session(*lines)}: stderr {ran.err!r}, expected one 'ERROR:' line naming FROB"


@pytest.mark.extension
def test_repl_rejects_a_wrong_number_of_words_and_keeps_going(repl):
    lines = ("SET a", "SET a 1 2", "GET", "BEGIN now", "SET a 1", "GET a", "END")
    ran = repl(*lines)
    errors = ran.err.splitlines()
    assert (ran.code, ran.out.splitlines()) == (0, ["1"]), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r}; expected exit 0 and '1'"
    named = [e.startswith("ERROR:") and c in e for c, e in zip(["SET", "SET", "GET", "BEGIN"],
                                                               errors)]
    assert len(errors) == 4 and all(named), \
        f"{session(*lines)}: stderr {ran.err!r}, expected 4 'ERROR:' lines naming SET, SET, " \
        f"GET, BEGIN"


@pytest.mark.extension
def test_repl_stops_at_end_and_ignores_later_lines(repl):
    lines = ("SET a 1", "END", "GET a", "FROB")
    ran = repl(*lines)
    assert (ran.code, ran.out, ran.err) == (0, "", ""), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r} and {ran.err!r} on stderr; " \
        f"expected exit 0 and nothing printed"


@pytest.mark.extension
def test_repl_stops_at_end_of_input_without_end(repl):
    ran = repl(stdin="SET a 1\nGET a")
    assert (ran.code, ran.out, ran.err) == (0, "1\n", ""), \
        f"'SET a 1\\nGET a' (no END, no last newline): exit {ran.code}, printed {ran.out!r} " \
        f"and {ran.err!r} on stderr; expected exit 0 and '1\\n'"


@pytest.mark.extension
def test_repl_commands_are_case_insensitive_and_blank_lines_ignored(repl):
    lines = ("set Key Value", "", "   ", "get Key", "Get key", "count Value", "count value",
             "  GET   Key  ", "end")
    ran = repl(*lines)
    want = ["Value", "NULL", "1", "0", "Value"]
    assert (ran.code, ran.out.splitlines(), ran.err) == (0, want, ""), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r} and {ran.err!r} on stderr; " \
        f"expected exit 0 and {want!r}"


def one_error_line(err: str) -> bool:
    lines = err.splitlines()
    return len(lines) == 1 and lines[0].startswith("ERROR:")


def stderr_shown(err: str) -> str:
    """What a run printed on stderr, short: its line count and its first and last lines."""
    lines = err.splitlines()
    if len(lines) <= 1:
        return f"stderr {err!r}"
    return f"{len(lines)} stderr lines, from {lines[0][:80]!r} to {lines[-1][:80]!r}"


@pytest.mark.extension
@pytest.mark.parametrize("argv", [("commands.txt",), ("--help",)])
def test_repl_takes_no_arguments_exit_2(repl, argv):
    ran = repl("GET a", argv=argv)
    assert ran.code == 2 and one_error_line(ran.err), \
        f"main({list(argv)!r}): exit {ran.code}, {stderr_shown(ran.err)}; expected exit 2 and " \
        f"one 'ERROR:' line"


@pytest.mark.extension
def test_repl_reads_its_arguments_from_sys_argv_when_given_none(impl, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("GET a\n"))
    for argv, want in ((["kv_store.py"], 0), (["kv_store.py", "extra"], 2)):
        monkeypatch.setattr(sys, "argv", argv)
        code = impl.main()
        assert code == want, f"main() with sys.argv {argv!r} returned {code!r}, expected {want}"
    capsys.readouterr()


@pytest.mark.extension
@pytest.mark.parametrize("stdin", ["none", "closed"])
def test_repl_exits_1_with_one_line_when_stdin_is_closed(impl, monkeypatch, capsys, stdin):
    closed = io.TextIOWrapper(io.BytesIO(b"GET a\n"), encoding="utf-8")
    closed.close()
    monkeypatch.setattr(sys, "stdin", None if stdin == "none" else closed)
    capsys.readouterr()
    try:
        code = impl.main([])
    except Exception as exc:  # noqa: BLE001 - reported as what main() did
        pytest.fail(f"main([]) with sys.stdin {stdin} raised {type(exc).__name__}: {exc}; "
                    f"expected exit 1")
    err = capsys.readouterr().err
    assert code == 1 and one_error_line(err), \
        f"main([]) with sys.stdin {stdin}: exit {code!r}, {stderr_shown(err)}; expected exit 1 " \
        f"and one 'ERROR:' line"


@pytest.mark.extension
def test_repl_exits_1_with_one_line_when_stdin_is_not_utf8(repl):
    ran = repl(stdin=b"SET a 1\n\xff\xfe bad\nGET a\n")
    assert ran.code == 1 and one_error_line(ran.err), \
        f"stdin b'SET a 1\\n\\xff\\xfe bad\\nGET a\\n': exit {ran.code}, " \
        f"{stderr_shown(ran.err)}; expected exit 1 and one 'ERROR:' line"


def run_script(impl_file: Path, text: str, stdout, shown: str) -> subprocess.CompletedProcess:
    """``python kv_store.py`` fed `text`, its stdout sent to `stdout` (a file or a descriptor);
    `shown` is how a failure names the run."""
    try:
        return subprocess.run([sys.executable, str(impl_file)], input=text, stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{shown} did not exit within 4 s")


@pytest.mark.extension
def test_the_file_runs_the_repl_as_a_script(run_cli, impl_file):
    done = run_cli(impl_file, input="SET a 1\nBEGIN\nSET a 2\nGET a\nROLLBACK\nGET a\nCOMMIT\n",
                   timeout=4)
    want = ["2", "1", "NO TRANSACTION"]
    assert (done.returncode, done.stdout.splitlines(), done.stderr) == (0, want, ""), \
        f"python kv_store.py < (the card's session): exit {done.returncode}, printed " \
        f"{done.stdout!r} and {done.stderr!r} on stderr; expected exit 0 and {want!r}"


@pytest.mark.extension
def test_repl_exits_1_with_one_line_when_stdout_is_a_closed_pipe(impl_file):
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head -1` does: a reader that is gone
    try:
        done = run_script(impl_file, "SET a 1\n" + "GET a\n" * 10_000, write_end,
                          "python kv_store.py | (a closed pipe)")
    finally:
        os.close(write_end)
    assert done.returncode == 1 and one_error_line(done.stderr), \
        f"python kv_store.py | (a closed pipe): exit {done.returncode}, " \
        f"{stderr_shown(done.stderr)}; expected exit 1 and one 'ERROR:' line"


@pytest.mark.extension
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_repl_exits_1_with_one_line_when_stdout_is_a_full_disk(impl_file):
    with open("/dev/full", "w") as full:  # every write fails with ENOSPC
        done = run_script(impl_file, "SET a 1\n" + "GET a\n" * 10_000, full,
                          "python kv_store.py > /dev/full")
    assert done.returncode == 1 and one_error_line(done.stderr), \
        f"python kv_store.py > /dev/full: exit {done.returncode}, " \
        f"{stderr_shown(done.stderr)}; expected exit 1 and one 'ERROR:' line"


@pytest.mark.extension
@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_repl_exits_130_with_one_line_on_ctrl_c(impl_file):
    child = subprocess.Popen(
        [sys.executable, str(impl_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        # a Python child turns SIGINT into KeyboardInterrupt only if it inherits the default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        child.stdin.write("GET a\n")
        child.stdin.flush()
        reply: list[str] = []
        reader = threading.Thread(target=lambda: reply.append(child.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(timeout=3)
        assert reply == ["NULL\n"], \
            f"python kv_store.py fed 'GET a' printed {reply!r} within 3 s, expected 'NULL' " \
            f"(each reply flushed at once)"
        child.send_signal(signal.SIGINT)
        try:
            code = child.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pytest.fail("python kv_store.py did not exit within 3 s of Ctrl-C (SIGINT)")
        err = child.stderr.read()
    finally:
        child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
    assert code == 130 and one_error_line(err), \
        f"python kv_store.py after Ctrl-C: exit {code}, {stderr_shown(err)}; expected exit 130 " \
        f"and one 'ERROR:' line"


# --- perf ---------------------------------------------------------------------------------------


def transaction_memory(impl, memory, size: int) -> int:
    """Bytes still held after two nested transactions touch 20 keys of a store of `size` keys."""
    store = filled(impl, size)
    touched = [f"k{i}" for i in range(20)]
    fresh = [f"fresh{i}" for i in range(20)]

    def transactions() -> None:
        store.begin()
        for key, value in zip(touched, fresh):
            store.set(key, value)
        store.begin()
        for key in touched[:10]:
            store.delete(key)

    [held] = memory.held(impl, transactions)
    return held


@pytest.mark.perf
def test_transaction_memory_grows_with_keys_touched_not_store_size(impl, memory):
    small, large = transaction_memory(impl, memory, 1_000), transaction_memory(impl, memory, 20_000)
    assert large <= 2 * small + 8_192, (
        f"begin(), 20 sets, begin(), 10 deletes hold {large:,} bytes in a 20,000-key store but "
        f"{small:,} in a 1,000-key one: a transaction must not copy the store")


@pytest.mark.perf
@pytest.mark.timeout(20)
def test_begin_and_rollback_cost_grows_with_keys_touched_not_store_size(impl, timed):
    def cycles(size: int):
        store = filled(impl, size)
        touched = [f"k{i}" for i in range(10)]

        def run() -> None:
            for _ in range(20):
                store.begin()
                for key in touched:
                    store.set(key, "x")
                store.rollback()

        return run

    ratio = timed.ratio(cycles(20_000), cycles(1_000), at_most=4)
    assert ratio < 4, f"20 x (begin(), 10 sets, rollback()) took {ratio:.1f}x as long in a " \
                      f"20,000-key store as in a 1,000-key one, expected under 4x"


@pytest.mark.perf
@pytest.mark.timeout(20)
def test_count_does_not_scan_the_store(impl, timed):
    def counts(size: int):
        store = filled(impl, size)
        return lambda: [store.count("v3") for _ in range(100)]

    ratio = timed.ratio(counts(20_000), counts(1_000), at_most=5)
    assert ratio < 5, f"100 count('v3') calls took {ratio:.1f}x as long with 20,000 keys as " \
                      f"with 1,000, expected under 5x: count must not scan"


# --- change request: keys that expire -----------------------------------------------------------


@pytest.fixture
def ttl_db(impl, clock):
    """A store on the fake clock (it starts at 1000.0)."""
    return impl.KVStore(clock=clock)


@pytest.mark.change
def test_change_a_key_expires_at_its_deadline_and_is_absent_everywhere(ttl_db, clock, call):
    ttl_db.set("a", "1", ttl=5)
    ttl_db.set("b", "1", ttl=2.5)
    ttl_db.set("c", "1")
    clock.advance(2.5)
    expect(ttl_db, {"a": "1", "b": None, "c": "1"}, {"1": 2},
           "2.5 s after set('a', '1', ttl=5), set('b', '1', ttl=2.5), set('c', '1')")
    clock.advance(2.25)
    expect(ttl_db, {"a": "1"}, {"1": 2}, "4.75 s after set('a', '1', ttl=5)")
    clock.advance(0.25)
    expect(ttl_db, {}, {"1": 1}, "5 s after set('a', '1', ttl=5)")
    call.returns(False, ttl_db.delete, "a")
    expect(ttl_db, {"a": None, "c": "1"}, {"1": 1}, "5 s after set('a', '1', ttl=5)")


@pytest.mark.change
def test_change_every_set_replaces_the_deadline(ttl_db, clock):
    ttl_db.set("a", "1", ttl=5)
    ttl_db.set("a", "2")  # permanent again
    clock.advance(1_000)
    expect(ttl_db, {"a": "2"}, {"2": 1},
           "1000 s after set('a', '1', ttl=5) then set('a', '2') without a ttl")
    ttl_db.set("c", "1", ttl=100)
    ttl_db.set("c", "1", ttl=1)
    clock.advance(1)
    expect(ttl_db, {"c": None}, {"1": 0}, "1 s after set('c', '1', ttl=100), set('c', '1', ttl=1)")


@pytest.mark.change
def test_change_a_renewed_ttl_counts_from_the_new_set(ttl_db, clock):
    ttl_db.set("b", "1", ttl=5)
    clock.advance(3)
    ttl_db.set("b", "1", ttl=5)
    clock.advance(4)
    expect(ttl_db, {"b": "1"}, {"1": 1}, "4 s after renewing set('b', '1', ttl=5)")
    clock.advance(1)
    expect(ttl_db, {"b": None}, {"1": 0}, "5 s after renewing set('b', '1', ttl=5)")


@pytest.mark.change
def test_change_rollback_restores_the_value_and_the_deadline(ttl_db, clock):
    ttl_db.set("perm", "p")
    ttl_db.set("temp", "t", ttl=10)
    ttl_db.begin()
    ttl_db.set("perm", "x", ttl=1)
    ttl_db.set("temp", "x")
    ttl_db.rollback()
    clock.advance(9)
    expect(ttl_db, {"perm": "p", "temp": "t"}, {"p": 1, "t": 1, "x": 0},
           "9 s after a rollback of set('perm', 'x', ttl=1), set('temp', 'x')")
    clock.advance(1)
    expect(ttl_db, {"perm": "p", "temp": None}, {"t": 0},
           "10 s after set('temp', 't', ttl=10), its rolled-back overwrite restored")


@pytest.mark.change
def test_change_a_key_restored_after_its_deadline_is_absent(ttl_db, clock, call):
    ttl_db.set("a", "1", ttl=10)
    ttl_db.set("b", "2", ttl=10)
    ttl_db.begin()
    ttl_db.delete("a")
    ttl_db.set("b", "3")
    clock.advance(20)
    expect(ttl_db, {"a": None, "b": "3"}, {"3": 1}, "inside the transaction, 20 s later")
    ttl_db.rollback()
    expect(ttl_db, {"a": None, "b": None}, {"1": 0, "2": 0, "3": 0},
           "after rolling back a delete and an overwrite of keys whose deadline has passed")
    call.returns(False, ttl_db.delete, "a")
    clock.advance(1_000)
    expect(ttl_db, {"a": None, "b": None}, {"1": 0, "2": 0}, "1000 s after that rollback")


@pytest.mark.change
def test_change_an_expiry_during_a_transaction_is_not_rolled_back(ttl_db, clock):
    ttl_db.set("a", "1", ttl=5)
    ttl_db.begin()
    ttl_db.set("other", "2")
    clock.advance(5)
    expect(ttl_db, {"a": None}, {"1": 0}, "5 s after set('a', '1', ttl=5), in a transaction")
    ttl_db.rollback()
    expect(ttl_db, {"a": None, "other": None}, {"1": 0},
           "after rolling back a transaction during which a expired")
    ttl_db.set("b", "1", ttl=5)
    ttl_db.begin()
    clock.advance(5)
    ttl_db.commit()
    expect(ttl_db, {"b": None}, {"1": 0}, "after committing a transaction during which b expired")


@pytest.mark.change
@pytest.mark.parametrize("ttl", [0, -1, -0.5, math.nan, math.inf, -math.inf, 10**400],
                         ids=["0", "-1", "-0.5", "nan", "inf", "-inf", "10**400"])
def test_change_a_ttl_must_be_a_positive_finite_number(ttl_db, call, ttl):
    ttl_db.set("a", "1", ttl=60)
    call.raises(ValueError, ttl_db.set, "a", "2", ttl=ttl, naming="ttl")
    expect(ttl_db, {"a": "1"}, {"1": 1, "2": 0}, f"after a rejected set('a', '2', ttl={ttl!r})")


@pytest.mark.change
@pytest.mark.parametrize("ttl", ["5", True, [5]], ids=["str", "bool", "list"])
def test_change_a_ttl_that_is_not_a_number_raises_type_error(ttl_db, call, ttl):
    call.raises(TypeError, ttl_db.set, "a", "2", ttl=ttl, naming="ttl")
    expect(ttl_db, {"a": None}, {"2": 0}, f"after a rejected set('a', '2', ttl={ttl!r})")


@pytest.mark.change
def test_change_a_huge_finite_ttl_works(ttl_db, clock, call):
    ttl_db.set("a", "1", ttl=1e300)
    ttl_db.set("b", "1", ttl=10**300)
    clock.advance(1e9)
    expect(ttl_db, {"a": "1", "b": "1"}, {"1": 2}, "1e9 s after set(..., ttl=1e300 or 10**300)")


@pytest.mark.change
@pytest.mark.parametrize("seed", [1, 2])
def test_change_random_operations_with_ttls_agree_with_a_model(ttl_db, clock, seed):
    rng = random.Random(seed)
    keys, values = [f"k{i}" for i in range(6)], ["x", "y", "z"]
    # The model keeps (value, deadline) per key, whole copies for transactions, and filters
    # expired bindings whenever it is read: slow but obviously right.
    data: dict[str, tuple[str, float]] = {}
    snapshots: list[dict[str, tuple[str, float]]] = []
    recent: collections.deque[str] = collections.deque(maxlen=6)
    for step in range(1_500):
        op = rng.choices(["set", "delete", "advance", "begin", "rollback", "commit"],
                         [8, 3, 4, 2, 2, 1])[0]
        key, value = rng.choice(keys), rng.choice(values)
        if op == "set":
            ttl = rng.choice([None, None, 0.5, 1, 2.5])
            ttl_db.set(key, value, ttl=ttl)
            data[key] = (value, math.inf if ttl is None else clock.now + ttl)
            recent.append(f"set({key!r}, {value!r}, ttl={ttl})")
        elif op == "advance":
            seconds = rng.choice([0.5, 1, 2])
            clock.advance(seconds)
            recent.append(f"advance({seconds})")
        elif op == "delete":
            got, want = ttl_db.delete(key), key in data and data[key][1] > clock.now
            recent.append(f"delete({key!r})")
            assert got == want, f"step {step}, after {', '.join(recent)}: delete({key!r}) " \
                                f"returned {got!r}, expected {want!r}"
            data.pop(key, None)
        elif op == "begin":
            ttl_db.begin()
            snapshots.append(dict(data))
            recent.append("begin()")
        elif not snapshots:
            continue  # rollback and commit without a transaction are graded elsewhere
        elif op == "rollback":
            ttl_db.rollback()
            data = snapshots.pop()
            recent.append("rollback()")
        else:
            ttl_db.commit()
            snapshots.clear()
            recent.append("commit()")
        live = {k: v for k, (v, deadline) in data.items() if deadline > clock.now}
        wrong = first_mismatch(ttl_db, live, keys, values)
        assert wrong is None, f"step {step}, after {', '.join(recent)}: {wrong}"


@pytest.mark.change
def test_change_count_does_not_scan_the_store_for_expired_keys(impl, clock, timed):
    def counts(size: int):
        store = impl.KVStore(clock=clock)
        for i in range(size):
            store.set(f"k{i}", f"v{i % 10}", ttl=1_000 + i)
        return lambda: [store.count("v3") for _ in range(100)]

    # small sizes: a store that scans on every call also takes O(n**2) to fill
    ratio = timed.ratio(counts(3_000), counts(150), at_most=5)
    assert ratio < 5, f"100 count('v3') calls took {ratio:.1f}x as long with 3,000 keys " \
                      f"holding a ttl as with 150, expected under 5x: expiry must not scan"


@pytest.mark.change
def test_change_repl_sets_a_ttl_with_ex(repl):
    lines = ("SET a 1 EX 0", "SET a 1 EX -5", "SET a 1 EX nan", "SET a 1 EX soon",
             "SET a 1 EX 1e400", "SET a 1 XX 5", "GET a", "SET a 1 ex 100", "SET b 2 EX 0.5e3",
             "GET a", "COUNT 1", "GET b")
    ran = repl(*lines)
    bad = ["0", "-5", "nan", "soon", "1e400", "XX"]
    errors = ran.err.splitlines()
    assert (ran.code, ran.out.splitlines()) == (0, ["NULL", "1", "1", "2"]), \
        f"{session(*lines)}: exit {ran.code}, printed {ran.out!r}; expected exit 0 and " \
        f"NULL, 1, 1, 2"
    named = [e.startswith("ERROR:") and word in e for word, e in zip(bad, errors)]
    assert len(errors) == len(bad) and all(named), \
        f"{session(*lines)}: stderr {ran.err!r}, expected {len(bad)} 'ERROR:' lines naming " \
        f"{', '.join(bad)}"
