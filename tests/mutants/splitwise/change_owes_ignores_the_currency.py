"""owes answers from the ledger's currency whatever currency it is asked about."""

CAUGHT_BY = ["test_change_owes_never_offsets_one_currency_against_another"]

REPLACE = [
    ("return max(0, self._pairs.get((currency, debtor, creditor), 0))",
     "return max(0, self._pairs.get((self._currency, debtor, creditor), 0))"),
]
