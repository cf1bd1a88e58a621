"""An int too large for a float (10**400) reaches float() unguarded: OverflowError, not ValueError."""

CAUGHT_BY = ["test_bucket_rejects_a_bad_capacity_or_rate"]

REPLACE = [
    ("    try:\n"
     "        number = float(value)\n"
     "    except OverflowError:\n"
     "        number = math.inf\n",
     "    number = float(value)\n"),
]
