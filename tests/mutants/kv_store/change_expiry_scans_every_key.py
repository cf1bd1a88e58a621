"""Every call looks at every key's deadline to find the expired ones: O(n) per call."""

CAUGHT_BY = ["test_change_count_does_not_scan_the_store_for_expired_keys"]

REPLACE = [
    ("        while self._deadlines and self._deadlines[0][0] <= now:\n"
     "            deadline, key = heapq.heappop(self._deadlines)\n"
     "            binding = self._data.get(key)\n"
     "            if binding is not None and binding[1] == deadline:\n"
     "                self._write(key, None)\n",
     "        for key, (_, deadline) in list(self._data.items()):\n"
     "            if deadline is not None and deadline <= now:\n"
     "                self._write(key, None)\n"),
]
