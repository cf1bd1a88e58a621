"""Among entries with the same use count, LFU evicts the most recently used one."""

CAUGHT_BY = ["test_policy_lfu_breaks_ties_by_least_recent_use"]

REPLACE = [
    ("return next(iter(self._buckets[self._least]))",
     "return next(reversed(self._buckets[self._least]))"),
]
