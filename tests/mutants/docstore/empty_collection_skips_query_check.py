"""An empty collection answers before the query is checked, so a malformed query passes there."""

CAUGHT_BY = ["test_bad_queries_are_rejected_even_on_an_empty_collection"]

REPLACE = [
    ('        query = _check_query(query)\n        matches = self._candidates(query)\n',
     '        if not self._documents:\n            return []\n'
     '        query = _check_query(query)\n        matches = self._candidates(query)\n'),
]
