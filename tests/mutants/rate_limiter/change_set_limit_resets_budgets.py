"""set_limit() forgets every recorded request, so changing a class's limit hands out a fresh
budget to everyone."""

CAUGHT_BY = ["test_lowering_a_class_limit_keeps_the_requests_already_in_the_window"]

REPLACE = [
    ("            self._class_limits[name] = limit\n",
     "            self._class_limits[name] = limit\n            self._logs.clear()\n"),
]
