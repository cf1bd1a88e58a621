"""set() without a ttl keeps the key's old deadline, so an overwritten key still expires."""

CAUGHT_BY = ["test_change_every_set_replaces_the_deadline"]

REPLACE = [
    ("self._write(key, (value, None if seconds is None else now + seconds))",
     "self._write(key, (value, self._data.get(key, (value, None))[1] if seconds is None "
     "else now + seconds))"),
]
