"""Every publish replaces the retained message, with or without retain=True."""

CAUGHT_BY = ["test_change_publish_without_retain_neither_keeps_nor_replaces"]

REPLACE = [
    ("        if retain:\n"
     "            self._retained[topic] = message\n",
     "        self._retained[topic] = message\n"),
]
