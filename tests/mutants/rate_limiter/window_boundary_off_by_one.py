"""A request exactly one window old still counts, so a request exactly window seconds later is
refused."""

CAUGHT_BY = ["test_request_exactly_one_window_later_is_allowed"]

REPLACE = [
    ("return now - stamp >= self._window", "return now - stamp > self._window"),
]
