"""All subscriptions share one queue, so a slow handler's backlog ties up every worker."""

REPLACE = [
    ("        self._unfinished = 0  # messages queued and neither handled nor dropped yet\n",
     "        self._unfinished = 0  # messages queued and neither handled nor dropped yet\n"
     "        self._shared_inbox = queue.SimpleQueue()\n"),
    ("inbox = self._inboxes[sub_id] = queue.SimpleQueue()",
     "inbox = self._inboxes[sub_id] = self._shared_inbox"),
]
