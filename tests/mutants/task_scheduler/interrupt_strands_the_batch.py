"""A KeyboardInterrupt in a task leaves the tasks collected after it out of the heap: they stay
pending forever and never run."""

CAUGHT_BY = ["test_a_keyboard_interrupt_in_a_task_escapes_and_leaves_the_rest_pending"]

REPLACE = [
    ("""                for job in batch:
                    if job.task.status == "pending":
                        self._push(job.task)""",
     """                batch.clear()"""),
]
