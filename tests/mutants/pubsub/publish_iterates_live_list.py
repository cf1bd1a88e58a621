"""publish() iterates the live subscriber list: a handler unsubscribing itself skips the next."""

REPLACE = [
    ("return exact.copy()  # handlers may (un)subscribe while this publish delivers",
     "return exact"),
]
