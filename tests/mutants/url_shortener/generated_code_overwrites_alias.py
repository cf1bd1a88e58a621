"""New codes are checked only against generated codes: one can land on an alias, replacing it."""

CAUGHT_BY = ["test_a_generated_code_never_takes_an_existing_alias"]

REPLACE = [
    ("            if code not in self._links:\n",
     "            if code not in self._generated.values():\n"),
]
