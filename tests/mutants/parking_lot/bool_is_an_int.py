"""True passes as an int: a count of True makes a spot, and leave(True) is ticket 1."""

CAUGHT_BY = ["test_levels_of_a_wrong_type_raise_type_error_naming_the_value",
             "test_a_ticket_id_that_is_not_an_int_raises_type_error"]

REPLACE = [
    ("    if isinstance(value, bool) or not isinstance(value, int):",
     "    if not isinstance(value, int):"),
]
