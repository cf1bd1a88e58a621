"""Grades a transactional key-value store (katas/kv_store.py): run with --impl to grade a copy."""

from __future__ import annotations

import gc
import io
import random
import sys
import threading
import tracemalloc

import pytest


@pytest.fixture
def db(impl):
    return impl.KVStore()


def filled(impl, size: int):
    """A store of `size` keys k0, k1, ... bound to ten values v0 ... v9."""
    store = impl.KVStore()
    for i in range(size):
        store.set(f"k{i}", f"v{i % 10}")
    return store


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_get_returns_the_value_set_and_none_when_missing(db):
    db.set("a", "10")
    assert db.get("a") == "10"
    assert db.get("b") is None


@pytest.mark.core
def test_set_overwrites_an_existing_key(db):
    db.set("a", "10")
    db.set("a", "20")
    assert db.get("a") == "20"
    assert (db.count("10"), db.count("20")) == (0, 1)


@pytest.mark.core
def test_delete_removes_the_key_and_reports_whether_it_was_there(db):
    db.set("a", "10")
    assert db.delete("a") is True
    assert db.get("a") is None
    assert db.delete("a") is False


@pytest.mark.core
def test_count_follows_sets_overwrites_and_deletes(db):
    for key in "abc":
        db.set(key, "10")
    assert db.count("10") == 3
    db.set("b", "20")
    db.delete("c")
    assert (db.count("10"), db.count("20")) == (1, 1)


@pytest.mark.core
def test_rollback_undoes_sets_overwrites_and_deletes_since_begin(db):
    db.set("kept", "1")
    db.set("changed", "1")
    db.set("deleted", "1")
    db.begin()
    db.set("created", "2")
    db.set("changed", "2")
    assert db.delete("deleted") is True
    assert (db.get("created"), db.get("changed"), db.get("deleted")) == ("2", "2", None)
    db.rollback()
    assert [db.get(k) for k in ("kept", "changed", "deleted", "created")] == ["1", "1", "1", None]
    assert (db.count("1"), db.count("2")) == (3, 0)


@pytest.mark.core
def test_nested_rollback_undoes_only_the_innermost_transaction(db):
    db.set("a", "10")
    db.begin()
    db.set("a", "20")
    db.begin()
    db.set("a", "30")
    db.rollback()
    assert db.get("a") == "20"
    db.rollback()
    assert db.get("a") == "10"


@pytest.mark.core
def test_commit_keeps_every_change_and_closes_every_transaction(impl, db):
    db.begin()
    db.set("a", "10")
    db.begin()
    db.set("b", "20")
    db.commit()
    assert (db.get("a"), db.get("b")) == ("10", "20")
    with pytest.raises(impl.NoTransactionError):
        db.rollback()
    assert (db.get("a"), db.get("b")) == ("10", "20")


@pytest.mark.core
def test_rollback_restores_counts(db):
    db.set("a", "10")
    db.set("b", "10")
    db.begin()
    db.set("a", "20")
    db.delete("b")
    assert (db.count("10"), db.count("20")) == (0, 1)
    db.rollback()
    assert (db.count("10"), db.count("20")) == (2, 0)


def check_against_model(store, data: dict[str, str], keys: list[str], values: list[str]) -> None:
    assert {key: store.get(key) for key in keys} == {key: data.get(key) for key in keys}
    assert {v: store.count(v) for v in values} == {
        v: sum(1 for held in data.values() if held == v) for v in values}


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_agree_with_a_stack_of_snapshots_model(impl, db, seed):
    rng = random.Random(seed)
    keys = [f"k{i}" for i in range(8)]
    values = ["", "x", "y", "z"]
    data: dict[str, str] = {}
    snapshots: list[dict[str, str]] = []  # the model copies everything: slow but obviously right
    for step in range(3_000):
        op = rng.choices(["set", "delete", "begin", "rollback", "commit"], [8, 4, 2, 2, 1])[0]
        key, value = rng.choice(keys), rng.choice(values)
        if op == "set":
            db.set(key, value)
            data[key] = value
        elif op == "delete":
            assert db.delete(key) is (key in data), f"step {step}: delete({key!r})"
            data.pop(key, None)
        elif op == "begin":
            db.begin()
            snapshots.append(dict(data))
        elif not snapshots:
            with pytest.raises(impl.NoTransactionError):
                getattr(db, op)()
        elif op == "rollback":
            db.rollback()
            data = snapshots.pop()
        else:
            db.commit()
            snapshots.clear()
        check_against_model(db, data, keys, values)


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_new_store_is_empty_and_has_no_transaction(impl, db):
    assert db.get("a") is None
    assert db.count("") == 0
    assert db.delete("a") is False
    with pytest.raises(impl.NoTransactionError):
        db.commit()


