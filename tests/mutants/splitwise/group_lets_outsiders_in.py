"""A group expense or payment never checks that its users are members of the group."""

CAUGHT_BY = ["test_a_group_expense_needs_members_only", "test_a_group_payment_needs_two_members"]

REPLACE = [
    ("outsider = next((user for user in users if user not in self._groups[name]), None)",
     "outsider = None"),
]
