"""A sale pays the change from the float but never puts the inserted coins into it: the machine
loses the customer's money."""

CAUGHT_BY = ["test_a_sale_moves_the_inserted_coins_into_the_float_and_the_change_out"]

REPLACE = [
    ("self._fill(available - Counter(change))", "self._fill(self._float - Counter(change))"),
]
