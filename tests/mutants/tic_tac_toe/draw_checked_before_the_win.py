"""The last free cell is called a draw before the move is checked for a win."""

CAUGHT_BY = ["test_a_move_that_wins_and_fills_the_board_is_a_win"]

REPLACE = [
    ("""            if self._wins(row, col, mark):
                self._winner = mark
            elif len(self._moves) == self._n * self._n:
                self._winner = "draw\"""",
     """            if len(self._moves) == self._n * self._n:
                self._winner = "draw"
            elif self._wins(row, col, mark):
                self._winner = mark"""),
]
