"""undo() takes the move back but the game stays won."""

CAUGHT_BY = ["test_undo_of_a_winning_move_makes_the_game_ongoing_again"]

REPLACE = [
    ("            self._winner = None  # a game ends only on its last move\n", ""),
]