@pytest.mark.edge
def test_deleting_a_missing_key_changes_nothing_even_in_a_transaction(db):
    db.set("a", "1")
    db.begin()
    assert db.delete("b") is False
    db.rollback()
    assert (db.get("a"), db.get("b"), db.count("1")) == ("1", None, 1)


@pytest.mark.edge
def test_a_key_changed_many_times_rolls_back_to_its_value_before_begin(db):
    db.set("a", "0")
    db.begin()
    db.set("a", "1")
    db.set("a", "2")
    db.delete("a")
    db.set("a", "3")
    db.rollback()
    assert db.get("a") == "0"
    assert [db.count(v) for v in "0123"] == [1, 0, 0, 0]


@pytest.mark.edge
def test_a_key_created_then_deleted_in_a_transaction_stays_absent_after_rollback(db):
    db.begin()
    db.set("a", "1")
    db.delete("a")
    db.rollback()
    assert db.get("a") is None
    assert db.delete("a") is False
    assert db.count("1") == 0


@pytest.mark.edge
def test_inner_rollback_restores_the_value_at_the_inner_begin(db):
    db.begin()
    db.set("a", "outer")
    db.begin()
    db.delete("a")
    db.set("b", "inner")
    db.rollback()
    assert (db.get("a"), db.get("b")) == ("outer", None)
    assert (db.count("outer"), db.count("inner")) == (1, 0)
    db.rollback()
    assert (db.get("a"), db.count("outer")) == (None, 0)


@pytest.mark.edge
def test_a_key_untouched_by_the_inner_transaction_is_restored_by_the_outer_rollback(db):
    db.set("a", "0")
    db.begin()
    db.set("a", "1")
    db.begin()
    db.set("b", "1")
    db.rollback()
    db.rollback()
    assert (db.get("a"), db.get("b"), db.count("0"), db.count("1")) == ("0", None, 1, 0)


@pytest.mark.edge
def test_empty_transactions_commit_and_roll_back_cleanly(impl, db):
    db.set("a", "1")
    db.begin()
    db.rollback()
    db.begin()
    db.begin()
    db.commit()
    assert db.get("a") == "1"
    with pytest.raises(impl.NoTransactionError):
        db.rollback()


@pytest.mark.edge
def test_a_transaction_can_begin_again_after_commit(db):
    db.begin()
    db.set("a", "1")
    db.commit()
    db.begin()
    db.set("a", "2")
    db.rollback()
    assert db.get("a") == "1"


@pytest.mark.edge
def test_empty_and_spaced_values_are_ordinary_values(db):
    db.set("a", "")
    db.set("b", "two words")
    assert (db.get("a"), db.get("b")) == ("", "two words")
    assert (db.count(""), db.count("two words"), db.count("two")) == (1, 1, 0)
    db.delete("a")
    assert db.count("") == 0


@pytest.mark.edge
def test_setting_a_key_to_its_current_value_keeps_the_count(db):
    db.set("a", "1")
    db.begin()
    db.set("a", "1")
    assert db.count("1") == 1
    db.rollback()
    assert db.count("1") == 1


@pytest.mark.edge
def test_keys_and_values_are_case_sensitive(db):
    db.set("a", "x")
    db.set("A", "X")
    assert (db.get("a"), db.get("A"), db.count("x"), db.count("X")) == ("x", "X", 1, 1)


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("call", ["rollback", "commit"])
def test_rollback_and_commit_without_a_transaction_raise_no_transaction_error(impl, db,
                                                                              error_naming, call):
    with error_naming(impl.NoTransactionError, call):
        getattr(db, call)()
    assert issubclass(impl.NoTransactionError, impl.KVStoreError)
    assert issubclass(impl.KVStoreError, Exception)


