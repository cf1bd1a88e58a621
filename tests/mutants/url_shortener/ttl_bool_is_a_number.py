"""ttl is checked with isinstance(ttl, (int, float)) alone: True passes as a ttl of one second."""

CAUGHT_BY = ["test_a_ttl_must_be_positive_finite_seconds"]

REPLACE = [
    ("    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):\n",
     "    if not isinstance(ttl, (int, float)):\n"),
]
