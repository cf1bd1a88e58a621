"""Stocking a slot again adds to its count instead of setting it."""

CAUGHT_BY = ["test_stock_again_replaces_name_and_price_and_sets_the_count"]

REPLACE = [
    ("            self._slots[slot] = item\n",
     "            held = self._slots[slot][2] if slot in self._slots else 0\n"
     "            self._slots[slot] = (item[0], item[1], item[2] + held)\n"),
]
