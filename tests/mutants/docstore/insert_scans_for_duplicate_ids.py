"""insert() looks for a duplicate _id by scanning every document: O(n) per insert."""

CAUGHT_BY = ["test_insert_cost_does_not_grow_with_collection_size_or_indexes"]

REPLACE = [
    ('                if doc_id in self._documents:\n                    raise DuplicateIdError(',
     '                if any(doc["_id"] == doc_id for doc in self._documents.values()):\n'
     '                    raise DuplicateIdError('),
]
