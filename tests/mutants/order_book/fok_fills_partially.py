"""FOK never checks the book first: it trades what it can, like IOC."""

CAUGHT_BY = ["test_fok_that_cannot_fill_completely_trades_nothing_and_changes_nothing"]

REPLACE = [
    ('trades = [] if tif == "FOK" and not self._can_fill(order) else self._match(order)',
     'trades = self._match(order)'),
]
