"""The heap is ordered by priority before due time, so a future urgent task blocks due ones."""

REPLACE = [
    ("heapq.heappush(self._heap, (task.due, -task.priority, task.id))",
     "heapq.heappush(self._heap, (-task.priority, task.due, task.id))"),
]
