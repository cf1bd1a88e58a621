"""A released delivery goes straight to its channel: opt-outs and rate limits made while it
waited are ignored."""

CAUGHT_BY = ["test_change_release_judges_opt_out_and_rate_limit_at_release_time"]

REPLACE = [
    ('''        """The status of a delivery that must not call its channel, or None to call it."""
''',
     '''        """The status of a delivery that must not call its channel, or None to call it."""
        if released:
            return None
'''),
]
