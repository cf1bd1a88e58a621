"""park() tries the sizes that fit largest first, so a car takes a large spot a van needs."""

CAUGHT_BY = ["test_a_car_takes_a_medium_spot_on_a_high_level_before_a_large_spot_on_level_0"]

REPLACE = [
    ("            for size in _FITS[kind]:\n                if self._pools[size, charger].free:",
     "            for size in reversed(_FITS[kind]):\n"
     "                if self._pools[size, charger].free:"),
]
