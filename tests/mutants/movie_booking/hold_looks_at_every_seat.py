"""hold lists every free seat of the show to check its seats: O(rows x seats) per hold."""

CAUGHT_BY = ["test_hold_and_confirm_cost_does_not_grow_with_the_hall"]

REPLACE = [
    ("taken = [seat for seat in wanted if seat in show.taken]",
     'free = {f"{letter}{number}" for letter in string.ascii_uppercase[:show.rows]\n'
     "                    for number in range(1, show.seats_per_row + 1)} - show.taken\n"
     "            taken = [seat for seat in wanted if seat not in free]"),
]
