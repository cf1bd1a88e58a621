"""Index keys carry the Python type, so 1 and 1.0 land in different buckets and miss each other."""

CAUGHT_BY = ["test_index_never_conflates_true_with_one_or_splits_one_from_one_point_zero"]

REPLACE = [
    ('    return value  # None, a number or a str',
     '    return (type(value).__name__, value)  # None, a number or a str'),
]
