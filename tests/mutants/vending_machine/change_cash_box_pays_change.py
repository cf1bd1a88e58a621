"""The change may come from the cash box too, although only the tubes pay change."""

CAUGHT_BY = ["test_change_the_cash_box_never_pays_change"]

REPLACE = [
    ("available = self._float + self._inserted",
     "available = self._float + self._inserted + self._cash_box"),
]
