"""commit() closes only the innermost transaction, so the outer ones stay open and can roll back."""

CAUGHT_BY = ["test_commit_keeps_every_change_and_closes_every_transaction"]

REPLACE = [
    ("self._undo.clear()", "self._undo.pop()"),
]