@pytest.mark.errors
@pytest.mark.parametrize("call, args, named", [
    ("set", (1, "x"), "1"),
    ("set", (None, "x"), "None"),
    ("set", (b"a", "x"), "b'a'"),
    ("get", (1,), "1"),
    ("delete", (("a",),), "('a',)"),
])
def test_a_non_str_key_raises_type_error_naming_it(db, error_naming, call, args, named):
    with error_naming(TypeError, "key", named):
        getattr(db, call)(*args)


@pytest.mark.errors
@pytest.mark.parametrize("call, args, named", [
    ("set", ("a", 10), "10"),
    ("set", ("a", None), "None"),
    ("count", (10,), "10"),
    ("count", (None,), "None"),
])
def test_a_non_str_value_raises_type_error_naming_it(db, error_naming, call, args, named):
    with error_naming(TypeError, "value", named):
        getattr(db, call)(*args)


@pytest.mark.errors
@pytest.mark.parametrize("call, args", [("set", ("", "x")), ("get", ("",)), ("delete", ("",))])
def test_an_empty_key_raises_value_error(db, error_naming, call, args):
    with error_naming(ValueError, "key", "''"):
        getattr(db, call)(*args)


@pytest.mark.errors
def test_a_rejected_set_changes_nothing_even_inside_a_transaction(impl, db):
    db.set("a", "1")
    db.begin()
    for bad in [("a", 2), (2, "a"), ("", "2")]:
        with pytest.raises((TypeError, ValueError)):
            db.set(*bad)
    assert (db.get("a"), db.count("1")) == ("1", 1)
    db.rollback()
    assert (db.get("a"), db.count("1")) == ("1", 1)
    with pytest.raises(impl.NoTransactionError):
        db.rollback()


@pytest.mark.errors
def test_a_failed_rollback_or_commit_changes_nothing(impl, db):
    db.set("a", "1")
    for call in (db.rollback, db.commit):
        with pytest.raises(impl.NoTransactionError):
            call()
    assert (db.get("a"), db.count("1")) == ("1", 1)
    db.begin()
    db.set("a", "2")
    db.rollback()
    assert db.get("a") == "1"


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_writers_keep_counts_in_step_with_the_data(db, frequent_thread_switches):
    threads, per_thread, values = 8, 1_500, ["red", "green", "blue"]
    start = threading.Barrier(threads, timeout=5)

    def writer(t: int) -> None:
        rng = random.Random(t)
        start.wait()
        for i in range(per_thread):
            key = f"t{t}-{rng.randrange(200)}"
            if rng.random() < 0.2:
                db.delete(key)
            else:
                db.set(key, values[i % len(values)])

    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=8)
    assert not any(w.is_alive() for w in workers), "writers did not finish: deadlock?"
    held = [db.get(f"t{t}-{k}") for t in range(threads) for k in range(200)]
    assert {v: db.count(v) for v in values} == {v: held.count(v) for v in values}


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_no_reader_sees_a_rollback_half_done(db, frequent_thread_switches):
    keys, rounds = [f"k{i}" for i in range(50)], 150
    for key in keys:
        db.set(key, "base")
    step = threading.Barrier(2, timeout=5)
    seen: set[int] = set()

    def reader() -> None:
        for _ in range(rounds):
            step.wait()  # the writer has set every key in a transaction and is rolling back
            while (tmp := db.count("tmp")) != 0:
                seen.add(tmp)
            step.wait()

    thread = threading.Thread(target=reader)
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
        thread.join(timeout=8)
    assert not thread.is_alive(), "reader did not finish: deadlock?"
    assert seen <= {len(keys)}, f"a reader saw count('tmp') in {sorted(seen - {len(keys)})}"
    assert db.count("base") == len(keys)


# --- extension: the REPL ------------------------------------------------------------------------


@pytest.fixture(params=["subprocess", "in_process"])
def repl(request, run_cli, impl_file, impl, monkeypatch, capsys):
    """``repl(*lines)`` -> (exit code, stdout, stderr) of the REPL fed those lines.

    Driven as a user would (``python kv_store.py`` with the lines on stdin) and by calling main()
    with sys.stdin replaced, which also checks that main() returns 0.
    """
    def run(*lines: str, newline_at_end: bool = True) -> tuple[int, str, str]:
        text = "\n".join(lines) + ("\n" if newline_at_end else "")
        if request.param == "subprocess":
            done = run_cli(impl_file, input=text, timeout=20)
            return done.returncode, done.stdout, done.stderr
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))
        code = impl.main()
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.extension
def test_repl_runs_the_classic_session(repl):
    code, out, err = repl("SET a 10", "SET b 10", "COUNT 10", "GET a", "BEGIN", "DELETE a",
                          "GET a", "BEGIN", "SET b 20", "COUNT 10", "ROLLBACK", "GET b",
                          "COUNT 10", "COMMIT", "GET a", "END")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["2", "10", "NULL", "0", "10", "1", "NULL"]


