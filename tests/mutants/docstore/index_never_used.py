"""Queries never consult the indexes, so an indexed find still scans every document."""

CAUGHT_BY = ["test_indexed_find_among_100k_documents_is_at_least_50x_faster_than_a_scan"]

REPLACE = [
    ('        narrowed = [self._indexes[path].ids(wanted) for path, wanted in query.items()\n'
     '                    if path in self._indexes]\n',
     '        narrowed = []\n'),
]
