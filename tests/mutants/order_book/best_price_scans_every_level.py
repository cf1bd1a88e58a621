"""The best price is found by scanning every level: a submit costs O(P), not O(log P)."""

CAUGHT_BY = ["test_a_submit_that_trades_once_costs_the_same_with_100_or_100000_resting_orders"]

REPLACE = [
    ("        return self.sign * self.heap[0] if self.heap else None\n",
     "        return self.sign * min(self.sign * p for p in self.levels) if self.levels else None\n"),
]
