"""put() evicts whenever the cache is full, even when it only updates a key already there."""

REPLACE = [
    ("            old = self._entries.get(key)\n"
     "            if old is not None:\n"
     "                self._remove(old)\n"
     "            elif len(self._entries) >= self._capacity:\n"
     "                self._evict(self._root.next, evicted)\n",
     "            if len(self._entries) >= self._capacity:\n"
     "                self._evict(self._root.next, evicted)\n"
     "            old = self._entries.get(key)\n"
     "            if old is not None:\n"
     "                self._remove(old)\n"),
]
