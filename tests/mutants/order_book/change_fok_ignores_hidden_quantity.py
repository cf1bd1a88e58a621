"""FOK counts only the visible parts: an iceberg's hidden quantity looks unavailable."""

CAUGHT_BY = ["test_change_hidden_quantity_counts_for_fok_and_market_orders"]

REPLACE = [
    ("available = itertools.accumulate(book.levels[p].quantity for p in crossing)",
     "available = itertools.accumulate(book.levels[p].visible for p in crossing)"),
]
