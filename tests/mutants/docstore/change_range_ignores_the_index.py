"""Only equality uses an index: a range on an indexed field still scans every document."""

CAUGHT_BY = ["test_a_range_on_an_indexed_field_is_at_least_20x_faster_than_on_an_unindexed_one"]

REPLACE = [
    ('                    if path in self._indexes]',
     '                    if path in self._indexes and not isinstance(wanted, _Range)]'),
]
