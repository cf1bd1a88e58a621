"""`key in cache` is written with get(), so merely checking a key marks it most recently used."""

CAUGHT_BY = ["test_contains_does_not_change_recency"]

REPLACE = [
    ("        _check_key(key)\n"
     "        with self._locked():\n"
     "            return key in self._entries\n",
     "        missing = object()\n        return self.get(key, missing) is not missing\n"),
]
