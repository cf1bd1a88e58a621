"""publish() iterates the live subscriber list: a handler unsubscribing itself skips the next."""

CAUGHT_BY = ["test_handler_unsubscribing_itself_does_not_make_the_next_handler_miss_out"]

REPLACE = [
    ("return exact.copy() if exact else []", "return exact or []"),
]
