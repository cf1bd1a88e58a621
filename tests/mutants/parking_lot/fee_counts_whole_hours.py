"""The fee counts whole hours instead of started ones: 3600.5 s is billed as 1 hour."""

CAUGHT_BY = ["test_the_fee_counts_every_started_hour_and_at_least_one"]

REPLACE = [
    ("    return max(1, math.ceil(seconds / 3600))", "    return max(1, math.floor(seconds / 3600))"),
]
