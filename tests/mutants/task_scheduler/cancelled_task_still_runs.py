"""Tasks collected as due are run without checking whether an earlier task cancelled them."""

REPLACE = [
    ("""                if job.task.status != "pending":
                    continue  # cancelled by a task that ran before it in this call
""",
     ""),
]
