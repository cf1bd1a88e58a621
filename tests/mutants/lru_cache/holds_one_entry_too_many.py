"""The capacity check is off by one: the cache holds capacity + 1 entries before it evicts."""

REPLACE = [
    ("elif len(self._entries) >= self._capacity:", "elif len(self._entries) > self._capacity:"),
]
