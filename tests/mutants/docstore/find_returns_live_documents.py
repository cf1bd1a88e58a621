"""find() hands out the stored documents themselves, so a caller's edit changes the store."""

REPLACE = [
    ('return [_clean(doc, "document") for doc in self._matches(query)]',
     'return self._matches(query)'),
]
