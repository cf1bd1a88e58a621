"""The alias is checked with str.isalnum(), which also accepts non-ASCII letters and digits."""

CAUGHT_BY = ["test_invalid_aliases_raise_invalid_alias_error"]

REPLACE = [
    ("    if not isinstance(alias, str) or not _ALIAS.fullmatch(alias):",
     "    if not isinstance(alias, str) or not (\n"
     "            3 <= len(alias) <= 32\n"
     "            and alias.replace(\"-\", \"\").replace(\"_\", \"\").isalnum()):"),
]
