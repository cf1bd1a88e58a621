"""insert() stores the caller's dict without copying it (and writes the generated _id into it)."""

REPLACE = [
    ('stored = _clean_dict(document, "document")',
     '_clean_dict(document, "document")\n        stored = document'),
]
