"""A wildcard subscriber gets the retained messages sorted by topic, not oldest first."""

CAUGHT_BY = [
    "test_change_wildcard_subscriber_receives_every_matching_retained_message_oldest_first"]

REPLACE = [
    ("key=lambda message: message.seq)", "key=lambda message: message.topic)"),
]
