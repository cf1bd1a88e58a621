"""available() sorts seat names as text, so A10 comes before A2."""

CAUGHT_BY = ["test_a_new_show_has_every_seat_available_by_row_then_number"]

REPLACE = [
    ("            return [seat for letter in string.ascii_uppercase[:show.rows]\n"
     "                    for number in range(1, show.seats_per_row + 1)\n"
     '                    if (seat := f"{letter}{number}") not in show.taken]',
     "            return sorted(seat for letter in string.ascii_uppercase[:show.rows]\n"
     "                          for number in range(1, show.seats_per_row + 1)\n"
     '                          if (seat := f"{letter}{number}") not in show.taken)'),
]
