"""Opt-out is checked after the channel was called: the log says "skipped" but the user got it."""

CAUGHT_BY = ["test_an_opted_out_channel_is_skipped_and_never_called"]

REPLACE = [
    ('''        if slot in self._opted_out:
            return "skipped"
        if not released''',
     '''        if not released'''),
    ('''            status, attempts, error = self._attempt(self._channels[slot[1]], message)
''',
     '''            status, attempts, error = self._attempt(self._channels[slot[1]], message)
            if slot in self._opted_out:
                status, attempts, error = "skipped", 0, None
'''),
]
