"""ttl=10**400 is converted with float() unguarded: put raises OverflowError instead of storing an
entry that never expires."""

CAUGHT_BY = ["test_an_infinite_or_huge_ttl_never_expires"]

REPLACE = [
    ("    try:\n"
     "        return float(ttl)\n"
     "    except OverflowError:  # an int beyond 1.8e308 seconds\n"
     "        return math.inf\n",
     "    return float(ttl)\n"),
]
