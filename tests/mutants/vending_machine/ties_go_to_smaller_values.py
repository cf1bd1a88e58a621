"""Among equally few coins the fewest of the largest value wins: change of 40 from 10, 15, 20 and
25 is 20 + 20 instead of 25 + 15."""

CAUGHT_BY = ["test_among_equally_few_coins_the_most_of_the_largest_value_wins"]

REPLACE = [
    ("count = min(available[value], amount // value)", "count = 0"),
    ("            count -= 1\n", "            count += 1\n"),
]
