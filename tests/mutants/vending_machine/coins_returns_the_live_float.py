"""coins() hands out the machine's own Counter: a caller's edit changes the float."""

CAUGHT_BY = ["test_returned_dicts_are_new_and_never_change_the_machine"]

REPLACE = [
    ("return dict(self._float)", "return self._float"),
]
