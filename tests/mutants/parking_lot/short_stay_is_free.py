"""A stay of 0 s is billed 0 hours: the card's minimum of one hour is missing."""

CAUGHT_BY = ["test_the_fee_counts_every_started_hour_and_at_least_one"]

REPLACE = [
    ("    return max(1, math.ceil(seconds / 3600))", "    return math.ceil(seconds / 3600)"),
]
