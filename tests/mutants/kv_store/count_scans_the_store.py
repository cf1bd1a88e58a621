"""count() counts the matching values one by one, so it costs O(n) in the size of the store."""

CAUGHT_BY = ["test_count_does_not_scan_the_store"]

REPLACE = [
    ("            return self._counts.get(value, 0)",
     "            return sum(1 for held, _ in self._data.values() if held == value)"),
]
