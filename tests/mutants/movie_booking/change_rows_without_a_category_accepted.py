"""add_show does not check that every row has a category: the rows left out become "standard"."""

CAUGHT_BY = ["test_change_every_row_must_be_in_exactly_one_category"]

REPLACE = [
    ("    missing = [string.ascii_uppercase[row] for row in range(rows) if row not in owner]\n"
     "    if missing:\n"
     '        raise ValueError(f"rows {\', \'.join(missing)} are in no category")\n'
     "    return [owner[row] for row in range(rows)]",
     "    return [owner.get(row, _DEFAULT_CATEGORY) for row in range(rows)]"),
]
