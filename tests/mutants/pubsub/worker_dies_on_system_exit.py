"""A worker isolates only Exception: a handler raising SystemExit silently ends the thread, and
the messages behind it are never handled (flush waits forever)."""

CAUGHT_BY = ["test_async_worker_survives_anything_its_handler_raises"]

REPLACE = [
    ("    _isolated = BaseException  # a worker has no caller to hand SystemExit or Ctrl-C to\n",
     ""),
]
