"""delete_expense takes an expense back in the ledger's currency, not in the expense's own."""

CAUGHT_BY = ["test_change_an_expense_keeps_its_currency_and_delete_undoes_it_there"]

REPLACE = [
    ("self._record(expense.currency, group, _debts(expense), -1)",
     "self._record(self._currency, group, _debts(expense), -1)"),
]
