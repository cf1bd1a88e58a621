"""Opt-out is checked after the channel was called: the log says "skipped" but the user got it."""

REPLACE = [
    ('''        if (recipient.user_id, channel.name) in self._opted_out:
            return "skipped", 0, None
        if self._rate_limited''',
     '''        if self._rate_limited'''),
    ('''            else:
                return "sent", attempt, None''',
     '''            else:
                if (recipient.user_id, channel.name) in self._opted_out:
                    return "skipped", 0, None
                return "sent", attempt, None'''),
]
