"""Each change overwrites the key's saved old value, so rollback restores an intermediate value."""

REPLACE = [
    ("if self._undo and key not in self._undo[-1]:", "if self._undo:"),
]
