"""hold_total prices the hold's seats now, so a later price change moves it."""

CAUGHT_BY = ["test_change_a_price_set_after_a_hold_changes_neither_the_hold_nor_its_booking"]

REPLACE = [
    ("            return self._live_hold(hold_id).total_cents",
     "            hold = self._live_hold(hold_id)\n"
     "            return self._shows[hold.show_id].price(hold.seats)"),
]
