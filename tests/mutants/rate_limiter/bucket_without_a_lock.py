"""The bucket has no lock: two threads read the same tokens and both spend them."""

CAUGHT_BY = ["test_racing_threads_win_exactly_the_buckets_capacity"]

REPLACE = [
    ("        self._updated = self._clock()\n        self._lock = threading.Lock()\n",
     "        self._updated = self._clock()\n        self._lock = contextlib.nullcontext()\n"),
    ("import functools\n", "import contextlib\nimport functools\n"),
]
