"""replay() plays with X and O whatever players it was given."""

CAUGHT_BY = ["test_replay_takes_the_players_too"]

REPLACE = [
    ("        game = cls(n, k, players=players)", "        game = cls(n, k)"),
]
