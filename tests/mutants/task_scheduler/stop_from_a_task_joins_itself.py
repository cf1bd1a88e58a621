"""stop() called by a task on the runner joins the runner's own thread: RuntimeError, and the task
that asked is marked failed."""

CAUGHT_BY = ["test_stop_called_by_a_task_stops_the_runner_after_that_task"]

REPLACE = [
    ("""        if runner is threading.current_thread():
            return False  # a task asked: the runner stops once it returns, it cannot wait for itself
""",
     ""),
]
