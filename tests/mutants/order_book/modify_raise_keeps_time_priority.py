"""Raising a resting order's quantity keeps its place in the queue, ahead of earlier orders."""

CAUGHT_BY = ["test_modify_raising_the_quantity_moves_the_order_to_the_back_of_its_level"]

REPLACE = [
    ("        if quantity > order.quantity:\n            level.orders.move_to_end(order.order_id)\n",
     ""),
]
