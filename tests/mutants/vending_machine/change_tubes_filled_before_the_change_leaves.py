"""The coins of a sale fill the tubes (surplus to the cash box) before the change leaves: the
tubes end up short of coins the cash box took."""

CAUGHT_BY = ["test_change_is_paid_before_the_coins_left_over_fill_the_tubes"]

REPLACE = [
    ("            self._fill(available - Counter(change))\n",
     "            self._fill(available)\n            self._float -= Counter(change)\n"),
]
