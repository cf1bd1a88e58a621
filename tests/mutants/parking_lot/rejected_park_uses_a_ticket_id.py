"""park() counts the ticket id before it knows a spot is free: a LotFullError burns an id."""

CAUGHT_BY = ["test_a_rejected_park_uses_no_ticket_id"]

REPLACE = [
    ("            pool = self._choose(kind, ev)\n",
     "            self._last_id += 1\n            pool = self._choose(kind, ev)\n"
     "            self._last_id -= 1\n"),
]
