"""Tasks collected as due are run without checking whether an earlier task cancelled them."""

CAUGHT_BY = ["test_task_cancelled_by_an_earlier_task_in_the_same_run_does_not_run"]

REPLACE = [
    ("""                    if job.task.status != "pending":
                        continue  # cancelled by a task that ran before it in this call
""",
     ""),
]
