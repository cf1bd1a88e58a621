"""rollback() unwinds every open transaction instead of only the innermost one."""

REPLACE = [
    ("            for key, old in self._undo.pop().items():\n"
     "                self._write(key, old)",
     "            while self._undo:\n"
     "                for key, old in self._undo.pop().items():\n"
     "                    self._write(key, old)"),
]
