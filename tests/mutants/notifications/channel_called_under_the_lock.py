"""The channel runs while the service's lock is held: a channel that calls log() deadlocks."""

CAUGHT_BY = ["test_a_channel_may_call_the_service_from_inside_its_send"]

REPLACE = [
    ('''        if status is None:
            status, attempts, error = self._attempt(self._channels[slot[1]], message)''',
     '''        if status is None:
            with self._lock:
                status, attempts, error = self._attempt(self._channels[slot[1]], message)'''),
]
