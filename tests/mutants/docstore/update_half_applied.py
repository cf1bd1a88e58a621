"""update() validates each change as it applies it, so a bad value leaves earlier changes behind."""

CAUGHT_BY = ["test_a_rejected_update_changes_nothing_anywhere"]

REPLACE = [
    ('        changes = _clean_dict(changes, "changes")\n', ''),
    ('doc.update(_copy(changes))',
     'for key, value in changes.items():\n'
     '                    doc[key] = _clean(value, "changes")'),
]
