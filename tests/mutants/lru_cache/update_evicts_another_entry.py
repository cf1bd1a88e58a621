"""put() evicts whenever the cache is full, even when it only updates a key already there."""

CAUGHT_BY = ["test_updating_a_key_of_a_full_cache_evicts_nothing"]

REPLACE = [
    ("            if key in self._entries:\n"
     "                self._order.touch(key)\n"
     "            else:\n"
     "                if len(self._entries) >= self._capacity:\n"
     "                    self._evict(self._order.victim(), evicted)\n"
     "                self._order.add(key)\n",
     "            if len(self._entries) >= self._capacity:\n"
     "                self._evict(self._order.victim(), evicted)\n"
     "            if key in self._entries:\n"
     "                self._order.touch(key)\n"
     "            else:\n"
     "                self._order.add(key)\n"),
]
