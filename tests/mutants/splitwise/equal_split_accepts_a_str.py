"""EqualSplit takes a str as a sequence of ids: EqualSplit("bob") splits among "b", "o", "b"."""

CAUGHT_BY = ["test_an_equal_split_needs_a_list_or_tuple_of_distinct_str_ids"]

REPLACE = [
    ('_check_user_ids(split.users, (list, tuple), "EqualSplit users")',
     '_check_user_ids(split.users, (list, tuple, str), "EqualSplit users")'),
]
