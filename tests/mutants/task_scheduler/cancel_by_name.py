"""cancel() matches tasks by name instead of id, so it also cancels other tasks with that name."""

CAUGHT_BY = ["test_cancel_is_by_id_and_leaves_tasks_with_the_same_name"]

REPLACE = [
    ("""            task.status = "cancelled"
            self._settle_dependents(task)""",
     """            for job in self._jobs.values():
                if job.task.name == task.name and job.task.status in ("pending", "running"):
                    job.task.status = "cancelled"
            self._settle_dependents(task)"""),
]
