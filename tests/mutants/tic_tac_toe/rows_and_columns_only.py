"""Only rows and columns are looked at: a diagonal line never wins."""

CAUGHT_BY = ["test_three_in_a_line_wins_for_the_player_who_made_it"]

REPLACE = [
    ("_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))", "_DIRECTIONS = ((0, 1), (1, 0))"),
]
