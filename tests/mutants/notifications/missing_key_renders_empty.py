"""A key with no value in the data renders as an empty string instead of raising TemplateError."""

CAUGHT_BY = ["test_missing_keys_are_all_named_in_one_template_error"]

REPLACE = [
    ('''        if value is _MISSING:
            missing[".".join(segment)] = None
        else:
            parts.append(str(value))''',
     '''        parts.append("" if value is _MISSING else str(value))'''),
]
