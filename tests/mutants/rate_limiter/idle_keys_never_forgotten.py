"""Old requests are dropped only when their own key is asked about, so idle keys pile up forever."""

CAUGHT_BY = ["test_memory_follows_the_keys_of_the_live_window_not_every_key_ever_seen"]

REPLACE = [
    ("        while self._logs:\n"
     "            idlest = next(iter(self._logs))\n"
     "            if not self._expired(self._logs[idlest][-1], now):\n"
     "                break\n"
     "            del self._logs[idlest]\n", ""),
    ("        if log is not None:\n            while self._expired(log[0], now):",
     "        if log is not None:\n            while log and self._expired(log[0], now):"),
]
