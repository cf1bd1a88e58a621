"""An int too large for a float (10**400) as delay or every raises OverflowError, not ValueError."""

CAUGHT_BY = ["test_schedule_rejects_bad_arguments_and_changes_nothing"]

REPLACE = [
    ("""    try:
        seconds = float(value)
    except OverflowError:  # an int beyond every float (10**400) is no more finite than inf
        seconds = math.inf
""",
     """    seconds = float(value)
"""),
]
