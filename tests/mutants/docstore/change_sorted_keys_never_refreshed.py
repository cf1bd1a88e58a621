"""The index keeps its first sorted keys forever, so a range misses values inserted later."""

CAUGHT_BY = ["test_an_indexed_range_follows_inserts_updates_and_deletes"]

REPLACE = [
    ('                self.buckets[key] = set()\n                self._sorted.clear()\n',
     '                self.buckets[key] = set()\n'),
]
