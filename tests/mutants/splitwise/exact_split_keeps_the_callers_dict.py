"""ExactSplit's dict is stored as given, so the caller changing it later changes the expense."""

CAUGHT_BY = ["test_the_callers_split_is_copied_on_the_way_in"]

REPLACE = [
    ("    return result\n", "    return shares\n"),
]
