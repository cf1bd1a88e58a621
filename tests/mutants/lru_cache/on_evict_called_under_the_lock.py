"""on_evict is called while the lock is held, so a slow callback stalls every other thread."""

REPLACE = [
    ("            yield evicted\n"
     "        if self._on_evict is not None:\n"
     "            for key, value in evicted:\n"
     "                self._on_evict(key, value)\n",
     "            yield evicted\n"
     "            if self._on_evict is not None:\n"
     "                for key, value in evicted:\n"
     "                    self._on_evict(key, value)\n"),
]
