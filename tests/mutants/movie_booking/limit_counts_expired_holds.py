"""Expiry frees the seats but leaves them on the user's count, so expired holds still use up the
limit."""

CAUGHT_BY = ["test_released_expired_and_cancelled_seats_leave_the_limit"]

REPLACE = [
    ("                self._expired.add(hold_id)\n"
     "                self._free(hold)",
     "                self._expired.add(hold_id)\n"
     "                self._shows[hold.show_id].taken.difference_update(hold.seats)"),
]
