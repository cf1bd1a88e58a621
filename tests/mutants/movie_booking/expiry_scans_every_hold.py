"""Every call looks at every deadline to find the expired holds: O(holds) per call."""

CAUGHT_BY = ["test_hold_and_confirm_cost_does_not_grow_with_the_live_holds"]

REPLACE = [
    ("        while self._deadlines and self._deadlines[0][0] <= now:\n"
     "            _, hold_id = heapq.heappop(self._deadlines)\n",
     "        due = sorted(entry for entry in self._deadlines if entry[0] <= now)\n"
     "        self._deadlines = [entry for entry in self._deadlines if entry[0] > now]\n"
     "        heapq.heapify(self._deadlines)\n"
     "        for _, hold_id in due:\n"),
]
