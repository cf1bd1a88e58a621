"""hold claims each free seat as it checks it, so a refused hold leaves the free ones held."""

CAUGHT_BY = ["test_a_hold_is_all_or_nothing"]

REPLACE = [
    ("taken = [seat for seat in wanted if seat in show.taken]",
     "taken = [seat for seat in wanted if seat in show.taken or show.taken.add(seat)]"),
]
