"""Each move looks for a winner by scanning every cell of the board: O(n^2) per move."""

CAUGHT_BY = ["test_a_move_on_a_2000_board_costs_about_the_same_as_on_10x10"]

REPLACE = [
    ("""            if self._wins(row, col, mark):""",
     """            if any(self._wins(r, c, mark) for r in range(self._n) for c in range(self._n)
                   if self._cells.get((r, c)) == mark):"""),
]
