"""An incoming order takes an iceberg's visible and hidden parts in one fill."""

CAUGHT_BY = ["test_change_each_refill_of_an_iceberg_is_its_own_trade"]

REPLACE = [
    ("quantity = min(order.unfilled, resting.visible)",
     "quantity = min(order.unfilled, resting.unfilled)"),
]
