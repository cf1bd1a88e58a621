"""The per-user limit is checked before availability, so LimitExceededError hides a taken seat."""

CAUGHT_BY = ["test_the_limit_is_checked_after_availability"]

REPLACE = [
    ("            taken = [seat for seat in wanted if seat in show.taken]\n",
     "            self._check_limit(show_id, user_id, len(wanted))\n"
     "            taken = [seat for seat in wanted if seat in show.taken]\n"),
]
