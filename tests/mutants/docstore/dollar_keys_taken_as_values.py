"""A query value with "$" keys is compared as a plain dict instead of rejected as an operator."""

CAUGHT_BY = ["test_dollar_keys_in_a_query_value_are_unknown_operators"]

REPLACE = [
    ('        if operators:\n            raise ValueError(f"unknown query operator {operators[0]!r} for '
     '{path!r}")\n', ''),
]
