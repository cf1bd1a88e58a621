"""The undo log keeps a key's old value but not its deadline, so rollback makes it permanent."""

CAUGHT_BY = ["test_change_rollback_restores_the_value_and_the_deadline"]

REPLACE = [
    ("            self._undo[-1][key] = self._data.get(key)",
     "            old = self._data.get(key)\n"
     "            self._undo[-1][key] = None if old is None else (old[0], None)"),
]
