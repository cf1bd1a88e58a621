"""Change comes from the float alone: the coins inserted in this transaction cannot pay it, so an
empty machine refuses change it could give."""

CAUGHT_BY = ["test_change_may_use_the_coins_inserted_in_this_transaction"]

REPLACE = [
    ("change = _fewest_coins(due, available)", "change = _fewest_coins(due, self._float)"),
]
