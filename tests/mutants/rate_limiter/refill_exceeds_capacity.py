"""Refill adds tokens for all the idle time without capping at the capacity, so a long pause buys a huge burst."""

REPLACE = [
    ("self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)",
     "self._tokens = self._tokens + (now - self._updated) * self._rate"),
]
