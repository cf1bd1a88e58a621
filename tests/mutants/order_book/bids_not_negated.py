"""The bid heap is not negated: the lowest bid is taken for the best one."""

CAUGHT_BY = ["test_a_sell_takes_the_highest_bid_first_then_the_earliest_order_at_that_price"]

REPLACE = [
    ('self._sides = {"buy": _Side(-1), "sell": _Side(1)}',
     'self._sides = {"buy": _Side(1), "sell": _Side(1)}'),
]
