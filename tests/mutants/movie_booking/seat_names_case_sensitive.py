"""Seat names are case-sensitive: "c12" is refused instead of meaning C12."""

CAUGHT_BY = ["test_seat_names_are_taken_in_either_case_and_returned_upper_case"]

REPLACE = [
    ("_ROW_OF.get(name[:1].upper())",
     "_ROW_OF.get(name[:1])"),
]
