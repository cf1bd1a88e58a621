"""A group expense or payment counts in the global balances but never in the group's own."""

CAUGHT_BY = ["test_group_balances_count_only_the_groups_own_records"]

REPLACE = [
    ("books = [None] if group is None else [None, group]", "books = [None]"),
]
