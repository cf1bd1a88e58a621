"""trades() hands out the book's own list, so a caller's clear() erases the trade history."""

CAUGHT_BY = ["test_returned_trade_lists_are_copies"]

REPLACE = [
    ("            return list(self._trades)", "            return self._trades"),
]
