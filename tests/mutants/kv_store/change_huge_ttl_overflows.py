"""A ttl too large for a float (10**400) escapes as OverflowError instead of ValueError."""

CAUGHT_BY = ["test_change_a_ttl_must_be_a_positive_finite_number"]

REPLACE = [
    ("    try:\n"
     "        seconds = float(ttl)\n"
     "    except OverflowError:  # an int beyond float range is no more finite than inf\n"
     "        seconds = math.inf\n",
     "    seconds = float(ttl)\n"),
]
