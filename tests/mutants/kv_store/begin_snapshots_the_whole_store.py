"""begin() saves a copy of the whole store, so every transaction costs memory and time O(n)."""

REPLACE = [
    ("self._undo.append({})", "self._undo.append(dict(self._data))"),
]
