"""The next slot of a late recurring task is found by adding `every` until it passes the clock:
billions of steps for a task far behind, and never done when `every` is below the clock's
precision."""

CAUGHT_BY = ["test_a_recurring_task_far_behind_gets_its_next_slot_in_one_step"]

REPLACE = [
    ("""    slot = now - (now - due) % every + every
    return slot if slot > now else math.nextafter(now, math.inf)""",
     """    slot = due + every
    while slot <= now:
        slot += every
    return slot"""),
]
