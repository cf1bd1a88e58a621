"""Each change overwrites the key's saved old value, so rollback restores an intermediate value."""

CAUGHT_BY = ["test_a_key_changed_many_times_rolls_back_to_its_value_before_begin"]

REPLACE = [
    ("if self._undo and key not in self._undo[-1]:", "if self._undo:"),
]
