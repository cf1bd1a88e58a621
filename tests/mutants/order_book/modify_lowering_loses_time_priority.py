"""Any change of quantity moves the order to the back of its level, a lowering included."""

CAUGHT_BY = ["test_modify_lowering_the_quantity_keeps_time_priority"]

REPLACE = [
    ("        if quantity > order.quantity:\n", "        if quantity != order.quantity:\n"),
]
