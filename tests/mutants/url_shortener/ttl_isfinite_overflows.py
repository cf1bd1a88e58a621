"""math.isfinite on an int beyond any float (ttl=10**400) raises OverflowError, not ValueError."""

CAUGHT_BY = ["test_a_ttl_must_be_positive_finite_seconds"]

REPLACE = [
    ("    try:\n"
     "        return math.isfinite(value)\n"
     "    except OverflowError:  # an int beyond any float, such as 10**400\n"
     "        return False\n",
     "    return math.isfinite(value)\n"),
]
