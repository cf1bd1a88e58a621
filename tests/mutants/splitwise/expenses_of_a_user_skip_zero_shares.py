"""expenses(user_id) leaves out expenses where the user is named with a share of 0."""

CAUGHT_BY = ["test_expenses_include_users_named_with_a_zero_share"]

REPLACE = [
    ("user_id == expense.paid_by or user_id in expense.shares]",
     "user_id == expense.paid_by or expense.shares.get(user_id)]"),
]
