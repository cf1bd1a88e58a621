"""Characters are checked after urlsplit, which already dropped a leading space or a newline."""

REPLACE = [
    ("    _reject_unsafe_characters(url)\n",
     "    _reject_unsafe_characters(urlsplit(url).geturl())\n"),
]
