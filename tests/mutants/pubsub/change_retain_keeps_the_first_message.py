"""A retained publish keeps the topic's first retained message instead of replacing it."""

CAUGHT_BY = ["test_change_a_new_subscriber_first_receives_the_latest_retained_message"]

REPLACE = [
    ("self._retained[topic] = message", "self._retained.setdefault(topic, message)"),
]
