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
- retry_after(cost=1): the seconds until allow(cost) would succeed; 0.0 when it would succeed now,
  never negative. Asking spends nothing.
- SlidingWindowLimiter(limit, window_seconds, *, clock=time.monotonic) limits each key (any
  hashable) separately: allow(key) records the request and returns True when fewer than `limit`
  requests of that key were allowed in the last `window_seconds`, else returns False. Refused
  requests are not recorded. The window slides: a request allowed at time t counts until
  t + window_seconds, and from that instant on it no longer counts.
- retry_after(key): the seconds until allow(key) would succeed; 0.0 when it would succeed now (an
  unknown key included). Asking records nothing.
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
- capacity, refill_per_second, window_seconds and cost must be finite numbers > 0 (TypeError for a
  non-number, bools included; ValueError for the rest); a cost above the capacity is a ValueError
  (it could never be allowed); limit must be an int >= 1; clock must be callable; a key must be
  hashable (TypeError). Every message names the offending value.
- rate_limited raises TypeError for a limiter of another type, a key that is not callable, or key=
  given with a TokenBucket. RateLimitExceeded is a RateLimitError.
- A rejected call changes no state.

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
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class RateLimitError(Exception):
    """Base class of the module's domain errors."""


class RateLimitExceeded(RateLimitError):
    """A call refused by a @rate_limited function; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucket:
    """Holds up to `capacity` tokens, refilled continuously; each request spends `cost` of them."""

    def __init__(self, capacity: float, refill_per_second: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """A full bucket. capacity and refill_per_second: finite numbers > 0 (TypeError /
        ValueError); clock: a callable returning seconds (TypeError otherwise)."""
        raise NotImplementedError

    def allow(self, cost: float = 1) -> bool:
        """Spend `cost` tokens and return True, or return False and spend nothing.

        cost: a finite number > 0 and <= capacity (TypeError / ValueError).
        """
        raise NotImplementedError

    def retry_after(self, cost: float = 1) -> float:
        """Seconds until allow(cost) would succeed: 0.0 when it would now. Spends nothing."""
        raise NotImplementedError


class SlidingWindowLimiter:
    """At most `limit` allowed requests per key in any `window_seconds`-long interval."""

    def __init__(self, limit: int, window_seconds: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """limit: an int >= 1; window_seconds: a finite number > 0; clock: a callable returning
        seconds. TypeError for a wrong type, ValueError for a bad value."""
        raise NotImplementedError

    def allow(self, key: Hashable) -> bool:
        """Record a request for `key` and return True, or return False (refusals are not counted).

        TypeError for an unhashable key.
        """
        raise NotImplementedError

    def retry_after(self, key: Hashable) -> float:
        """Seconds until allow(key) would succeed: 0.0 when it would now. Records nothing."""
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
