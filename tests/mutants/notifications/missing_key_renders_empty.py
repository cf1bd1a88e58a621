"""A key with no value in the data renders as an empty string instead of raising TemplateError."""

REPLACE = [
    ('''        if value is _MISSING:
            key = ".".join(segment)
            if key not in missing:
                missing.append(key)
        else:
            parts.append(str(value))''',
     '''        parts.append("" if value is _MISSING else str(value))'''),
]
