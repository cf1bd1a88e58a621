"""Only FOK is treated as immediate: an IOC limit order's remainder rests in the book."""

CAUGHT_BY = ["test_ioc_fills_what_crosses_and_cancels_the_rest"]

REPLACE = [
    ('if order.unfilled and tif == "GTC" and price is not None:',
     'if order.unfilled and tif != "FOK" and price is not None:'),
]
