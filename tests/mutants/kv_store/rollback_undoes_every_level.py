"""rollback() unwinds every open transaction instead of only the innermost one."""

CAUGHT_BY = ["test_nested_rollback_undoes_only_the_innermost_transaction"]

REPLACE = [
    ("            for key, old in self._undo.pop().items():\n"
     "                self._write(key, old)",
     "            while self._undo:\n"
     "                for key, old in self._undo.pop().items():\n"
     "                    self._write(key, old)"),
]
