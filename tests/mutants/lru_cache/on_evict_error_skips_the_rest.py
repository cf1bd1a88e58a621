"""One try around all the callbacks: the first on_evict that raises silences the evictions after
it, and those entries are gone without a word."""

CAUGHT_BY = ["test_every_eviction_is_reported_even_after_on_evict_raised"]

REPLACE = [
    ("        for key, value in evicted:\n"
     "            try:\n"
     "                self._on_evict(key, value)\n"
     "            except Exception:\n"
     "                _logger.exception(\"on_evict raised for key %r\", key)\n",
     "        try:\n"
     "            for key, value in evicted:\n"
     "                self._on_evict(key, value)\n"
     "        except Exception:\n"
     "            _logger.exception(\"on_evict raised for key %r\", key)\n"),
]
