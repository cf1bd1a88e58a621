"""True is taken for the int 1: move(True, 0) plays at (1, 0)."""

CAUGHT_BY = ["test_coordinates_must_be_ints"]

REPLACE = [
    ("    if isinstance(value, bool) or not isinstance(value, int):\n        raise TypeError(f\"{name} must be an int",
     "    if not isinstance(value, int):\n        raise TypeError(f\"{name} must be an int"),
]
