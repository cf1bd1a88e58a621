"""True passes as 1 cent: bool is an int subclass and the check forgets it."""

CAUGHT_BY = ["test_amounts_must_be_positive_int_cents"]

REPLACE = [
    ("    if isinstance(value, bool) or not isinstance(value, int):\n"
     "        raise TypeError(f\"{what} must be an int number of cents, got {value!r}\")",
     "    if not isinstance(value, int):\n"
     "        raise TypeError(f\"{what} must be an int number of cents, got {value!r}\")"),
]
