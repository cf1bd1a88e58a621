"""A request exactly one window old still counts, so a request exactly window seconds later is refused."""

REPLACE = [
    ("return now - stamp >= self._window", "return now - stamp > self._window"),
]
