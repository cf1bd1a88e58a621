"""No lock: two threads both find a seat free and both hold it."""

CAUGHT_BY = ["test_threads_holding_overlapping_seats_never_share_a_seat",
             "test_only_one_of_many_threads_confirms_a_hold"]

REPLACE = [
    ("        self._lock = threading.Lock()", "        self._lock = contextlib.nullcontext()"),
    ("import heapq\n", "import contextlib\nimport heapq\n"),
]
