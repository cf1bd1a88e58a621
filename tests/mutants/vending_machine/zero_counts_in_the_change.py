"""The change lists every value it considered, zero counts included: {10: 3, 25: 0}."""

CAUGHT_BY = ["test_change_is_the_fewest_coins_not_largest_coin_first"]

REPLACE = [
    ("        if count:\n            change[value] = count\n", "        change[value] = count\n"),
]
