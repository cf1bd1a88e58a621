"""cancel() matches tasks by name instead of id, so it also cancels other tasks with that name."""

REPLACE = [
    ("""            task.status = "cancelled"
            self._wakeup.notify()
            return True""",
     """            for job in self._jobs.values():
                if job.task.name == task.name and job.task.status in ("pending", "running"):
                    job.task.status = "cancelled"
            self._wakeup.notify()
            return True"""),
]
