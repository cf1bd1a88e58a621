"""owes() returns the signed net, negative when the creditor owes the debtor instead."""

CAUGHT_BY = ["test_owes_nets_the_two_users_dealings_in_both_directions"]

REPLACE = [
    ("return max(0, self._pairs.get((currency, debtor, creditor), 0))",
     "return self._pairs.get((currency, debtor, creditor), 0)"),
]
