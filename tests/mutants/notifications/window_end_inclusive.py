"""A send still counts towards the rate limit at exactly t + per_seconds: one tick too long."""

CAUGHT_BY = ["test_rate_limit_blocks_extra_deliveries_until_the_window_passes"]

REPLACE = [
    ("key=lambda t: now - t < per_seconds)", "key=lambda t: now - t <= per_seconds)"),
]
