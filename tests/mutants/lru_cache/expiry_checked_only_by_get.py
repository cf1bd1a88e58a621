"""Expired entries are dropped only when get() runs, so `in`, len and keys() still show them."""

CAUGHT_BY = ["test_expired_entries_are_absent_from_contains_len_and_keys"]

REPLACE = [
    ("                self._drop_expired(evicted)\n                yield evicted\n",
     "                yield evicted\n"),
    ("        with self._locked():\n"
     "            entry = self._entries.get(key)\n",
     "        with self._locked() as evicted:\n"
     "            self._drop_expired(evicted)\n"
     "            entry = self._entries.get(key)\n"),
]
