"""Grades an LRU cache (katas/lru_cache.py): run with --impl to grade your copy."""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable

import pytest


def evictions_into(log: list) -> Callable[[object, object], None]:
    """An on_evict callback appending (key, value) to `log`."""
    return lambda key, value: log.append((key, value))


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_get_returns_what_put_stored_and_the_default_on_a_miss(impl):
    cache = impl.LRUCache(3)
    cache.put("a", 1)
    cache.put("b", [2])
    assert cache.get("a") == 1
    assert cache.get("b") == [2]
    assert cache.get("zzz") is None
    assert cache.get("zzz", "miss") == "miss"


@pytest.mark.core
def test_putting_beyond_capacity_evicts_the_least_recently_used(impl):
    cache = impl.LRUCache(3)
    for key in "abcd":
        cache.put(key, key.upper())
    assert "a" not in cache
    assert cache.keys() == ["b", "c", "d"]
    cache.put("e", "E")
    assert cache.keys() == ["c", "d", "e"]
    assert len(cache) == 3


@pytest.mark.core
def test_get_marks_the_key_most_recently_used(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    assert cache.get("a") == "a"
    cache.put("d", "d")
    assert cache.keys() == ["c", "a", "d"]
    assert "b" not in cache and cache.get("a") == "a"


@pytest.mark.core
def test_put_of_an_existing_key_updates_the_value_and_marks_it_most_recent(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, 0)
    cache.put("a", 1)
    assert cache.get("a") == 1
    assert cache.keys() == ["b", "c", "a"]
    cache.put("d", 0)
    assert cache.keys() == ["c", "a", "d"]


@pytest.mark.core
def test_updating_a_key_of_a_full_cache_evicts_nothing(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, 0)
    cache.put("b", 2)
    assert cache.keys() == ["a", "c", "b"] and len(cache) == 3
    cache.put("b", 3)
    cache.put("c", 4)
    assert cache.keys() == ["a", "b", "c"]
    assert [cache.get(key) for key in "abc"] == [0, 3, 4]


@pytest.mark.core
def test_delete_removes_the_key_and_tells_whether_it_was_there(impl):
    cache = impl.LRUCache(3)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.delete("a") is True
    assert cache.delete("a") is False
    assert "a" not in cache and cache.get("a") is None
    assert cache.keys() == ["b"] and len(cache) == 1


@pytest.mark.core
def test_contains_does_not_change_recency(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    assert "a" in cache
    assert "zzz" not in cache
    assert cache.keys() == ["a", "b", "c"]
    cache.put("d", "d")
    assert "a" not in cache
    assert cache.keys() == ["b", "c", "d"]


@pytest.mark.core
def test_len_and_keys_follow_puts_deletes_and_evictions(impl):
    cache = impl.LRUCache(2)
    assert len(cache) == 0 and cache.keys() == []
    cache.put(1, "one")
    assert len(cache) == 1 and cache.keys() == [1]
    cache.put(2, "two")
    cache.put(3, "three")
    assert len(cache) == 2 and cache.keys() == [2, 3]
    cache.delete(3)
    assert len(cache) == 1 and cache.keys() == [2]


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_agree_with_a_list_model(impl, seed):
    rng = random.Random(seed)
    capacity = rng.randint(1, 8)
    cache = impl.LRUCache(capacity)
    model: list[tuple[int, int]] = []  # (key, value), least recently used first

    def find(key: int) -> int | None:
        return next((i for i, (k, _) in enumerate(model) if k == key), None)

    for step in range(3_000):
        key = rng.randrange(12)
        op = rng.choice(["put", "put", "get", "get", "delete", "contains", "len"])
        at = find(key)
        if op == "put":
            if at is not None:
                model.pop(at)
            elif len(model) == capacity:
                model.pop(0)
            model.append((key, step))
            cache.put(key, step)
        elif op == "get":
            expected = None
            if at is not None:
                expected = model.pop(at)[1]
                model.append((key, expected))
            assert cache.get(key, None) == expected, f"step {step}: get({key})"
        elif op == "delete":
            if at is not None:
                model.pop(at)
            assert cache.delete(key) is (at is not None), f"step {step}: delete({key})"
        elif op == "contains":
            assert (key in cache) is (at is not None), f"step {step}: {key} in cache"
        else:
            assert len(cache) == len(model), f"step {step}: len"
        assert cache.keys() == [k for k, _ in model], f"step {step}: keys after {op}({key})"


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_capacity_one_keeps_only_the_last_key_put(impl):
    cache = impl.LRUCache(1)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.keys() == ["b"]
    assert cache.get("a") is None and cache.get("b") == 2
    cache.put("b", 3)
    assert cache.keys() == ["b"] and cache.get("b") == 3


@pytest.mark.edge
def test_a_miss_stores_nothing_and_changes_no_recency(impl):
    cache = impl.LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("zzz", 42) == 42
    assert "zzz" not in cache
    assert cache.keys() == ["a", "b"] and len(cache) == 2


@pytest.mark.edge
def test_none_and_falsy_values_are_stored_and_told_apart_from_misses(impl):
    cache = impl.LRUCache(4)
    for key, value in [("none", None), ("zero", 0), ("empty", ""), ("false", False)]:
        cache.put(key, value)
    missing = object()
    assert cache.get("none", missing) is None
    assert cache.get("zero", missing) == 0
    assert cache.get("empty", missing) == ""
    assert cache.get("false", missing) is False
    assert "none" in cache and len(cache) == 4


@pytest.mark.edge
def test_values_are_stored_as_given_not_copied(impl):
    cache = impl.LRUCache(2)
    value = {"profile": ["ada"]}
    cache.put("u", value)
    assert cache.get("u") is value


@pytest.mark.edge
def test_keys_returns_a_new_list_each_time(impl):
    cache = impl.LRUCache(3)
    cache.put("a", 1)
    cache.put("b", 2)
    keys = cache.keys()
    keys.append("zzz")
    keys.remove("a")
    assert cache.keys() == ["a", "b"]
    assert cache.keys() is not cache.keys()


@pytest.mark.edge
def test_delete_makes_room_so_the_next_put_evicts_nothing(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    cache.delete("b")
    cache.put("d", "d")
    assert cache.keys() == ["a", "c", "d"]


@pytest.mark.edge
def test_deleting_a_missing_key_changes_nothing(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    assert cache.delete("zzz") is False
    assert cache.keys() == ["a", "b", "c"] and len(cache) == 3


@pytest.mark.edge
def test_any_hashable_keys_work_even_when_they_cannot_be_ordered(impl):
    keys = [None, 1, "1", (1, "a"), frozenset({2}), 2.5, b"x"]
    cache = impl.LRUCache(len(keys))
    for n, key in enumerate(keys):
        cache.put(key, n)
    assert cache.keys() == keys
    assert [cache.get(key) for key in keys] == list(range(len(keys)))
    assert cache.delete((1, "a")) and (1, "a") not in cache


@pytest.mark.edge
def test_the_least_recently_used_entry_is_recomputed_after_every_access(impl):
    cache = impl.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    cache.get("a")
    cache.get("b")
    cache.get("a")
    cache.put("d", "d")
    assert cache.keys() == ["b", "a", "d"]
    cache.put("e", "e")
    assert cache.keys() == ["a", "d", "e"]


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("capacity, error", [
    ("3", TypeError), (3.0, TypeError), (True, TypeError), (None, TypeError),
    (0, ValueError), (-1, ValueError),
])
def test_capacity_must_be_a_positive_int(impl, error_naming, capacity, error):
    with error_naming(error, repr(capacity)):
        impl.LRUCache(capacity)


@pytest.mark.errors
@pytest.mark.parametrize("call", [
    lambda cache, key: cache.put(key, 1),
    lambda cache, key: cache.get(key),
    lambda cache, key: cache.delete(key),
    lambda cache, key: key in cache,
], ids=["put", "get", "delete", "contains"])
def test_unhashable_keys_raise_type_error_naming_the_key(impl, error_naming, call):
    cache = impl.LRUCache(2)
    cache.put("a", 1)
    with error_naming(TypeError, "['bad-key']"):
        call(cache, ["bad-key"])
    assert cache.keys() == ["a"]


@pytest.mark.errors
@pytest.mark.parametrize("ttl, error", [
    ("5", TypeError), (True, TypeError), ([5], TypeError),
    (0, ValueError), (-1.5, ValueError), (math.nan, ValueError),
])
def test_ttl_must_be_a_positive_number(impl, clock, error_naming, ttl, error):
    cache = impl.LRUCache(2, clock=clock)
    with error_naming(error, repr(ttl)):
        cache.put("a", 1, ttl)
    assert "a" not in cache and len(cache) == 0


@pytest.mark.errors
def test_a_rejected_put_changes_nothing_not_even_recency(impl, clock, error_naming):
    cache = impl.LRUCache(2, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    with error_naming(ValueError, "-1"):
        cache.put("a", 99, ttl=-1)
    with error_naming(ValueError, "0"):
        cache.put("new", 99, ttl=0)
    with error_naming(TypeError, "['x']"):
        cache.put(["x"], 99)
    assert cache.keys() == ["a", "b"]
    assert cache.get("a") == 1 and "new" not in cache


@pytest.mark.errors
def test_clock_and_on_evict_must_be_callable(impl, error_naming):
    with error_naming(TypeError, "12.5"):
        impl.LRUCache(2, clock=12.5)
    with error_naming(TypeError, "'log'"):
        impl.LRUCache(2, on_evict="log")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_puts_gets_and_deletes_keep_the_cache_consistent(
        impl, run_threads, frequent_thread_switches):
    cache = impl.LRUCache(50)

    def worker(n: int) -> None:
        rng = random.Random(n)
        for _ in range(3_000):
            key, dice = rng.randrange(200), rng.random()
            if dice < 0.5:
                cache.put(key, key * 10)
            elif dice < 0.85:
                assert cache.get(key) in (None, key * 10)
            else:
                cache.delete(key)

    run_threads(6, worker)
    keys = cache.keys()
    assert len(keys) == len(set(keys)) == len(cache) <= 50
    assert all(cache.get(key) == key * 10 for key in keys)


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_under_concurrent_puts_every_entry_is_either_kept_or_evicted_once(
        impl, run_threads, frequent_thread_switches):
    evicted: list = []
    cache = impl.LRUCache(64, on_evict=evictions_into(evicted))

    def worker(n: int) -> None:
        for i in range(1_500):
            cache.put((n, i), i)
            cache.get((n, i // 2))

    run_threads(6, worker)
    kept = cache.keys()
    evicted_keys = [key for key, _ in evicted]
    assert len(kept) == 64
    assert len(evicted_keys) == len(set(evicted_keys)) == 6 * 1_500 - 64
    assert set(evicted_keys) | set(kept) == {(n, i) for n in range(6) for i in range(1_500)}
    assert all(value == key[1] for key, value in evicted)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_a_slow_on_evict_callback_does_not_block_other_threads(impl):
    in_callback, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def slow_callback(key, value) -> None:
        in_callback.set()
        released.append(release.wait(timeout=3))

    cache = impl.LRUCache(1, on_evict=slow_callback)
    cache.put("a", 1)
    putter = threading.Thread(target=cache.put, args=("b", 2))
    putter.start()
    try:
        assert in_callback.wait(timeout=5), "on_evict was not called"
        assert cache.get("b") == 2 and len(cache) == 1
    finally:
        release.set()
        putter.join(timeout=5)
    assert released == [True], "another thread's get waited for the on_evict callback"


# --- extension: TTL and on_evict ----------------------------------------------------------------


@pytest.mark.extension
def test_an_entry_expires_exactly_ttl_seconds_after_its_put(impl, clock):
    cache = impl.LRUCache(3, clock=clock)
    cache.put("a", 1, ttl=5)
    clock.advance(4)
    assert cache.get("a") == 1
    clock.advance(1)
    assert cache.get("a") is None
    assert cache.get("a", "miss") == "miss"


@pytest.mark.extension
def test_expired_entries_are_absent_from_contains_len_and_keys(impl, clock):
    cache = impl.LRUCache(3, clock=clock)
    cache.put("short", 1, ttl=1)
    cache.put("forever", 2)
    cache.put("long", 3, ttl=100)
    clock.advance(2)
    assert "short" not in cache
    assert len(cache) == 2
    assert cache.keys() == ["forever", "long"]
    assert cache.delete("short") is False


@pytest.mark.extension
def test_put_replaces_the_deadline_and_get_does_not_extend_it(impl, clock):
    cache = impl.LRUCache(3, clock=clock)
    cache.put("a", 1, ttl=10)
    cache.put("b", 1, ttl=10)
    clock.advance(8)
    cache.put("a", 2, ttl=10)
    cache.put("b", 2)
    cache.put("c", 1, ttl=3)
    clock.advance(1)
    cache.put("c", 2, ttl=1)
    assert cache.get("c") == 2
    clock.advance(1)
    assert cache.keys() == ["a", "b"]
    clock.advance(7)
    assert cache.get("a") == 2
    clock.advance(1)
    assert cache.keys() == ["b"]
    clock.advance(1_000)
    assert cache.get("b") == 2


@pytest.mark.extension
def test_expired_entries_are_evicted_before_the_least_recently_used_live_one(impl, clock):
    evicted: list = []
    cache = impl.LRUCache(3, clock=clock, on_evict=evictions_into(evicted))
    cache.put("old", 1)
    cache.put("mid", 2)
    cache.put("fresh", 3, ttl=5)
    clock.advance(5)
    cache.put("new", 4)
    assert cache.keys() == ["old", "mid", "new"]
    assert evicted == [("fresh", 3)]
    cache.put("newer", 5)
    assert cache.keys() == ["mid", "new", "newer"]
    assert evicted == [("fresh", 3), ("old", 1)]


@pytest.mark.extension
def test_on_evict_reports_capacity_evictions_at_once_and_in_order(impl):
    evicted: list = []
    cache = impl.LRUCache(2, on_evict=evictions_into(evicted))
    cache.put("a", 1)
    cache.put("b", 2)
    assert evicted == []
    cache.put("c", 3)
    assert evicted == [("a", 1)]
    cache.get("b")
    cache.put("d", 4)
    cache.put("e", 5)
    assert evicted == [("a", 1), ("c", 3), ("b", 2)]


@pytest.mark.extension
def test_on_evict_is_not_called_for_delete_or_for_an_updated_value(impl):
    evicted: list = []
    cache = impl.LRUCache(2, on_evict=evictions_into(evicted))
    cache.put("a", 1)
    cache.put("a", 2)
    cache.put("b", 3)
    assert cache.delete("a") is True
    cache.put("c", 4)
    assert evicted == []


@pytest.mark.extension
def test_on_evict_reports_an_expired_entry_once_when_its_room_is_needed(impl, clock):
    evicted: list = []
    cache = impl.LRUCache(2, clock=clock, on_evict=evictions_into(evicted))
    cache.put("a", 1, ttl=1)
    cache.put("b", 2)
    clock.advance(2)
    cache.get("a")
    cache.put("c", 3)
    assert evicted == [("a", 1)]
    assert cache.keys() == ["b", "c"]
    cache.put("a", 5)
    assert evicted == [("a", 1), ("b", 2)]


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_on_evict_runs_after_the_change_and_may_use_the_cache(impl):
    seen: list = []
    cache = impl.LRUCache(2, on_evict=lambda key, value: seen.append(
        (key, value, key in cache, len(cache), cache.keys())))
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert seen == [("a", 1, False, 2, ["b", "c"])]


@pytest.mark.extension
def test_many_ttl_updates_of_one_key_expire_it_once_with_the_last_value(impl, clock):
    evicted: list = []
    cache = impl.LRUCache(2, clock=clock, on_evict=evictions_into(evicted))
    for n in range(1_000):
        cache.put("k", n, ttl=50)
        clock.advance(0.25)
    cache.put("other", "x")
    clock.advance(49.5)
    assert cache.get("k") == 999
    clock.advance(0.25)
    assert cache.keys() == ["other"]
    cache.put("third", "y")
    cache.put("fourth", "z")
    assert evicted == [("k", 999), ("other", "x")]


@pytest.mark.extension
def test_the_default_clock_keeps_a_long_ttl_entry_alive(impl):
    cache = impl.LRUCache(2)
    cache.put("a", 1, ttl=3_600)
    assert cache.get("a") == 1 and cache.keys() == ["a"]


@pytest.mark.extension
@pytest.mark.parametrize("seed", [4, 5, 6])
def test_random_operations_with_ttls_agree_with_a_model(impl, clock, seed):
    rng = random.Random(seed)
    capacity = rng.randint(1, 6)
    log: list = []
    cache = impl.LRUCache(capacity, clock=clock, on_evict=evictions_into(log))
    model: list[list] = []  # [key, value, deadline], least recently used first
    expired: set = set()  # (key, value) of entries that expired while cached: may be reported
    reported: set = set()
    seen = 0

    def expire() -> None:
        for entry in [e for e in model if e[2] <= clock.now]:
            model.remove(entry)
            expired.add((entry[0], entry[1]))

    for step in range(3_000):
        key = rng.randrange(10)
        at = next((e for e in model if e[0] == key), None)
        capacity_evictions = []
        op = rng.choice(["put", "put", "get", "get", "delete", "contains", "len", "tick"])
        if op == "put":
            ttl = rng.choice([None, 0.5, 1, 2, 4])
            if at is not None:
                model.remove(at)
            elif len(model) == capacity:
                lru = model.pop(0)
                capacity_evictions.append((lru[0], lru[1]))
            model.append([key, step, math.inf if ttl is None else clock.now + ttl])
            cache.put(key, step, ttl)
        elif op == "get":
            if at is not None:
                model.remove(at)
                model.append(at)
            assert cache.get(key) == (None if at is None else at[1]), f"step {step}: get({key})"
        elif op == "delete":
            if at is not None:
                model.remove(at)
            assert cache.delete(key) is (at is not None), f"step {step}: delete({key})"
        elif op == "contains":
            assert (key in cache) is (at is not None), f"step {step}: {key} in cache"
        elif op == "len":
            assert len(cache) == len(model), f"step {step}: len"
        else:
            clock.advance(rng.choice([0.25, 0.5, 1]))
            expire()
        new, seen = log[seen:], len(log)
        assert [p for p in new if p not in expired] == capacity_evictions, \
            f"step {step}: on_evict calls after {op}({key})"
        for pair in new:
            if pair in expired:
                assert pair not in reported, f"step {step}: on_evict{pair} called twice"
                reported.add(pair)
        assert cache.keys() == [e[0] for e in model], f"step {step}: keys after {op}({key})"


# --- perf ---------------------------------------------------------------------------------------


def mixed_operations_cost(impl, timed, size: int) -> float:
    """Best time of 2,000 random get/put/in/delete/len calls on a full cache of `size` entries.

    Every other put carries a TTL (too long to expire here), so expiry bookkeeping is timed too.
    """
    cache = impl.LRUCache(size, clock=lambda: 0.0)
    for key in range(size):
        cache.put(key, key, 1e9 if key % 2 else None)
    rng = random.Random(size)
    # Keys drawn from twice the capacity mix hits and misses, inserts and evictions.
    script = [(rng.randrange(6), rng.randrange(2 * size)) for _ in range(2_000)]

    def run() -> None:
        for op, key in script:
            if op == 0:
                cache.get(key)
            elif op == 1:
                cache.put(key, op)
            elif op == 2:
                cache.put(key, op, 1e9)
            elif op == 3:
                key in cache
            elif op == 4:
                cache.delete(key)
            else:
                len(cache)

    # Fewer repeats for the large cache: a linear-time cache takes seconds per run there.
    return timed(run, repeats=7 if size < 10_000 else 3)


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_operations_cost_the_same_with_100k_entries_as_with_1k(impl, timed):
    small = mixed_operations_cost(impl, timed, 1_000)
    large = mixed_operations_cost(impl, timed, 100_000)
    assert large / small < 5, f"operations on 100,000 entries are {large / small:.1f}x slower"
