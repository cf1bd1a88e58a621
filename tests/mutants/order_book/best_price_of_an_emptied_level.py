"""best() trusts the heap's top even after its level emptied: a cancelled price stays best."""

CAUGHT_BY = ["test_the_best_price_moves_on_when_its_level_empties_and_comes_back"]

REPLACE = [
    ("        while self.heap and self.sign * self.heap[0] not in self.levels:\n"
     "            self.in_heap.discard(self.sign * heapq.heappop(self.heap))\n", ""),
]
