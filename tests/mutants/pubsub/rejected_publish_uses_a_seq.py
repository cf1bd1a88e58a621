"""publish() counts the message before checking the topic, so a rejected publish uses a seq."""

CAUGHT_BY = ["test_rejected_calls_change_nothing"]

REPLACE = [
    ("            targets = self._targets(topic)\n"
     "            message = self._next_message(topic, payload, retain)\n"
     "            key = self._start_calling(targets)\n",
     "            message = self._next_message(topic, payload, retain)\n"
     "            targets = self._targets(topic)\n"
     "            key = self._start_calling(targets)\n"),
]
