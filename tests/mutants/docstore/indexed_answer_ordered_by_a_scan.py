"""Index answers are put in insertion order by walking every id, an O(n) step per indexed find."""

CAUGHT_BY = ["test_indexed_find_among_100k_documents_is_at_least_50x_faster_than_a_scan"]

REPLACE = [
    ('        ids = sorted(min(narrowed, key=len), key=self._positions.__getitem__)\n'
     '        return [self._documents[doc_id] for doc_id in ids]\n',
     '        ids = min(narrowed, key=len)\n'
     '        return [doc for doc_id, doc in self._documents.items() if doc_id in ids]\n'),
]
