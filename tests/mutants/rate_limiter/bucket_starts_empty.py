"""A new bucket starts with no tokens, so the first burst is refused."""

REPLACE = [
    ("self._tokens = float(self._capacity)", "self._tokens = 0.0"),
]
