"""Tasks due at the same time with the same priority run by name, not in scheduling order."""

CAUGHT_BY = ["test_ties_go_by_scheduling_order_never_by_name"]

REPLACE = [
    ("entry = (task.due, -task.priority, task.id)",
     "entry = (task.due, -task.priority, task.name, task.id)"),
    ("job = self._jobs[self._heap[0][2]]", "job = self._jobs[self._heap[0][-1]]"),
]
