"""settle checks its currency but records the payment in the ledger's currency."""

CAUGHT_BY = ["test_change_settle_in_a_currency_moves_only_that_currency"]

REPLACE = [
    ("self._record(currency, group, [(to_user, from_user, amount)], 1)",
     "self._record(self._currency, group, [(to_user, from_user, amount)], 1)"),
]
