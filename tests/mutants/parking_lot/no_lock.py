"""The lot has no lock: two threads parking at once can be given the same spot or ticket id."""

CAUGHT_BY = ["test_threads_parking_and_leaving_never_share_or_lose_a_spot"]

REPLACE = [
    ("import threading\n", "import contextlib\nimport threading\n"),
    ("        self._lock = threading.Lock()", "        self._lock = contextlib.nullcontext()"),
]
