"""After a limit was lowered, retry_after() waits only for the oldest request to leave, though
fewer than the new limit are left only once several have."""

CAUGHT_BY = ["test_lowering_a_class_limit_keeps_the_requests_already_in_the_window"]

REPLACE = [
    ("leaving = log[len(log) - limit]", "leaving = log[0]"),
]
