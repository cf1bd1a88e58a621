"""The limiter keeps one log for everyone, so one key's requests use up every other key's quota."""

CAUGHT_BY = ["test_keys_are_limited_independently"]

REPLACE = [
    ("log = self._logs.get(key)", "log = self._logs.get(None)"),
    ("log = self._logs[key] = deque()", "log = self._logs[None] = deque()"),
    ("self._logs.move_to_end(key)", "self._logs.move_to_end(None)"),
]
