"""A task's exception is not caught, so it escapes run_pending and stops the tasks after it."""

CAUGHT_BY = ["test_a_raising_task_does_not_stop_the_others_nor_escape"]

REPLACE = [
    ("""            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit: not a task error, the caller must see it""",
     """            raise"""),
]
