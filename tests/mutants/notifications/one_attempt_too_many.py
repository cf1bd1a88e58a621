"""The retry loop calls a failing channel once more than max_attempts."""

CAUGHT_BY = ["test_a_channel_that_keeps_failing_is_logged_failed_and_the_others_still_deliver"]

REPLACE = [
    ("for attempt in range(1, self._max_attempts + 1):",
     "for attempt in range(self._max_attempts + 1):"),
]
