"""An expense is stored without its group: deleting it leaves the group's balances unchanged."""

CAUGHT_BY = ["test_deleting_a_group_expense_undoes_it_in_the_group"]

REPLACE = [
    ("self._expenses[expense.expense_id] = (expense, group)",
     "self._expenses[expense.expense_id] = (expense, None)"),
]
