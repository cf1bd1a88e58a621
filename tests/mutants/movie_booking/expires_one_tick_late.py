"""A hold is still live at exactly t + hold_seconds: expiry compares with < instead of <=."""

CAUGHT_BY = ["test_a_hold_expires_exactly_hold_seconds_after_it_was_made"]

REPLACE = [
    ("self._deadlines[0][0] <= now",
     "self._deadlines[0][0] < now"),
]
