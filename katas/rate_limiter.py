"""Rate limiter

Size: short

An API gateway must stop clients from flooding the services behind it. Build the two classic
limiters, both driven by an injectable clock and safe to share between threads: a token bucket
(a steady rate that allows short bursts) and a sliding-window log (at most N requests per key in
any window of time).

Core (the 60-minute part):
- TokenBucket(capacity, refill_per_second, *, clock=time.monotonic) holds at most `capacity`
  tokens and starts full. Tokens refill continuously at `refill_per_second` (fractions count: at 2
  per second, 0.25 s adds half a token) and never beyond the capacity, however long it idles.
- allow(cost=1): when at least `cost` tokens are available, spend them and return True; otherwise
  return False and spend nothing.
- retry_after(cost=1): the seconds until allow(cost) would succeed (to within 1e-9 s); 0.0 when
  it would succeed now, never negative. Asking spends nothing. Waiting it is always enough: asked
  at clock() == t, and with nothing spent since, allow(cost) at clock() == t + retry_after(cost)
  (that float sum) succeeds; float rounding must never leave the wait a hair short.
- SlidingWindowLimiter(limit, window_seconds, *, clock=time.monotonic) limits each key (any
  hashable) separately: allow(key) records the request and returns True when fewer than `limit`
  requests of that key were allowed in the last `window_seconds`, else returns False. Refused
  requests are not recorded. The window slides: a request allowed at time t counts until
  t + window_seconds, and from that instant on it no longer counts.
- retry_after(key): the seconds until allow(key) would succeed (to within 1e-9 s); 0.0 when it
  would succeed now (an unknown key included). Asking records nothing. Waiting it is enough in the
  same way: with no request of that key allowed since, allow(key) at t + retry_after(key) succeeds.
- Memory is bounded by the live window: requests older than the window are forgotten, and so is
  a key with no request in the last window. Memory grows with the keys active in the last window,
  never with every key ever seen.
- Both classes are thread-safe: threads racing for a bucket of capacity C win exactly C requests.

Extensions (the stretch part, tests marked extension):
- rate_limited(limiter, *, key=None) decorates a function so that every call asks the limiter
  first: a TokenBucket's allow(); a SlidingWindowLimiter's allow(key(*args, **kwargs)), or, without
  key=, allow() of one window shared by every call of that function (and only of that function).
- A refused call does not run the function: it raises RateLimitExceeded, whose retry_after is the
  wait in seconds and whose message names the function and the wait as "retry after 0.250 s".
  An allowed call returns the function's result; the wrapper keeps the function's name and docstring.

Errors:
- capacity, refill_per_second, window_seconds and cost must be finite numbers > 0: TypeError for a
  non-number (bool is not a number here), ValueError for the rest: 0, negatives, NaN, +-inf and
  ints too large for a float (10**400).
- A cost above the capacity is a ValueError naming both (it could never be allowed).
- limit must be an int >= 1 (bool is not an int here; any larger int works); clock must be
  callable; a key must be hashable (TypeError).
- rate_limited raises TypeError for a limiter of another type, a key that is not callable, or key=
  given with a TokenBucket. RateLimitExceeded is a RateLimitError.
- Every message names the offending value (as its repr or str), except for key= with a
  TokenBucket, where saying so is enough. A rejected call changes no state.

Example:
    >>> now = [0.0]
    >>> bucket = TokenBucket(2, 1.0, clock=lambda: now[0])
    >>> bucket.allow(), bucket.allow(), bucket.allow()
    (True, True, False)
    >>> bucket.retry_after()
    1.0
    >>> now[0] = 0.5
    >>> bucket.retry_after(), bucket.allow()
    (0.5, False)
    >>> limiter = SlidingWindowLimiter(2, 10.0, clock=lambda: now[0])
    >>> [limiter.allow("ada") for _ in range(3)], limiter.allow("bob")
    ([True, True, False], True)
    >>> limiter.retry_after("ada")
    10.0
    >>> now[0] = 10.5
    >>> limiter.allow("ada")
    True

Complexity:
- allow and retry_after are O(1) amortised: their cost does not grow with the limit, the cost, or
  the number of live keys (a limit of 2,000 costs no more per call than a limit of 20).

Hints:
1. No timer thread is needed: keep the tokens and the time you last looked, and top the bucket up
   lazily whenever someone asks.
2. For the sliding window keep, per key, the times of its allowed requests oldest first in a deque:
   drop from the left what has left the window, then compare the length with the limit.
3. To forget idle keys without scanning them all, keep the keys in an OrderedDict ordered by their
   latest request: the idlest key is always at the front.

Change request:
Paying customers get more. Keys now belong to classes ("free", "pro", ...) whose limits change
while the limiter runs. TokenBucket and rate_limited are unchanged.
- SlidingWindowLimiter(limit, window_seconds, *, clock=time.monotonic, key_class=None): key_class,
  when given, is called as key_class(key) on every allow and retry_after and returns the key's
  class name (any hashable). Without key_class every key has `limit`, as before. A key_class that
  is not callable: TypeError.
- set_limit(name, limit) -> None sets the limit of class `name`, from the next call on, for keys
  already seen too. Keys of a class without a set_limit have the constructor's `limit`. limit: an
  int >= 1 (TypeError / ValueError as in the constructor); an unhashable name: TypeError.
- A change never resets a key's budget: the requests it was allowed in the window keep counting
  against the new limit. Raising the limit allows more at once; lowering it below what a key has
  used refuses the key until enough of its requests leave the window, and retry_after(key) is the
  wait until fewer than the new limit are left (waiting it is enough, as before).
- A key may change class (key_class is asked on every call): its recorded requests go with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class RateLimitError(Exception):
    """Base class of the module's domain errors."""


