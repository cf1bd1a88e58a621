"""level_summary() returns the lot's own per-level dicts: a caller's edit changes the board."""

CAUGHT_BY = ["test_level_summary_is_a_new_list_of_new_dicts"]

REPLACE = [
    ("            return [dict(level) for level in self._level_free]",
     "            return list(self._level_free)"),
]
