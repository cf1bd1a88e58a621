"""Validation recurses without a depth limit, so a deeply nested document overflows the stack."""

CAUGHT_BY = ["test_nesting_deeper_than_100_levels_is_rejected_before_anything_changes"]

REPLACE = [
    ('    if isinstance(value, (list, dict)) and depth > _MAX_DEPTH:\n'
     '        raise ValueError(f"{what} nests lists and dicts deeper than {_MAX_DEPTH} levels")\n',
     ''),
]
