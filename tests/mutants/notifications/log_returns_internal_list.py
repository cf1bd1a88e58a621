"""log() without filters hands out the service's own list, so a caller can rewrite history."""

CAUGHT_BY = ["test_log_returns_the_callers_own_list_of_frozen_deliveries"]

REPLACE = [
    ('''        with self._lock:
            return [delivery for delivery in self._log''',
     '''        with self._lock:
            if user_id is None and channel is None and status is None:
                return self._log
            return [delivery for delivery in self._log'''),
]
