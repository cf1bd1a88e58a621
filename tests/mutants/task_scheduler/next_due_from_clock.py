"""A recurring task's next run is computed from clock() instead of its due time, so it drifts."""

REPLACE = [
    ("task.due = _next_slot(task.due, task.every, self._clock())",
     "task.due = self._clock() + task.every"),
]
