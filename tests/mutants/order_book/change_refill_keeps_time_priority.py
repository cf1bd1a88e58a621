"""A refilled iceberg keeps its place at the front of its level instead of going to the back."""

CAUGHT_BY = ["test_change_a_refilled_iceberg_goes_to_the_back_of_its_price_level"]

REPLACE = [
    ("            level.visible += order.visible\n"
     "            level.orders.move_to_end(order.order_id)\n",
     "            level.visible += order.visible\n"),
]
