"""Within a price level the latest order trades first: a stack, not a queue."""

CAUGHT_BY = ["test_a_buy_takes_the_lowest_ask_first_then_the_earliest_order_at_that_price"]

REPLACE = [
    ("resting = next(iter(book.levels[best].orders.values()))",
     "resting = next(reversed(book.levels[best].orders.values()))"),
]
