"""find() hands out the stored documents themselves, so a caller's edit changes the store."""

CAUGHT_BY = ["test_find_returns_copies_not_live_documents"]

REPLACE = [
    ('return [_copy(doc) for doc in self._matches(query)]',
     'return self._matches(query)'),
]
