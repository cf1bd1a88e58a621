"""insert() stores the caller's dict without copying it (and writes the generated _id into it)."""

CAUGHT_BY = ["test_insert_stores_a_copy_and_leaves_the_callers_dict_alone"]

REPLACE = [
    ('stored = _clean_dict(document, "document")',
     '_clean_dict(document, "document")\n        stored = document'),
]
