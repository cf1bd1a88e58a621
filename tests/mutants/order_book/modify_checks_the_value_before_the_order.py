"""modify() rejects quantity <= filled before it asks whether the order rests at all."""

CAUGHT_BY = ["test_modify_of_an_order_that_is_not_resting_is_false_before_its_value_is_checked"]

REPLACE = [
    ("            order = self._orders.get(order_id)\n"
     "            if order is None or not order.resting:\n"
     "                return False\n"
     "            if quantity <= order.filled:\n",
     "            order = self._orders.get(order_id)\n"
     "            if quantity <= (order.filled if order else 0):\n"
     "                raise ValueError(f'quantity must exceed what is filled, got {quantity}')\n"
     "            if order is None or not order.resting:\n"
     "                return False\n"
     "            if quantity <= order.filled:\n"),
]
