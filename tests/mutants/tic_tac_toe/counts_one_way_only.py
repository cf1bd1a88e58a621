"""Marks are counted only forward from the new one: a move in the middle of a line does not win."""

CAUGHT_BY = ["test_three_in_a_line_wins_for_the_player_who_made_it"]

REPLACE = [
    ("run = 1 + self._count(row, col, dr, dc, mark) + self._count(row, col, -dr, -dc, mark)",
     "run = 1 + self._count(row, col, dr, dc, mark)"),
]
