"""The capacity check is off by one: the cache holds capacity + 1 entries before it evicts."""

CAUGHT_BY = ["test_putting_beyond_capacity_evicts_the_least_recently_used"]

REPLACE = [
    ("if len(self._entries) >= self._capacity:", "if len(self._entries) > self._capacity:"),
]
