"""FOK adds up the whole opposite side, priced within its limit or not."""

CAUGHT_BY = ["test_fok_counts_only_the_quantity_within_its_limit"]

REPLACE = [
    ("lambda p: book.crosses(p, order.price)", "lambda p: book.crosses(p, None)"),
]
