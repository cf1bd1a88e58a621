"""Characters are checked after urlsplit, which already dropped a leading space or a newline."""

CAUGHT_BY = ["test_rejected_urls_raise_invalid_url_error_naming_url_and_rule"]

REPLACE = [
    ("    unsafe = _UNSAFE_CHARACTER.search(url)\n",
     "    unsafe = _UNSAFE_CHARACTER.search(urlsplit(url).geturl())\n"),
]
