"""SeatUnavailableError names the first unavailable seat only."""

CAUGHT_BY = ["test_seat_unavailable_error_names_every_unavailable_seat"]

REPLACE = [
    ("{', '.join(taken)} taken",
     "{taken[0]} taken"),
]
