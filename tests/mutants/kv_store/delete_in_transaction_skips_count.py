"""delete() inside a transaction removes the key but does not update the count of its value."""

CAUGHT_BY = ["test_rollback_restores_counts"]

REPLACE = [
    ("            self._remember(key)\n            self._write(key, None)\n            return True",
     "            self._remember(key)\n"
     "            if self._undo:\n"
     "                del self._data[key]\n"
     "            else:\n"
     "                self._write(key, None)\n"
     "            return True"),
]
