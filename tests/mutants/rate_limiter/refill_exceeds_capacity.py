"""Refill adds tokens for all the idle time without capping at the capacity, so a long pause buys
a huge burst."""

CAUGHT_BY = ["test_refill_never_exceeds_the_capacity_however_long_the_bucket_idles"]

REPLACE = [
    ("return min(self._capacity, self._tokens + (now - self._updated) * self._rate)",
     "return self._tokens + (now - self._updated) * self._rate"),
]
