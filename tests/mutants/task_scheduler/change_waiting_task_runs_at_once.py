"""A task scheduled after others goes straight into the run queue: it runs without waiting for
its dependencies to be done."""

CAUGHT_BY = ["test_a_task_waits_until_the_tasks_it_comes_after_are_done"]

REPLACE = [
    ("""            if not job.waiting_on:
                self._push(task)
            return task.id""",
     """            self._push(task)
            return task.id"""),
]
