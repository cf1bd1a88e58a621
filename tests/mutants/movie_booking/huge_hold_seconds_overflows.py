"""hold_seconds=10**400 raises OverflowError instead of meaning forever."""

CAUGHT_BY = ["test_hold_seconds_may_be_a_fraction_or_forever"]

REPLACE = [
    ("    try:\n"
     "        return float(value)\n"
     "    except OverflowError:  # 10**400 seconds outlast any clock\n"
     "        return math.inf\n",
     "    return float(value)\n"),
]
