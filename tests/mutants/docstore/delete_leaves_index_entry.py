"""delete() removes the document but leaves its id behind in the indexes."""

CAUGHT_BY = ["test_index_follows_inserts_updates_and_deletes"]

REPLACE = [
    ('                for index in self._indexes.values():\n'
     '                    index.remove(doc)\n'
     '                del self._documents[doc["_id"]]',
     '                del self._documents[doc["_id"]]'),
]
