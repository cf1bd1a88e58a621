"""simplify adds up each user's balances in every currency, as if they were one money."""

CAUGHT_BY = ["test_change_simplify_settles_one_currency_at_a_time"]

REPLACE = [
    ("nets = {user: self._nets.get((group, currency, user), 0) for user in users}",
     "nets = {user: sum(net for (book, _, who), net in self._nets.items()\n"
     "                              if book == group and who == user) for user in users}"),
]
