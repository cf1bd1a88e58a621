"""Without key=, @rate_limited uses one fixed key, so every decorated function shares a single window."""

REPLACE = [
    ("call_key = func if key is None else key(*args, **kwargs)",
     "call_key = None if key is None else key(*args, **kwargs)"),
]
