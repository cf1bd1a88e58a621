"""park() looks for a spot before it checks the plate: a plate inside gets LotFullError."""

CAUGHT_BY = ["test_already_parked_is_checked_before_lot_full"]

REPLACE = [
    ("        with self._lock:\n            if plate in self._inside:",
     "        with self._lock:\n            self._choose(kind, ev)\n            if plate in self._inside:"),
]
