"""park() tries sizes before chargers: an EV takes a smaller regular spot over a free EV spot."""

CAUGHT_BY = ["test_change_an_ev_takes_an_ev_spot_before_a_smaller_regular_one"]

REPLACE = [
    ("        for charger in order:\n            for size in _FITS[kind]:\n",
     "        for size in _FITS[kind]:\n            for charger in order:\n"),
]
