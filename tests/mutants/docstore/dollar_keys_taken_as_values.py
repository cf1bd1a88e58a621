"""Only known operators make an operator dict, so {"$regex": ...} is compared as a plain value."""

CAUGHT_BY = ["test_dollar_keys_in_a_query_value_are_unknown_operators"]

REPLACE = [
    ('any(key.startswith("$") for key in wanted)', 'all(key in _OPERATORS for key in wanted)'),
]
