"""Of two equally central blocks, best_available takes the rightmost."""

CAUGHT_BY = ["test_best_available_picks_the_middle_row_and_its_leftmost_central_block"]

REPLACE = [
    ("offset < best[0]",
     "offset <= best[0]"),
]
