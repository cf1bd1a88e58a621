"""A seat number may start with 0, so "A0" is a seat and "A01" is A1."""

CAUGHT_BY = ["test_a_name_that_is_not_a_letter_and_a_plain_number_names_no_seat"]

REPLACE = [
    ("digits[:1] in _FIRST_DIGITS",
     "digits[:1] in _DIGITS"),
]
