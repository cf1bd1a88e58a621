"""confirm books the seats but keeps the live hold, so its deadline later frees the booked seats."""

CAUGHT_BY = ["test_a_hold_confirmed_in_time_stays_booked_after_its_deadline"]

REPLACE = [
    ("            del self._holds[hold_id]\n"
     "            booking_id =",
     "            booking_id ="),
]
