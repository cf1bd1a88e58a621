"""A full cache evicts from the wrong end of the recency order: the most recently used entry goes."""

CAUGHT_BY = ["test_putting_beyond_capacity_evicts_the_least_recently_used"]

REPLACE = [
    ("return next(iter(self._order))", "return next(reversed(self._order))"),
]
