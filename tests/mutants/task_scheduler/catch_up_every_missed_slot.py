"""A late recurring task moves on by one interval only, so it replays every missed slot."""

REPLACE = [
    ("""    slot = due + (math.floor((now - due) / every) + 1) * every
    while slot <= now:  # float rounding can land the slot exactly on `now`
        slot += every
    return slot""",
     """    return due + every"""),
]
