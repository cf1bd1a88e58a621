"""cancel() removes an emptied level's price from the heap and re-heapifies it: O(P) a call."""

CAUGHT_BY = ["test_a_cancel_and_a_resting_submit_cost_the_same_with_100_or_100000_resting_orders"]

REPLACE = [
    ("        if not level.orders:\n            del self.levels[order.price]\n",
     "        if not level.orders:\n            del self.levels[order.price]\n"
     "            self.heap.remove(self.sign * order.price)\n"
     "            heapq.heapify(self.heap)\n"
     "            self.in_heap.discard(order.price)\n"),
]
