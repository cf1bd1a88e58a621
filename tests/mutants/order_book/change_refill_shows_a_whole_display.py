"""A refill always shows a whole display, even when less than that is hidden."""

CAUGHT_BY = ["test_change_an_incoming_iceberg_trades_in_full_then_rests_its_display",
             "test_change_each_refill_of_an_iceberg_is_its_own_trade"]

REPLACE = [
    ("            min(self.display, self.unfilled)\n", "            self.display\n"),
]
