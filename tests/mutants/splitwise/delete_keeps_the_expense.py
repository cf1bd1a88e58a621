"""delete_expense undoes the expense but keeps it, so it can be deleted (and undone) again."""

CAUGHT_BY = ["test_a_deleted_expense_cannot_be_deleted_again",
             "test_delete_expense_undoes_it_exactly"]

REPLACE = [
    ("expense, group = self._expenses.pop(expense_id)",
     "expense, group = self._expenses[expense_id]"),
]
