"""Grades the rate limiters (katas/rate_limiter.py): run with --impl to grade your copy."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Callable
from fractions import Fraction

import pytest


@pytest.fixture
def bucket(impl, clock):
    """Capacity 4, refilled at 2 tokens per second, on the fake clock."""
    return impl.TokenBucket(4, 2.0, clock=clock)


@pytest.fixture
def limiter(impl, clock):
    """At most 3 requests per key in any 10 seconds, on the fake clock."""
    return impl.SlidingWindowLimiter(3, 10.0, clock=clock)


def drain(bucket) -> int:
    """Spend every whole token the bucket has now; how many there were."""
    for spent in range(1_000):
        if not bucket.allow():
            return spent
    raise AssertionError("the bucket allowed 1,000 requests in a row without refilling")


def allocated_by(*actions: Callable[[], object]) -> list[int]:
    """Bytes left allocated after each action in turn, counted from before the first."""
    gc.collect()
    tracemalloc.start()
    try:
        before, held = tracemalloc.get_traced_memory()[0], []
        for action in actions:
            action()
            gc.collect()
            held.append(tracemalloc.get_traced_memory()[0] - before)
        return held
    finally:
        tracemalloc.stop()


# --- core: token bucket ---------------------------------------------------------------------------


@pytest.mark.core
def test_new_bucket_is_full_and_allows_a_burst_of_its_capacity(bucket):
    assert [bucket.allow() for _ in range(5)] == [True, True, True, True, False]


@pytest.mark.core
def test_bucket_refills_continuously_at_its_rate(bucket, clock):
    drain(bucket)
    clock.advance(0.25)  # half a token at 2 per second: not enough yet
    assert bucket.allow() is False
    clock.advance(0.25)
    assert bucket.allow() is True
    assert bucket.allow() is False
    clock.advance(1.0)
    assert drain(bucket) == 2


@pytest.mark.core
def test_refill_never_exceeds_the_capacity_however_long_the_bucket_idles(bucket, clock):
    drain(bucket)
    clock.advance(3600)
    assert drain(bucket) == 4


@pytest.mark.core
def test_allow_with_a_cost_spends_that_many_tokens(bucket):
    assert bucket.allow(3) is True
    assert bucket.allow(2) is False
    assert bucket.allow(1) is True
    assert bucket.allow(0.5) is False


@pytest.mark.core
def test_refused_allow_spends_nothing(bucket):
    assert bucket.allow(3) is True
    for _ in range(5):
        assert bucket.allow(2) is False
    assert bucket.allow(1) is True


@pytest.mark.core
def test_bucket_retry_after_is_the_wait_until_allow_succeeds(bucket, clock):
    drain(bucket)
    assert bucket.retry_after() == 0.5
    assert bucket.retry_after(3) == 1.5
    clock.advance(0.375)
    assert bucket.retry_after() == 0.125
    assert bucket.allow() is False
    clock.advance(0.125)
    assert bucket.retry_after() == 0.0
    assert bucket.allow() is True


@pytest.mark.core
def test_bucket_retry_after_is_zero_never_negative_when_tokens_are_available(bucket, clock):
    assert bucket.retry_after() == 0.0
    assert bucket.retry_after(4) == 0.0
    bucket.allow(2)
    assert bucket.retry_after(1) == 0.0
    clock.advance(60)
    assert bucket.retry_after() == 0.0


@pytest.mark.core
def test_bucket_retry_after_spends_nothing(bucket):
    for _ in range(10):
        assert bucket.retry_after(4) == 0.0
    assert bucket.allow(4) is True


@pytest.mark.core
def test_bucket_matches_an_exact_model_over_random_operations(impl, clock):
    rng = random.Random(20240609)
    for capacity, rate in [(1, 0.5), (3, 2.0), (8, 4.0), (5, 1.0)]:
        bucket = impl.TokenBucket(capacity, rate, clock=clock)
        tokens, last = Fraction(capacity), Fraction(clock.now)
        for step in range(1_500):
            clock.advance(rng.randrange(0, 24) / 16)
            tokens = min(Fraction(capacity), tokens + (Fraction(clock.now) - last) * Fraction(rate))
            last = Fraction(clock.now)
            cost = rng.choice([c for c in (1, 1, 1, 2, 0.5, capacity) if c <= capacity])
            if rng.random() < 0.7:
                expected = tokens >= Fraction(cost)
                assert bucket.allow(cost) is expected, (
                    f"capacity {capacity}, rate {rate}, step {step}: allow({cost}) with "
                    f"{float(tokens)} tokens should be {expected}")
                if expected:
                    tokens -= Fraction(cost)
            else:
                wait = max(Fraction(0), (Fraction(cost) - tokens) / Fraction(rate))
                assert bucket.retry_after(cost) == pytest.approx(float(wait), abs=1e-9), (
                    f"capacity {capacity}, rate {rate}, step {step}: retry_after({cost}) with "
                    f"{float(tokens)} tokens")


# --- core: sliding window -------------------------------------------------------------------------


@pytest.mark.core
def test_window_allows_limit_requests_then_refuses(limiter):
    assert [limiter.allow("ada") for _ in range(5)] == [True, True, True, False, False]


@pytest.mark.core
def test_request_exactly_one_window_later_is_allowed(impl, clock):
    limiter = impl.SlidingWindowLimiter(2, 10.0, clock=clock)
    assert limiter.allow("ada")
    clock.advance(4.0)
    assert limiter.allow("ada")
    clock.advance(5.875)
    assert limiter.allow("ada") is False, "the first request is still 9.875 s old"
    clock.advance(0.125)
    assert limiter.allow("ada") is True, "the first request is exactly 10 s old: it no longer counts"
    assert limiter.allow("ada") is False


@pytest.mark.core
def test_keys_are_limited_independently(limiter):
    for _ in range(3):
        assert limiter.allow("ada")
    assert limiter.allow("ada") is False
    assert [limiter.allow("bob") for _ in range(4)] == [True, True, True, False]
    assert limiter.retry_after("carol") == 0.0
    assert limiter.allow(("carol", 1)) is True


@pytest.mark.core
def test_window_slides_rather_than_resetting_on_fixed_boundaries(impl, clock):
    limiter = impl.SlidingWindowLimiter(2, 10.0, clock=clock)
    assert limiter.allow("ada")
    clock.advance(9.0)
    assert limiter.allow("ada")
    clock.advance(1.0)
    assert limiter.allow("ada") is True  # the first left the window
    clock.advance(1.0)
    assert limiter.allow("ada") is False  # 9 s and 10 s requests are both still live
    clock.advance(8.0)
    assert limiter.allow("ada") is True


@pytest.mark.core
def test_refused_requests_are_not_counted(impl, clock):
    limiter = impl.SlidingWindowLimiter(1, 10.0, clock=clock)
    assert limiter.allow("ada")
    for _ in range(9):
        clock.advance(1.0)
        assert limiter.allow("ada") is False
    clock.advance(1.0)
    assert limiter.allow("ada") is True


@pytest.mark.core
def test_window_retry_after_is_the_wait_until_the_oldest_request_leaves(limiter, clock):
    assert limiter.retry_after("ada") == 0.0
    limiter.allow("ada")
    clock.advance(2.5)
    limiter.allow("ada")
    assert limiter.retry_after("ada") == 0.0
    limiter.allow("ada")
    assert limiter.retry_after("ada") == 7.5
    clock.advance(7.0)
    assert limiter.retry_after("ada") == 0.5
    assert limiter.allow("ada") is False
    clock.advance(0.5)
    assert limiter.retry_after("ada") == 0.0
    assert limiter.allow("ada") is True
    assert limiter.retry_after("ada") == 2.5


@pytest.mark.core
def test_window_retry_after_records_nothing(limiter):
    for _ in range(10):
        assert limiter.retry_after("ada") == 0.0
    assert [limiter.allow("ada") for _ in range(4)] == [True, True, True, False]


@pytest.mark.core
def test_window_matches_a_model_log_over_random_operations(impl, clock):
    rng = random.Random(97)
    for limit, window in [(1, 1.0), (3, 2.5), (5, 4.0)]:
        limiter = impl.SlidingWindowLimiter(limit, window, clock=clock)
        model: dict[str, list[float]] = {}
        for step in range(2_000):
            clock.advance(rng.randrange(0, 12) / 8)
            key = rng.choice("abcde")
            live = [t for t in model.get(key, []) if clock.now - t < window]
            model[key] = live
            where = f"limit {limit}, window {window}, step {step}, key {key!r}"
            if rng.random() < 0.7:
                expected = len(live) < limit
                assert limiter.allow(key) is expected, f"{where}: allow should be {expected}"
                if expected:
                    live.append(clock.now)
            else:
                wait = 0.0 if len(live) < limit else live[0] + window - clock.now
                assert limiter.retry_after(key) == pytest.approx(wait, abs=1e-9), where


@pytest.mark.core
def test_requests_older_than_the_window_are_forgotten(impl, clock):
    limiter = impl.SlidingWindowLimiter(100_000, 1.0, clock=clock)

    def fill() -> None:
        for _ in range(20_000):
            clock.advance(1 / 32_768)
            limiter.allow("ada")

    def expire() -> None:
        clock.advance(2.0)
        assert limiter.allow("ada") is True

    full, after = allocated_by(fill, expire)
    assert after < full / 10, (f"20,000 requests held {full:,} bytes; once they left the window "
                               f"{after:,} bytes are still held")


@pytest.mark.core
def test_memory_follows_the_keys_of_the_live_window_not_every_key_ever_seen(impl, clock):
    kept: list[object] = []  # the limiters stay alive: what they hold is what is measured

    def thousand_live_keys() -> None:
        limiter = impl.SlidingWindowLimiter(5, 1.0, clock=clock)
        for n in range(1_000):
            limiter.allow(("user", n))
        kept.append(limiter)

    def ten_thousand_passing_keys() -> None:
        limiter = impl.SlidingWindowLimiter(5, 1.0, clock=clock)
        for n in range(10_000):
            clock.advance(0.125)  # at most 8 keys are ever live together
            limiter.allow(("user", n))
        kept.append(limiter)

    [live] = allocated_by(thousand_live_keys)
    [passed] = allocated_by(ten_thousand_passing_keys)
    assert passed < live / 10, (f"1,000 live keys hold {live:,} bytes, but 10,000 keys that came "
                                f"and went, at most 8 at a time, still hold {passed:,} bytes")


# --- edge -----------------------------------------------------------------------------------------


@pytest.mark.edge
def test_bucket_counts_fractional_tokens_and_a_fractional_capacity(impl, clock):
    bucket = impl.TokenBucket(2.5, 1.0, clock=clock)
    assert drain(bucket) == 2
    assert bucket.retry_after() == 0.5
    assert bucket.allow(0.5) is True
    clock.advance(0.75)
    assert bucket.allow(0.75) is True
    assert bucket.allow(0.25) is False


@pytest.mark.edge
def test_cost_equal_to_the_capacity_is_allowed_on_a_full_bucket(bucket, clock):
    assert bucket.allow(4) is True
    assert bucket.retry_after(4) == 2.0
    clock.advance(2.0)
    assert bucket.allow(4) is True


@pytest.mark.edge
def test_slow_refill_rate_below_one_token_per_second(impl, clock):
    bucket = impl.TokenBucket(1, 0.25, clock=clock)
    assert bucket.allow()
    assert bucket.retry_after() == 4.0
    clock.advance(3.0)
    assert bucket.allow() is False
    clock.advance(1.0)
    assert bucket.allow() is True


@pytest.mark.edge
def test_limit_of_one_with_a_fractional_window(impl, clock):
    limiter = impl.SlidingWindowLimiter(1, 0.25, clock=clock)
    assert limiter.allow(7) and not limiter.allow(7)
    assert limiter.retry_after(7) == 0.25
    clock.advance(0.25)
    assert limiter.allow(7) and limiter.allow(8)


@pytest.mark.edge
def test_equal_keys_share_a_window_and_distinct_keys_do_not(limiter):
    for _ in range(3):
        assert limiter.allow(("ada", 1))
    assert limiter.allow(("ada", 1)) is False
    assert limiter.allow(("ada", 2)) is True
    assert limiter.allow("1") is True and limiter.allow(None) is True


@pytest.mark.edge
def test_forgetting_idle_keys_keeps_the_counts_of_live_keys(impl, clock):
    limiter = impl.SlidingWindowLimiter(2, 10.0, clock=clock)
    assert limiter.allow("busy") and limiter.allow("busy")
    for n in range(50):
        clock.advance(0.125)
        assert limiter.allow(n)
    clock.advance(10.0 - 50 * 0.125)
    # "busy" left the window at this instant, every numbered key is still live
    assert limiter.allow("busy") is True
    assert limiter.allow(0) is True and limiter.allow(0) is False
    assert limiter.retry_after(49) == 0.0
    clock.advance(3600)
    assert all(limiter.allow(n) for n in range(50))


@pytest.mark.edge
def test_default_clocks_are_real_monotonic_time(impl):
    bucket = impl.TokenBucket(1, 0.001)
    assert bucket.allow() is True and bucket.allow() is False
    assert 990 < bucket.retry_after() <= 1000
    limiter = impl.SlidingWindowLimiter(1, 1000.0)
    assert limiter.allow("k") is True and limiter.allow("k") is False
    assert 990 < limiter.retry_after("k") <= 1000


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("capacity, rate, exc, fragment", [
    ("4", 1.0, TypeError, "'4'"),
    (True, 1.0, TypeError, "True"),
    (None, 1.0, TypeError, "None"),
    (0, 1.0, ValueError, "0"),
    (-3, 1.0, ValueError, "-3"),
    (float("inf"), 1.0, ValueError, "inf"),
    (4, "fast", TypeError, "'fast'"),
    (4, 0.0, ValueError, "0.0"),
    (4, -1.5, ValueError, "-1.5"),
    (4, float("nan"), ValueError, "nan"),
])
def test_bucket_rejects_a_bad_capacity_or_rate(impl, error_naming, capacity, rate, exc, fragment):
    with error_naming(exc, fragment):
        impl.TokenBucket(capacity, rate)


@pytest.mark.errors
@pytest.mark.parametrize("cost, exc, fragment", [
    ("1", TypeError, "'1'"),
    (False, TypeError, "False"),
    ([1], TypeError, "[1]"),
    (0, ValueError, "0"),
    (-1, ValueError, "-1"),
    (float("nan"), ValueError, "nan"),
    (5, ValueError, "5"),
    (4.5, ValueError, "4.5"),
])
def test_bad_cost_is_rejected_and_spends_nothing(bucket, error_naming, cost, exc, fragment):
    with error_naming(exc, fragment):
        bucket.allow(cost)
    with error_naming(exc, fragment):
        bucket.retry_after(cost)
    assert bucket.allow(4) is True


@pytest.mark.errors
def test_cost_above_the_capacity_names_the_capacity(bucket, error_naming):
    with error_naming(ValueError, "5", "4"):
        bucket.allow(5)


@pytest.mark.errors
@pytest.mark.parametrize("limit, window, exc, fragment", [
    (2.0, 1.0, TypeError, "2.0"),
    ("3", 1.0, TypeError, "'3'"),
    (True, 1.0, TypeError, "True"),
    (0, 1.0, ValueError, "0"),
    (-2, 1.0, ValueError, "-2"),
    (3, "10s", TypeError, "'10s'"),
    (3, 0, ValueError, "0"),
    (3, -1.0, ValueError, "-1.0"),
    (3, float("inf"), ValueError, "inf"),
])
def test_window_rejects_a_bad_limit_or_window(impl, error_naming, limit, window, exc, fragment):
    with error_naming(exc, fragment):
        impl.SlidingWindowLimiter(limit, window)


@pytest.mark.errors
def test_clock_must_be_callable(impl, error_naming):
    with error_naming(TypeError, "clock", "12.5"):
        impl.TokenBucket(1, 1.0, clock=12.5)
    with error_naming(TypeError, "clock", "12.5"):
        impl.SlidingWindowLimiter(1, 1.0, clock=12.5)


@pytest.mark.errors
def test_unhashable_key_is_rejected_and_records_nothing(impl, clock, error_naming):
    limiter = impl.SlidingWindowLimiter(1, 10.0, clock=clock)
    with error_naming(TypeError, "['ada']", "hashable"):
        limiter.allow(["ada"])
    with error_naming(TypeError, "{'a': 1}", "hashable"):
        limiter.retry_after({"a": 1})
    with error_naming(TypeError, "hashable"):
        limiter.allow(("ada", ["x"]))
    assert limiter.allow(("ada",)) is True


# --- concurrency ----------------------------------------------------------------------------------


# A missing lock loses updates only now and then: several short races make it show reliably.
RACE_ROUNDS = 6


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_racing_threads_win_exactly_the_buckets_capacity(
        impl, clock, run_threads, frequent_thread_switches):
    for _ in range(RACE_ROUNDS):
        bucket = impl.TokenBucket(1_000, 1.0, clock=clock)
        wins = [0] * 8

        def work(n: int) -> None:
            for _ in range(250):
                wins[n] += bucket.allow()

        run_threads(8, work)
        assert sum(wins) == 1_000
        assert bucket.allow() is False


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_racing_threads_on_one_key_win_exactly_the_limit(
        impl, clock, run_threads, frequent_thread_switches):
    for _ in range(RACE_ROUNDS):
        limiter = impl.SlidingWindowLimiter(1_000, 10.0, clock=clock)
        wins = [0] * 8

        def work(n: int) -> None:
            for _ in range(250):
                wins[n] += limiter.allow("shared")

        run_threads(8, work)
        assert sum(wins) == 1_000
        assert limiter.retry_after("shared") == 10.0


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_threads_on_their_own_keys_each_get_the_full_limit(
        impl, clock, run_threads, frequent_thread_switches):
    for _ in range(RACE_ROUNDS):
        limiter = impl.SlidingWindowLimiter(150, 10.0, clock=clock)
        wins = [0] * 6

        def work(n: int) -> None:
            for i in range(200):
                wins[n] += limiter.allow(("worker", n))
                limiter.retry_after(("worker", (n + i) % 6))

        run_threads(6, work)
        assert wins == [150] * 6
        clock.advance(10.0)


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_rate_limited_function_runs_exactly_as_often_as_allowed_across_threads(
        impl, clock, run_threads, frequent_thread_switches):
    for _ in range(RACE_ROUNDS):
        calls, refused = [0] * 6, [0] * 6

        @impl.rate_limited(impl.TokenBucket(150, 1.0, clock=clock))
        def work_item(n: int) -> None:
            calls[n] += 1

        def work(n: int) -> None:
            for _ in range(50):
                try:
                    work_item(n)
                except impl.RateLimitExceeded:
                    refused[n] += 1

        run_threads(6, work)
        assert (sum(calls), sum(refused)) == (150, 150)


# --- extension: @rate_limited ---------------------------------------------------------------------


@pytest.mark.extension
def test_rate_limited_function_runs_and_returns_its_result_while_allowed(impl, bucket):
    @impl.rate_limited(bucket)
    def add(a: int, b: int = 0) -> int:
        return a + b

    assert [add(1, b=n) for n in range(4)] == [1, 2, 3, 4]


@pytest.mark.extension
def test_rate_limited_keeps_the_functions_name_and_docstring(impl, bucket):
    @impl.rate_limited(bucket)
    def fetch() -> None:
        """Fetch the thing."""

    assert fetch.__name__ == "fetch"
    assert fetch.__doc__ == "Fetch the thing."


@pytest.mark.extension
def test_refused_call_raises_with_the_wait_and_does_not_run(impl, bucket, clock, error_naming):
    ran = []

    @impl.rate_limited(bucket)
    def fetch() -> None:
        ran.append(clock.now)

    for _ in range(4):
        fetch()
    clock.advance(0.25)
    with error_naming(impl.RateLimitExceeded, "fetch", "retry after 0.250 s") as info:
        fetch()
    assert info.value.retry_after == 0.25
    assert isinstance(info.value, impl.RateLimitError)
    assert len(ran) == 4
    clock.advance(0.25)
    fetch()
    assert len(ran) == 5


@pytest.mark.extension
def test_rate_limited_with_a_key_limits_each_key_of_the_arguments(impl, limiter, clock,
                                                                   error_naming):
    @impl.rate_limited(limiter, key=lambda user, **options: user)
    def download(user: str, *, size: int = 1) -> str:
        return f"{user}:{size}"

    assert [download("ada", size=n) for n in range(3)] == ["ada:0", "ada:1", "ada:2"]
    clock.advance(4.0)
    with error_naming(impl.RateLimitExceeded, "download", "retry after 6.000 s") as info:
        download("ada")
    assert info.value.retry_after == 6.0
    assert download("bob") == "bob:1"
    assert limiter.retry_after("ada") == 6.0 and limiter.retry_after("bob") == 0.0


@pytest.mark.extension
def test_rate_limited_without_a_key_gives_each_function_its_own_window(impl, limiter):
    @impl.rate_limited(limiter)
    def first(n: int) -> int:
        return n

    @impl.rate_limited(limiter)
    def second(n: int) -> int:
        return -n

    assert [first(n) for n in range(3)] == [0, 1, 2]
    with pytest.raises(impl.RateLimitExceeded):
        first(99)  # other arguments, same function: the same window
    assert [second(n) for n in range(3)] == [0, -1, -2]
    assert limiter.allow("first") is True


@pytest.mark.extension
def test_call_that_raises_still_counts_and_its_error_propagates(impl, clock):
    @impl.rate_limited(impl.TokenBucket(2, 1.0, clock=clock))
    def fail() -> None:
        raise KeyError("boom")

    for _ in range(2):
        with pytest.raises(KeyError):
            fail()
    with pytest.raises(impl.RateLimitExceeded):
        fail()


@pytest.mark.extension
@pytest.mark.parametrize("make_limiter, key, fragment", [
    (lambda impl, clock: "bucket", None, "'bucket'"),
    (lambda impl, clock: None, None, "None"),
    (lambda impl, clock: impl.SlidingWindowLimiter(1, 1.0, clock=clock), "user", "'user'"),
    (lambda impl, clock: impl.TokenBucket(1, 1.0, clock=clock), lambda *a: "k", "key"),
])
def test_rate_limited_rejects_a_bad_limiter_or_key(impl, clock, error_naming, make_limiter, key,
                                                   fragment):
    with error_naming(TypeError, fragment):
        impl.rate_limited(make_limiter(impl, clock), key=key)


# --- perf -----------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_window_allow_cost_does_not_grow_with_the_limit(impl, timed):
    def cost(limit: int) -> float:
        def run() -> None:
            now = [0.0]
            limiter = impl.SlidingWindowLimiter(limit, 1.0, clock=lambda: now[0])
            step = 1.0 / limit  # the window stays about full: each request ages one out
            for _ in range(6_000):
                now[0] += step
                limiter.allow("k")
        return timed(run, repeats=3)

    small, large = cost(20), cost(2_000)
    assert large / small < 4, f"a limit of 2,000 makes allow {large / small:.1f}x slower than 20"


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_window_allow_cost_does_not_grow_with_the_number_of_live_keys(impl, timed):
    def cost(keys: int) -> float:
        now = [0.0]
        limiter = impl.SlidingWindowLimiter(1_000_000, 1_000.0, clock=lambda: now[0])
        for key in range(keys):
            limiter.allow(key)
        probes = [*range(0, keys, keys // 250)] * 2

        def run() -> None:
            for key in probes:
                now[0] += 1e-6
                limiter.allow(key)
        return timed(run)

    small, large = cost(250), cost(5_000)
    assert large / small < 5, f"5,000 live keys make allow {large / small:.1f}x slower than 250"


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_bucket_allow_cost_does_not_grow_with_the_cost(impl, timed):
    def cost(size: int) -> float:
        now = [0.0]
        bucket = impl.TokenBucket(size, size * 1_000.0, clock=lambda: now[0])

        def run() -> None:
            for _ in range(3_000):
                now[0] += 0.001
                bucket.allow(size)
        return timed(run)

    small, large = cost(1), cost(100_000)
    assert large / small < 4, f"a cost of 100,000 makes allow {large / small:.1f}x slower than 1"
