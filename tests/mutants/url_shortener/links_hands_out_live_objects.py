"""links() returns the stored Link objects themselves, so a caller can change the shortener."""

CAUGHT_BY = ["test_stats_and_links_return_copies_not_live_links"]

REPLACE = [
    ("            return [dataclasses.replace(self._links[code]) for code in codes]",
     "            return [self._links[code] for code in codes]"),
]
