"""update() validates each change as it applies it, so a bad value leaves earlier changes behind."""

REPLACE = [
    ('        changes = _clean_dict(changes, "changes")\n', ''),
    ('doc.update(_clean(changes, "changes"))',
     'for key, value in changes.items():\n'
     '                    doc[key] = _clean(value, f"changes.{key}")'),
]
