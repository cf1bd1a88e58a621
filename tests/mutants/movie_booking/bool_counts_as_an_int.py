"""True and False pass as ints: add_show('t', True, 12) makes a show of one row."""

CAUGHT_BY = ["test_add_show_rejects_bad_arguments"]

REPLACE = [
    ("    if isinstance(value, bool) or not isinstance(value, int):\n"
     '        raise TypeError(f"{what} must be an int',
     "    if not isinstance(value, int):\n"
     '        raise TypeError(f"{what} must be an int'),
]
