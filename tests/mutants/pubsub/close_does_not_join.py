"""close() tells the workers to stop but returns without joining them, before the queue drains."""

REPLACE = [
    ("        for worker in workers:\n"
     "            worker.join(None if deadline is None else "
     "max(0.0, deadline - time.monotonic()))\n",
     ""),
]
