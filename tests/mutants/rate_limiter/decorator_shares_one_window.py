"""Without key=, @rate_limited uses one fixed key, so every decorated function shares a single
window."""

CAUGHT_BY = ["test_rate_limited_without_a_key_gives_each_function_its_own_window"]

REPLACE = [
    ("call_key = func if key is None else key(*args, **kwargs)",
     "call_key = None if key is None else key(*args, **kwargs)"),
]
