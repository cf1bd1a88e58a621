"""A booking's seats are sorted as text, so A10 comes before A2."""

CAUGHT_BY = ["test_booking_seats_are_sorted_by_row_then_number"]

REPLACE = [
    ("sorted(wanted, key=lambda seat: (seat[0], int(seat[1:])))",
     "sorted(wanted)"),
]
