"""A task's exception is not caught, so it escapes run_pending and stops the tasks after it."""

REPLACE = [
    ("""            try:
                job.fn()
            except Exception as exc:  # a failing task is recorded, never raised into the caller
                error: str | None = f"{type(exc).__name__}: {exc}"
            else:
                error = None
""",
     """            job.fn()
            error = None
"""),
]
