"""Stocking a slot again forgets what it sold: the totals start over at the new price."""

CAUGHT_BY = ["test_sales_keep_their_totals_when_a_slot_is_stocked_again"]

REPLACE = [
    ("            self._slots[slot] = item\n",
     "            self._slots[slot] = item\n            self._sales.pop(slot, None)\n"),
]
