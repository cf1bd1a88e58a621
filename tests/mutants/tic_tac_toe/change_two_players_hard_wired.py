"""The turn still alternates between the first two marks: a third player never moves."""

CAUGHT_BY = ["test_turns_rotate_through_the_players_in_order"]

REPLACE = [
    ("            mark = self._players[len(self._moves) % len(self._players)]",
     "            mark = self._players[len(self._moves) % 2]"),
]
