"""retries is taken as the total number of attempts, so a task gets one call fewer than promised."""

REPLACE = [
    ("for _ in range(job.retries + 1):", "for _ in range(max(job.retries, 1)):"),
]
