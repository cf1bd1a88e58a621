"""No lock: two threads read the same move count, so one mark is played twice in a row."""

CAUGHT_BY = ["test_concurrent_moves_are_each_played_whole_with_alternating_marks"]

REPLACE = [
    ("        self._lock = threading.Lock()", "        self._lock = contextlib.nullcontext()"),
    ("import threading\n", "import contextlib\nimport threading\n"),
]
