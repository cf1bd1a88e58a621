"""The retry loop calls a failing channel once more than max_attempts."""

REPLACE = [
    ("for attempt in range(1, self._max_attempts + 1):",
     "for attempt in range(self._max_attempts + 1):"),
]
