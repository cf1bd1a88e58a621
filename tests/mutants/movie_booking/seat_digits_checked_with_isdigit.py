"""Seat numbers are checked with str.isdigit, which takes non-ASCII digits such as "١"."""

CAUGHT_BY = ["test_a_name_that_is_not_a_letter_and_a_plain_number_names_no_seat"]

REPLACE = [
    ("_DIGITS.issuperset(digits)",
     "digits.isdigit()"),
]