class RateLimitExceeded(RateLimitError):  # noqa: N818 - the name is the card's API
    """A call refused by a @rate_limited function; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucket:
    """Holds up to `capacity` tokens, refilled continuously; each request spends `cost` of them."""

    def __init__(self, capacity: float, refill_per_second: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """A full bucket. capacity and refill_per_second: finite numbers > 0, bool excluded
        (TypeError / ValueError, 10**400 a ValueError); clock: a callable returning seconds."""
        raise NotImplementedError

    def allow(self, cost: float = 1) -> bool:
        """Spend `cost` tokens and return True, or return False and spend nothing.

        cost: a finite number > 0 and <= capacity (TypeError / ValueError).
        """
        raise NotImplementedError

    def retry_after(self, cost: float = 1) -> float:
        """Seconds until allow(cost) would succeed: 0.0 when it would now. Spends nothing.

        Waiting it is enough: with nothing spent since, allow(cost) at (now + the wait) succeeds.
        """
        raise NotImplementedError


class SlidingWindowLimiter:
    """At most `limit` allowed requests per key in any `window_seconds`-long interval."""

    def __init__(self, limit: int, window_seconds: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """limit: an int >= 1; window_seconds: a finite number > 0; clock: a callable returning
        seconds. TypeError for a wrong type (bool included), ValueError for a bad value."""
        raise NotImplementedError

    def allow(self, key: Hashable) -> bool:
        """Record a request for `key` and return True, or return False (refusals are not counted).

        TypeError for an unhashable key.
        """
        raise NotImplementedError

    def retry_after(self, key: Hashable) -> float:
        """Seconds until allow(key) would succeed: 0.0 when it would now. Records nothing.

        Waiting it is enough: with no request of `key` allowed since, allow(key) at (now + the
        wait) succeeds. TypeError for an unhashable key.
        """
        raise NotImplementedError


def rate_limited(limiter: TokenBucket | SlidingWindowLimiter, *,
                 key: Callable[..., Hashable] | None = None
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a function so each call first asks `limiter`; a refusal raises RateLimitExceeded.

    key: with a SlidingWindowLimiter, maps the call's arguments to the limiter key; without it every
    call of the function shares one window. TypeError for a limiter of another type, a key that is
    not callable, or key= with a TokenBucket.
    """
    raise NotImplementedError
