"""on_evict is called while the lock is held, so a slow callback stalls every other thread."""

CAUGHT_BY = ["test_a_slow_on_evict_callback_does_not_block_other_threads"]

REPLACE = [
    ("        try:\n"
     "            with self._lock:\n"
     "                self._drop_expired(evicted)\n"
     "                yield evicted\n"
     "        finally:\n"
     "            self._report(evicted)\n",
     "        with self._lock:\n"
     "            try:\n"
     "                self._drop_expired(evicted)\n"
     "                yield evicted\n"
     "            finally:\n"
     "                self._report(evicted)\n"),
]
