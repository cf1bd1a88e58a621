"""A missing field reads as None, so {"v": None} matches documents without a "v"."""

CAUGHT_BY = ["test_a_missing_field_matches_nothing_not_even_none"]

REPLACE = [
    ('value = value.get(part, _MISSING)', 'value = value.get(part)'),
]
