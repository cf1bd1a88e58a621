"""The EV spots are taken to be the last of their size on a level, not the first."""

CAUGHT_BY = ["test_change_ev_spots_are_the_first_of_their_size_on_each_level"]

REPLACE = [
    ("        return [(level, 1, ev[level][size]) for level in range(len(counts))]\n"
     "    return [(level, ev[level][size] + 1, counts[level][size]) for level in range(len(counts))]",
     "        return [(level, counts[level][size] - ev[level][size] + 1, counts[level][size])\n"
     "                for level in range(len(counts))]\n"
     "    return [(level, 1, counts[level][size] - ev[level][size]) for level in range(len(counts))]"),
]
