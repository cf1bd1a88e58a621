"""The sliding window has no lock: racing threads both see room under the limit and both record."""

CAUGHT_BY = ["test_racing_threads_on_one_key_win_exactly_the_limit"]

REPLACE = [
    ("        self._logs: OrderedDict[Hashable, deque[float]] = OrderedDict()\n"
     "        self._lock = threading.Lock()\n",
     "        self._logs: OrderedDict[Hashable, deque[float]] = OrderedDict()\n"
     "        self._lock = contextlib.nullcontext()\n"),
    ("import functools\n", "import contextlib\nimport functools\n"),
]
