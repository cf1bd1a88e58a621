"""cancel() does not notify the runner, which sleeps on until the cancelled task's due time."""

CAUGHT_BY = ["test_runner_wakes_on_a_cancel_and_never_runs_the_cancelled_task"]

REPLACE = [
    ("""            self._settle_dependents(task)
            self._wakeup.notify()
            return True""",
     """            self._settle_dependents(task)
            return True"""),
]
