"""Scheduling does not notify the runner, so it sleeps through a task due before the one it awaits."""

CAUGHT_BY = ["test_runner_wakes_for_a_task_scheduled_earlier_than_the_one_it_sleeps_for"]

REPLACE = [
    ("""        if self._heap[0] == entry:
            self._wakeup.notify()  # a new earliest task: the runner may be sleeping for a later one
""",
     ""),
]
