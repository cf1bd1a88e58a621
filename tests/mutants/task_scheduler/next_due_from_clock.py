"""A recurring task's next run is computed from clock() instead of its due time, so it drifts."""

CAUGHT_BY = ["test_recurring_task_keeps_its_schedule_without_drift"]

REPLACE = [
    ("task.due = _next_slot(task.due, task.every, self._clock())",
     "task.due = self._clock() + task.every"),
]
