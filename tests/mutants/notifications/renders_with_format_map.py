"""Rendering turns {{ key }} into {key} and calls str.format_map: templates can read attributes."""

REPLACE = [
    ('''    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
            continue
        value = _lookup(data, segment)
        if value is _MISSING:
            key = ".".join(segment)
            if key not in missing:
                missing.append(key)
        else:
            parts.append(str(value))
    return "".join(parts)''',
     '''    text = "".join(segment if isinstance(segment, str) else "{" + ".".join(segment) + "}"
                   for segment in segments)
    return text.format_map(data)'''),
]
