"""put() of an existing key re-adds it, so under LFU an update resets its use count to 1."""

CAUGHT_BY = ["test_policy_lfu_counts_gets_and_updates_but_not_contains_len_or_keys"]

REPLACE = [
    ("            if key in self._entries:\n"
     "                self._order.touch(key)\n",
     "            if key in self._entries:\n"
     "                self._order.remove(key)\n"
     "                self._order.add(key)\n"),
]
