"""retries is taken as the total number of attempts, so a task gets one call fewer than promised."""

CAUGHT_BY = ["test_failing_task_is_retried_in_the_same_call_then_marked_failed"]

REPLACE = [
    ("for _ in range(job.retries + 1):", "for _ in range(max(job.retries, 1)):"),
]
