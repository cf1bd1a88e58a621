"""A sale that cannot pay its change has already moved the inserted coins into the float: the
error leaves them counted twice (in the float and still returned by cancel)."""

CAUGHT_BY = ["test_change_that_cannot_be_paid_exactly_raises_and_changes_nothing"]

REPLACE = [
    ("""            if change is None:
                raise ExactChangeError(""",
     """            if change is None:
                self._float = available
                raise ExactChangeError("""),
]
