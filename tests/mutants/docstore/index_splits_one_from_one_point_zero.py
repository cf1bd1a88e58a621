"""Values are keyed as Python compares them, so True is the same key as 1 (and False as 0)."""

REPLACE = [
    ('    if isinstance(value, bool):\n        return ("bool", value)\n', ''),
]
