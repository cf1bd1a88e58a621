"""log() without filters hands out the service's own list, so a caller can rewrite history."""

REPLACE = [
    ('''        with self._lock:
            return [delivery for delivery in self._log''',
     '''        with self._lock:
            if user_id is None and channel is None and status is None:
                return self._log
            return [delivery for delivery in self._log'''),
]
