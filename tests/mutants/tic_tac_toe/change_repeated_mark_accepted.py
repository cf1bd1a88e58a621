"""Players are not checked for repeats: ("X", "X") makes one player take every turn."""

CAUGHT_BY = ["test_players_must_be_two_or_more_distinct_single_marks"]

REPLACE = [
    ("    if len(marks) < 2 or len(set(marks)) != len(marks):", "    if len(marks) < 2:"),
]
