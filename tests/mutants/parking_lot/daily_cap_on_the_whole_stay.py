"""The daily cap limits the whole stay instead of each day: 30 hours cost at most one cap."""

CAUGHT_BY = ["test_the_daily_cap_limits_each_whole_day_and_the_rest"]

REPLACE = [
    ("    days, rest = divmod(hours, 24)\n    return days * min(24 * rate, cap) + min(rest * rate, cap)",
     "    return min(hours * rate, cap)"),
]
