"""Ranges take bool for a number, so True passes {"$gte": 0} and True is accepted as a bound."""

CAUGHT_BY = ["test_a_range_never_matches_other_kinds_or_missing_fields"]

REPLACE = [
    ('    if isinstance(value, (int, float)) and not isinstance(value, bool):\n        return "number"',
     '    if isinstance(value, (int, float)):\n        return "number"'),
]
