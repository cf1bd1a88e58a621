"""balance() adds up what every other user owes this one: right, but O(pairs) per call."""

CAUGHT_BY = ["test_balance_and_owes_cost_does_not_grow_with_the_history"]

REPLACE = [
    ("            return self._nets.get((None, currency, user_id), 0)",
     "            return sum(owed for (cur, _, creditor), owed in self._pairs.items()\n"
     "                       if cur == currency and creditor == user_id)"),
]
