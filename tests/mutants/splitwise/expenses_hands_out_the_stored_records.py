"""expenses() returns the stored records, so a caller editing shares corrupts the ledger."""

CAUGHT_BY = ["test_expenses_returns_new_records_each_call"]

REPLACE = [
    ("return [replace(expense, shares=dict(expense.shares))", "return [expense"),
]
