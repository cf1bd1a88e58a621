"""PercentSplit deals the leftover cents to the first users even when their percent is 0."""

CAUGHT_BY = ["test_percent_split_leftover_cents_skip_users_with_zero_percent"]

REPLACE = [
    ("for user in [user for user, percent in exact.items() if percent][:leftover]:",
     "for user in list(exact)[:leftover]:"),
]
