"""EqualSplit hands the remainder cents to the last users of the split instead of the first."""

CAUGHT_BY = ["test_equal_split_gives_the_remainder_cents_to_the_first_users"]

REPLACE = [
    ("return {user: share + 1 if i < remainder else share for i, user in enumerate(users)}",
     "return {user: share + 1 if i >= len(users) - remainder else share\n"
     "                for i, user in enumerate(users)}"),
]
