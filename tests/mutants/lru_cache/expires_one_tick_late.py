"""Expiry compares with < instead of <=, so an entry is still served at exactly put time + ttl."""

REPLACE = [
    ("self._deadlines[0][0] <= now", "self._deadlines[0][0] < now"),
]