@pytest.mark.extension
def test_repl_prints_no_transaction_for_rollback_or_commit_without_begin(repl):
    code, out, err = repl("ROLLBACK", "COMMIT", "BEGIN", "SET a 1", "COMMIT", "ROLLBACK", "GET a",
                          "END")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["NO TRANSACTION", "NO TRANSACTION", "NO TRANSACTION", "1"]


@pytest.mark.extension
def test_repl_reports_unknown_commands_on_stderr_and_keeps_going(repl):
    code, out, err = repl("SET a 1", "FROB a", "GET a", "END")
    assert (code, out.splitlines()) == (0, ["1"])
    errors = err.splitlines()
    assert len(errors) == 1 and errors[0].startswith("ERROR:") and "FROB" in errors[0], errors


@pytest.mark.extension
def test_repl_rejects_a_wrong_number_of_words_and_keeps_going(repl):
    code, out, err = repl("SET a", "SET a 1 2", "GET", "BEGIN now", "SET a 1", "GET a", "END")
    assert (code, out.splitlines()) == (0, ["1"])
    errors = err.splitlines()
    assert len(errors) == 4 and all(e.startswith("ERROR:") for e in errors), errors
    assert all(c in e for c, e in zip(["SET", "SET", "GET", "BEGIN"], errors)), errors


@pytest.mark.extension
def test_repl_stops_at_end_and_ignores_later_lines(repl):
    assert repl("SET a 1", "END", "GET a", "FROB") == (0, "", "")


@pytest.mark.extension
def test_repl_stops_at_end_of_input_without_end(repl):
    assert repl("SET a 1", "GET a", newline_at_end=False) == (0, "1\n", "")


@pytest.mark.extension
def test_repl_commands_are_case_insensitive_and_blank_lines_ignored(repl):
    code, out, err = repl("set Key Value", "", "   ", "get Key", "Get key", "count Value",
                          "count value", "  GET   Key  ", "end")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Value", "NULL", "1", "0", "Value"]


# --- perf ---------------------------------------------------------------------------------------


def transaction_memory(impl, size: int) -> int:
    """Bytes still held after two nested transactions touch 20 keys of a store of `size` keys."""
    store = filled(impl, size)
    touched = [f"k{i}" for i in range(20)]
    fresh = [f"fresh{i}" for i in range(20)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        store.begin()
        for key, value in zip(touched, fresh):
            store.set(key, value)
        store.begin()
        for key in touched[:10]:
            store.delete(key)
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


@pytest.mark.perf
def test_transaction_memory_grows_with_keys_touched_not_store_size(impl):
    small, large = transaction_memory(impl, 1_000), transaction_memory(impl, 100_000)
    assert large <= 2 * small + 8_192, (
        f"a transaction touching 20 keys holds {large:,} bytes in a 100,000-key store but "
        f"{small:,} in a 1,000-key one: it must not copy the store")


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_begin_and_rollback_cost_grows_with_keys_touched_not_store_size(impl, timed):
    def cycles(size: int) -> float:
        store = filled(impl, size)
        touched = [f"k{i}" for i in range(10)]

        def run() -> None:
            for _ in range(20):
                store.begin()
                for key in touched:
                    store.set(key, "x")
                store.rollback()

        return timed(run, repeats=5)

    small, large = cycles(1_000), cycles(30_000)
    assert large < 4 * small, (f"20 x (begin, 10 sets, rollback): {large * 1e3:.2f} ms in a "
                               f"30,000-key store vs {small * 1e3:.2f} ms in a 1,000-key one")


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_count_does_not_scan_the_store(impl, timed):
    def counts(size: int) -> float:
        store = filled(impl, size)
        return timed(lambda: [store.count("v3") for _ in range(300)], repeats=7)

    small, large = counts(1_000), counts(20_000)
    assert large < 5 * small, (f"300 count() calls: {large * 1e3:.2f} ms with 20,000 keys vs "
                               f"{small * 1e3:.2f} ms with 1,000")
