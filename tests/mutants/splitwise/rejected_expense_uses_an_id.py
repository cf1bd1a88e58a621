"""add_expense takes its id before checking the users, so a rejected call uses one up."""

CAUGHT_BY = ["test_an_unknown_user_anywhere_raises_unknown_user_error",
             "test_rejected_calls_change_nothing_and_use_up_no_id"]

REPLACE = [
    ("            self._check_users(paid_by, *shares)\n",
     "            taken = next(self._ids)\n"
     "            self._check_users(paid_by, *shares)\n"),
    ("Expense(next(self._ids), paid_by,", "Expense(taken, paid_by,"),
]
