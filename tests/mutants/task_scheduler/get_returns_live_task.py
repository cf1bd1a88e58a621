"""get() hands out the scheduler's own Task object, so a caller's change corrupts the schedule."""

CAUGHT_BY = ["test_get_and_tasks_return_copies_not_live_tasks"]

REPLACE = [
    ("return dataclasses.replace(self._job(task_id).task)", "return self._job(task_id).task"),
]
