"""delete() removes the document but leaves its id behind in the indexes."""

REPLACE = [
    ('self._index_remove(doc["_id"], doc)\n                del self._documents[doc["_id"]]',
     'del self._documents[doc["_id"]]'),
]
