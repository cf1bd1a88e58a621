"""leave() bills the rate in force when the vehicle leaves, not the one when it entered."""

CAUGHT_BY = ["test_set_rate_applies_to_vehicles_that_enter_afterwards"]

REPLACE = [
    ("        fee = _parking_fee(hours, stay.rate, self._cap)",
     "        fee = _parking_fee(hours, self._rates[stay.ticket.kind], self._cap)"),
]
