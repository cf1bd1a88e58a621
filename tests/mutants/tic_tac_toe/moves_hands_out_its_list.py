"""moves() returns the game's own list: a caller who edits it rewrites history."""

CAUGHT_BY = ["test_board_and_moves_return_new_lists"]

REPLACE = [
    ("            return list(self._moves)", "            return self._moves"),
]
