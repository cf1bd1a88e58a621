"""Only the upper bound is checked: (-1, 0) is played as if it were a cell."""

CAUGHT_BY = ["test_a_cell_off_the_board_is_an_invalid_move"]

REPLACE = [
    ("if not (0 <= row < self._n and 0 <= col < self._n):", "if not (row < self._n and col < self._n):"),
]
