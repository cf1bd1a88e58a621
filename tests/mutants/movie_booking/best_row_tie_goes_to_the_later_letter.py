"""Of two rows equally close to the middle, best_available takes the later letter."""

CAUGHT_BY = ["test_best_available_prefers_the_earlier_of_two_equally_close_rows"]

REPLACE = [
    ("(abs(2 * row - middle), row)",
     "(abs(2 * row - middle), -row)"),
]
