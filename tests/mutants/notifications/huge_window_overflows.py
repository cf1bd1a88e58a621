"""The window's start is computed as clock() - per_seconds: a 10**400 s window overflows a float
in the middle of a send, after earlier channels have delivered."""

CAUGHT_BY = ["test_a_huge_rate_limit_window_never_ends_and_never_overflows"]

REPLACE = [
    ("first_counted = bisect.bisect_left(times, True, key=lambda t: now - t < per_seconds)",
     "first_counted = bisect.bisect_right(times, now - per_seconds)"),
]
