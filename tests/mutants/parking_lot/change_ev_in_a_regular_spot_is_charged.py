"""An EV that fell back to a regular spot is marked charging and pays for charging."""

CAUGHT_BY = ["test_change_an_ev_takes_a_regular_spot_when_no_ev_spot_fits_and_is_not_charged"]

REPLACE = [
    ("                            charging=ev and charger)", "                            charging=ev)"),
]
