"""confirm takes the seats off the user's count, so bookings never count towards the limit."""

CAUGHT_BY = ["test_the_limit_counts_a_users_live_holds_and_bookings_in_one_show"]

REPLACE = [
    ("            del self._holds[hold_id]\n"
     "            booking_id =",
     "            del self._holds[hold_id]\n"
     "            self._count(hold.show_id, hold.user_id, -len(hold.seats))\n"
     "            booking_id ="),
]
