"""collect() returns the cash box's coins but does not empty it: the next collect pays them out
again."""

CAUGHT_BY = ["test_change_collect_returns_the_cash_box_and_empties_it"]

REPLACE = [
    ("            taken = dict(self._cash_box)\n            self._cash_box.clear()\n",
     "            taken = dict(self._cash_box)\n"),
]
