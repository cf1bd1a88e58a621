"""A fill trades at the incoming order's limit instead of the resting order's price."""

CAUGHT_BY = ["test_a_crossing_buy_trades_at_the_resting_orders_price"]

REPLACE = [
    ("buy.order_id, sell.order_id, best, quantity)",
     "buy.order_id, sell.order_id, order.price or best, quantity)"),
]
