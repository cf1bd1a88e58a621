"""The retry loop stops one call short of max_attempts."""

REPLACE = [
    ("for attempt in range(1, self._max_attempts + 1):",
     "for attempt in range(1, self._max_attempts):"),
]
