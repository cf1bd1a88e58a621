"""A timeout of inf or 10**400 goes straight to the lock, which raises OverflowError."""

CAUGHT_BY = ["test_async_infinite_or_huge_timeouts_mean_no_limit"]

REPLACE = [
    ("return None if timeout >= threading.TIMEOUT_MAX else float(timeout)",
     "return float(timeout)"),
]
