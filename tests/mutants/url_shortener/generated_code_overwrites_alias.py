"""New codes are checked only against generated codes: one can land on an alias, replacing it."""

REPLACE = [
    ("            if code not in self._links:\n",
     "            if code not in self._generated.values():\n"),
]
