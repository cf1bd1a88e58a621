"""Quiet hours that wrap past midnight (22-7) test hour >= 22 AND hour < 7: never quiet."""

CAUGHT_BY = ["test_change_a_send_in_quiet_hours_is_deferred_and_calls_no_channel"]

REPLACE = [
    ("(hour >= start or hour < end)", "(hour >= start and hour < end)"),
]
