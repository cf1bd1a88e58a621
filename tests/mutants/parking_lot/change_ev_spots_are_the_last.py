"""The EV spots are taken to be the last of their size on a level, not the first."""

CAUGHT_BY = ["test_change_ev_spots_are_the_first_of_their_size_on_each_level"]

REPLACE = [
    ("            (level, 1, ev[level][size]) if charger else\n"
     "            (level, ev[level][size] + 1, counts[level][size])",
     "            (level, counts[level][size] - ev[level][size] + 1, counts[level][size]) if charger"
     " else\n            (level, 1, counts[level][size] - ev[level][size])"),
]
