"""The coins given at construction skip the tubes' capacity: the float starts overfull."""

CAUGHT_BY = ["test_change_coins_beyond_the_capacity_at_construction_go_to_the_cash_box"]

REPLACE = [
    ("        self._fill(start)\n", "        self._float = +start\n"),
]
