"""replay() names the failing move counting from 1."""

CAUGHT_BY = ["test_replay_raises_what_move_raises_naming_the_index"]

REPLACE = [
    ("        for index, cell in enumerate(moves):", "        for index, cell in enumerate(moves, 1):"),
]
