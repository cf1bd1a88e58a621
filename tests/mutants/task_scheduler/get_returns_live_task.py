"""get() hands out the scheduler's own Task object, so a caller's change corrupts the schedule."""

REPLACE = [
    ("return dataclasses.replace(self._job(task_id).task)", "return self._job(task_id).task"),
]
