"""The anti-diagonal (top right to bottom left) is forgotten."""

CAUGHT_BY = ["test_three_in_a_line_wins_for_the_player_who_made_it"]

REPLACE = [
    ("_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))", "_DIRECTIONS = ((0, 1), (1, 0), (1, 1))"),
]
