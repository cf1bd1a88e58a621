"""depth() shows an iceberg's hidden quantity as well as its visible part."""

CAUGHT_BY = ["test_change_an_iceberg_rests_showing_only_its_display"]

REPLACE = [
    ("return [(price, book.levels[price].visible) for price in prices]",
     "return [(price, book.levels[price].quantity) for price in prices]"),
]
