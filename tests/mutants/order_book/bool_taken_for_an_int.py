"""The int check forgets that bool is an int subclass: True is accepted as a quantity of 1."""

CAUGHT_BY = ["test_a_bad_submit_is_refused_and_uses_no_order_id"]

REPLACE = [
    ("if isinstance(value, bool) or not isinstance(value, int):",
     "if not isinstance(value, int):"),
]
