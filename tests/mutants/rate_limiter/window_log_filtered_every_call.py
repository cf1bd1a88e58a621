"""Each call rebuilds the key's log keeping what is still in the window: O(limit) per request."""

CAUGHT_BY = ["test_window_allow_cost_does_not_grow_with_the_limit"]

REPLACE = [
    ("        if log is not None:\n"
     "            while self._expired(log[0], now):\n"
     "                log.popleft()\n",
     "        if log is not None:\n"
     "            log = self._logs[key] = deque(t for t in log if not self._expired(t, now))\n"),
]
