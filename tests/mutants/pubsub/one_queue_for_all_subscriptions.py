"""All subscriptions share one queue, so a slow handler's backlog ties up every worker."""

CAUGHT_BY = ["test_async_blocked_handler_does_not_block_other_subscriptions"]

REPLACE = [
    ("        self._unfinished = 0  # messages queued and neither handled nor dropped yet\n",
     "        self._unfinished = 0  # messages queued and neither handled nor dropped yet\n"
     "        self._shared_inbox = queue.SimpleQueue()\n"),
    ("inbox = self._inboxes[sub.id] = queue.SimpleQueue()",
     "inbox = self._inboxes[sub.id] = self._shared_inbox"),
]
