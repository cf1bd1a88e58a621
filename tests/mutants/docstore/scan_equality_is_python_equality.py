"""A scan compares with Python's ==, so True matches 1 and False matches 0."""

CAUGHT_BY = ["test_booleans_never_equal_numbers"]

REPLACE = [
    ('if (value := _lookup(doc, parts)) == wanted and _json_equal(value, wanted)]',
     'if _lookup(doc, parts) == wanted]'),
]
