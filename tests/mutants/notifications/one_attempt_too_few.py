"""The retry loop stops one call short of max_attempts."""

CAUGHT_BY = ["test_a_channel_failing_twice_then_succeeding_is_sent_after_three_attempts"]

REPLACE = [
    ("for attempt in range(1, self._max_attempts + 1):",
     "for attempt in range(1, self._max_attempts):"),
]
