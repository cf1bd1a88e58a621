"""A range tests every key of the index instead of bisecting sorted keys: O(n) per query."""

CAUGHT_BY = ["test_a_range_on_an_indexed_field_is_at_least_20x_faster_than_on_an_unindexed_one"]

REPLACE = [
    ('        keys = self._sorted_keys(wanted.kind)\n',
     '        return set().union(*(ids for key, ids in self.buckets.items() if wanted.holds(key)))\n'
     '        keys = self._sorted_keys(wanted.kind)\n'),
]
