"""A full cache evicts from the wrong end of the list: the most recently used entry goes."""

REPLACE = [
    ("self._evict(self._root.next, evicted)", "self._evict(self._root.prev, evicted)"),
]
