"""A late recurring task moves on by one interval only, so it replays every missed slot."""

CAUGHT_BY = ["test_late_recurring_task_runs_once_and_skips_the_missed_slots"]

REPLACE = [
    ("""    slot = now - (now - due) % every + every
    return slot if slot > now else math.nextafter(now, math.inf)""",
     """    return due + every"""),
]
