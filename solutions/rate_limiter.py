"""Rate limiters: a token bucket, a per-key sliding-window log and a decorator that applies either."""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import Any, NoReturn


class RateLimitError(Exception):
    """Base class of the module's domain errors."""


class RateLimitExceeded(RateLimitError):  # noqa: N818 - the name is the card's API
    """A call refused by a @rate_limited function; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _check_positive(value: object, name: str) -> float:
    """A finite number > 0 as a float; TypeError for a non-number (bools included), ValueError
    for the rest, an int too large for a float (10**400) included."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def _check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an int, got {type(limit).__name__}: {limit!r}")
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit!r}")
    return limit


def _check_clock(clock: object) -> Callable[[], float]:
    if not callable(clock):
        raise TypeError(f"clock must be callable (like time.monotonic), got {clock!r}")
    return clock


def _check_key(key: object) -> None:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None


def _wait_until(now: float, wait: float, ready: Callable[[float], bool]) -> float:
    """`wait`, raised a float step at a time until ready(now + wait).

    The exact wait can round to a time a hair too early (now + wait - now != wait in floats),
    and a client that waits what retry_after said must be let in.
    """
    while not ready(now + wait):
        wait = max(math.nextafter(wait, math.inf), math.nextafter(now + wait, math.inf) - now)
    return wait


class TokenBucket:
    """Holds up to `capacity` tokens, refilled continuously; each request spends `cost` of them.

    Only a spend changes the state (the tokens left and when): the tokens at any later time follow
    from it, so asking, or being refused, never shifts the float rounding of a later answer.
    """

    def __init__(self, capacity: float, refill_per_second: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = _check_positive(capacity, "capacity")
        self._rate = _check_positive(refill_per_second, "refill_per_second")
        self._clock = _check_clock(clock)
        self._tokens = self._capacity  # a new bucket is full: it allows an initial burst
        self._updated = self._clock()
        self._lock = threading.Lock()

    def allow(self, cost: float = 1) -> bool:
        """Spend `cost` tokens and return True, or return False and spend nothing."""
        cost = self._check_cost(cost)
        with self._lock:
            now = self._clock()
            tokens = self._tokens_at(now)
            if tokens < cost:
                return False
            self._tokens, self._updated = tokens - cost, now
            return True

    def retry_after(self, cost: float = 1) -> float:
        """Seconds until allow(cost) would succeed: 0.0 when it would now. Spends nothing."""
        cost = self._check_cost(cost)
        with self._lock:
            now = self._clock()
            wait = max(0.0, (cost - self._tokens_at(now)) / self._rate)
            return _wait_until(now, wait, lambda then: self._tokens_at(then) >= cost)

    def _check_cost(self, cost: object) -> float:
        number = _check_positive(cost, "cost")
        if number > self._capacity:
            raise ValueError(f"cost {cost!r} exceeds the capacity {self._capacity!r}: "
                             f"it could never be allowed")
        return number

    def _tokens_at(self, now: float) -> float:
        return min(self._capacity, self._tokens + (now - self._updated) * self._rate)


_NO_CLASS = object()  # the class of every key when there is no key_class: no name set_limit gets


class SlidingWindowLimiter:
    """At most `limit` allowed requests per key in any `window_seconds`-long interval.

    With key_class, each key's limit is that of its class (set_limit), the default otherwise.
    """

    def __init__(self, limit: int, window_seconds: float, *,
                 clock: Callable[[], float] = time.monotonic,
                 key_class: Callable[[Hashable], Hashable] | None = None) -> None:
        self._limit = _check_limit(limit)
        self._window = _check_positive(window_seconds, "window_seconds")
        self._clock = _check_clock(clock)
        if key_class is not None and not callable(key_class):
            raise TypeError(f"key_class must be callable or None, got {key_class!r}")
        self._key_class = key_class
        self._class_limits: dict[Hashable, int] = {}
        # key -> times of its allowed requests still in the window, oldest first. Keys are kept
        # in the order of their latest request, so the first key is the one idle the longest.
        self._logs: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def set_limit(self, name: Hashable, limit: int) -> None:
        """From now on, keys of class `name` may make `limit` requests per window."""
        _check_key(name)
        limit = _check_limit(limit)
        with self._lock:
            self._class_limits[name] = limit

    def allow(self, key: Hashable) -> bool:
        """Record a request for `key` and return True, or return False (refusals are not counted)."""
        name = self._class_of(key)
        with self._lock:
            now = self._clock()
            log = self._live_log(key, now)
            if log is None:
                log = self._logs[key] = deque()
            elif len(log) >= self._limit_of(name):
                return False
            log.append(now)
            self._logs.move_to_end(key)
            return True

    def retry_after(self, key: Hashable) -> float:
        """Seconds until allow(key) would succeed: 0.0 when it would now. Records nothing."""
        name = self._class_of(key)
        with self._lock:
            now = self._clock()
            log = self._live_log(key, now)
            limit = self._limit_of(name)
            if log is None or len(log) < limit:
                return 0.0
            # Fewer than `limit` must be left: wait until the one `limit` places from the newest
            # leaves (the oldest one, unless the limit was lowered since these were allowed).
            leaving = log[len(log) - limit]
            return _wait_until(now, leaving + self._window - now,
                               lambda then: self._expired(leaving, then))

    def _class_of(self, key: Hashable) -> Hashable:
        """Check `key` and find its class, outside the lock: key_class is the caller's code."""
        _check_key(key)
        return _NO_CLASS if self._key_class is None else self._key_class(key)

    def _limit_of(self, name: Hashable) -> int:
        return self._class_limits.get(name, self._limit)

    def _expired(self, stamp: float, now: float) -> bool:
        # A request exactly one window old no longer counts: the window is (now - window, now].
        return now - stamp >= self._window

    def _live_log(self, key: Hashable, now: float) -> deque[float] | None:
        """Drop what has left the window (idle keys too); the live log of `key`, if it has one."""
        while self._logs:
            idlest = next(iter(self._logs))
            if not self._expired(self._logs[idlest][-1], now):
                break
            del self._logs[idlest]
        log = self._logs.get(key)
        if log is not None:
            while self._expired(log[0], now):
                log.popleft()
        return log


def rate_limited(limiter: TokenBucket | SlidingWindowLimiter, *,
                 key: Callable[..., Hashable] | None = None
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a function so each call first asks `limiter`; a refusal raises RateLimitExceeded."""
    if not isinstance(limiter, (TokenBucket, SlidingWindowLimiter)):
        raise TypeError(f"limiter must be a TokenBucket or a SlidingWindowLimiter, "
                        f"got {type(limiter).__name__}: {limiter!r}")
    if key is not None and not callable(key):
        raise TypeError(f"key must be a callable of the call's arguments, got {key!r}")
    if key is not None and isinstance(limiter, TokenBucket):
        raise TypeError("key= needs a SlidingWindowLimiter: a TokenBucket has no keys")

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if isinstance(limiter, TokenBucket):
                if not limiter.allow():
                    _refuse(func, limiter.retry_after())
            else:
                # Without key=, every call of this function shares one window.
                call_key = func if key is None else key(*args, **kwargs)
                if not limiter.allow(call_key):
                    _refuse(func, limiter.retry_after(call_key))
            return func(*args, **kwargs)

        return limited

    return decorate


def _refuse(func: Callable[..., Any], wait: float) -> NoReturn:
    raise RateLimitExceeded(f"{func.__qualname__} is rate limited: retry after {wait:.3f} s", wait)
