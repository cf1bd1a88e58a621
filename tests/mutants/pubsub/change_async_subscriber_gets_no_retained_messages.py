"""AsyncPubSub.subscribe forgets to queue the retained messages for the new subscription."""

CAUGHT_BY = ["test_change_async_subscriber_gets_retained_messages_before_later_publishes"]

REPLACE = [
    ("            for message in self._retained_for(sub):\n"
     "                inbox.put(message)\n"
     "                self._unfinished += 1\n",
     ""),
]
