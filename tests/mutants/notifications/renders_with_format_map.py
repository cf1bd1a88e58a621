"""Rendering turns {{ key }} into {key} and calls str.format_map: templates can read attributes."""

CAUGHT_BY = ["test_attributes_are_never_read_through_a_template"]

REPLACE = [
    ('''    parts = []
    for segment in segments:
        value = segment if isinstance(segment, str) else _lookup(data, segment)
        if value is _MISSING:
            missing[".".join(segment)] = None
        else:
            parts.append(str(value))
    return "".join(parts)''',
     '''    text = "".join(segment if isinstance(segment, str) else "{" + ".".join(segment) + "}"
                   for segment in segments)
    return text.format_map(data)'''),
]
