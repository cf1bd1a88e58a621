"""Vehicles without ev=True also take EV spots first, leaving chargers to whoever comes first."""

CAUGHT_BY = ["test_change_other_vehicles_take_an_ev_spot_only_when_no_regular_spot_fits"]

REPLACE = [
    ("        order = (True, False) if ev else (False, True)", "        order = (True, False)"),
]
