"""An on_evict that raises makes put() raise after its change took effect."""

CAUGHT_BY = ["test_an_on_evict_that_raises_is_logged_and_the_put_still_succeeds"]

REPLACE = [
    ("            try:\n"
     "                self._on_evict(key, value)\n"
     "            except Exception:\n"
     "                _logger.exception(\"on_evict raised for key %r\", key)\n",
     "            self._on_evict(key, value)\n"),
]
