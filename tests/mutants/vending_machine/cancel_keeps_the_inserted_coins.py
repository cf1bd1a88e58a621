"""cancel() zeroes the credit but keeps the list of inserted coins: a second cancel pays them out
again."""

CAUGHT_BY = ["test_cancel_returns_exactly_the_coins_inserted"]

REPLACE = [
    ("            returned = dict(self._inserted)\n            self._inserted.clear()\n",
     "            returned = dict(self._inserted)\n"),
]
