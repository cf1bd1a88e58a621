"""Idle keys are found by scanning every key on every call: O(live keys) per request."""

CAUGHT_BY = ["test_window_allow_cost_does_not_grow_with_the_number_of_live_keys"]

REPLACE = [
    ("        while self._logs:\n"
     "            idlest = next(iter(self._logs))\n"
     "            if not self._expired(self._logs[idlest][-1], now):\n"
     "                break\n"
     "            del self._logs[idlest]\n",
     "        for idle in [k for k, log in self._logs.items() if self._expired(log[-1], now)]:\n"
     "            del self._logs[idle]\n"),
]
