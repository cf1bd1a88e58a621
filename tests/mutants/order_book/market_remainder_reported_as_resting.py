"""A market order's dropped remainder is never marked cancelled: it reports partially_filled."""

CAUGHT_BY = ["test_a_market_order_sweeps_every_price_and_its_remainder_never_rests"]

REPLACE = [
    ("order.cancelled = order.unfilled > 0", "order.cancelled = False"),
]
