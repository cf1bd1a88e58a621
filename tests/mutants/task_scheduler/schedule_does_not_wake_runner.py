"""Scheduling does not notify the runner, so it sleeps through a task due before the one it awaits."""

REPLACE = [
    ("""        if self._heap[0][2] == task.id:
            self._wakeup.notify()  # a new earliest task: the runner may be sleeping for a later one
""",
     ""),
]
