"""The spots given back are a list scanned with min(): park costs O(n) in a half-empty lot."""

CAUGHT_BY = ["test_park_and_leave_do_not_scan_the_spots"]

REPLACE = [
    ("            return heapq.heappop(self._given_back)",
     "            lowest = min(self._given_back)\n            self._given_back.remove(lowest)\n"
     "            return lowest"),
    ("        heapq.heappush(self._given_back, spot)", "        self._given_back.append(spot)"),
]
