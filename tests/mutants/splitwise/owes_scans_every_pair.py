"""owes() looks for its pair by scanning every recorded debt instead of one dict lookup."""

CAUGHT_BY = ["test_balance_and_owes_cost_does_not_grow_with_the_history"]

REPLACE = [
    ("return max(0, self._pairs.get((currency, debtor, creditor), 0))",
     "return max(0, sum(owed for key, owed in self._pairs.items()\n"
     "                              if key == (currency, debtor, creditor)))"),
]
