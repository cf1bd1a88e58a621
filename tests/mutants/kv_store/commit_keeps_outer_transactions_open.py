"""commit() closes only the innermost transaction, so the outer ones stay open and can roll back."""

REPLACE = [
    ("self._undo.clear()", "self._undo.pop()"),
]
