"""delete() goes through the eviction path, so on_evict hears about entries the caller removed."""

REPLACE = [
    ("        with self._locked():\n"
     "            node = self._entries.get(key)\n"
     "            if node is None:\n"
     "                return False\n"
     "            self._remove(node)\n",
     "        with self._locked() as evicted:\n"
     "            node = self._entries.get(key)\n"
     "            if node is None:\n"
     "                return False\n"
     "            self._evict(node, evicted)\n"),
]
