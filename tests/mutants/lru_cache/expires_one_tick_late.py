"""Expiry compares with < instead of <=, so an entry is still served at exactly put time + ttl."""

CAUGHT_BY = ["test_an_entry_expires_exactly_ttl_seconds_after_its_put"]

REPLACE = [
    ("self._deadlines[0][0] <= now", "self._deadlines[0][0] < now"),
]
