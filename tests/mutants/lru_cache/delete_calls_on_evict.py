"""delete() goes through the eviction path, so on_evict hears about entries the caller removed."""

CAUGHT_BY = ["test_on_evict_is_not_called_for_delete_or_for_an_updated_value"]

REPLACE = [
    ("        with self._locked():\n"
     "            if key not in self._entries:\n"
     "                return False\n"
     "            self._remove(key)\n",
     "        with self._locked() as evicted:\n"
     "            if key not in self._entries:\n"
     "                return False\n"
     "            self._evict(key, evicted)\n"),
]
