"""A key with no value in the data renders as an empty string instead of raising TemplateError."""

CAUGHT_BY = ["test_missing_keys_are_all_named_in_one_template_error"]

REPLACE = [
    ('''        if value is not _MISSING:
            parts.append(str(value))
        elif (key := ".".join(segment)) not in missing:
            missing.append(key)''',
     '''        parts.append("" if value is _MISSING else str(value))'''),
]
