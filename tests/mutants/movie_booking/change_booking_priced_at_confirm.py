"""confirm prices the booking at the prices of the moment, not those of the hold."""

CAUGHT_BY = ["test_change_a_price_set_after_a_hold_changes_neither_the_hold_nor_its_booking"]

REPLACE = [
    ("hold.seats, hold.total_cents)",
     "hold.seats, self._shows[hold.show_id].price(hold.seats))"),
]
