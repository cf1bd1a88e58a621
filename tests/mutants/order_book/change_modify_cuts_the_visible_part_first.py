"""Lowering an iceberg's quantity takes the cut from its visible part, not its hidden part."""

CAUGHT_BY = ["test_change_cancel_and_modify_of_an_iceberg_change_the_hidden_part_first"]

REPLACE = [
    ("        order.quantity = quantity\n",
     "        cut = max(0, order.quantity - quantity)\n        order.quantity = quantity\n"),
    ("            min(order.visible, order.unfilled)\n",
     "            min(max(1, order.visible - cut), order.unfilled)\n"),
]
