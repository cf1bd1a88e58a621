"""Quiet hours include their end hour: 22-7 still defers at 07:00."""

CAUGHT_BY = ["test_change_release_deferred_delivers_once_the_quiet_hours_are_over"]

REPLACE = [
    ("return start <= hour < end if start <= end else (hour >= start or hour < end)",
     "return start <= hour <= end if start <= end else (hour >= start or hour <= end)"),
]
