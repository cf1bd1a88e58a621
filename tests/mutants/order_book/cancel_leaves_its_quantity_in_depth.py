"""cancel() takes the order out of its level but not its quantity out of the level's total."""

CAUGHT_BY = ["test_cancel_takes_a_resting_order_out_and_says_whether_it_was_resting"]

REPLACE = [
    ("        level.quantity -= order.unfilled\n        level.visible -= order.visible\n",
     "        level.quantity -= order.unfilled\n"),
]
