"""When a use moves the last key out of the lowest-count bucket, the lowest count stays put, so the
next eviction looks in a bucket that is gone."""

CAUGHT_BY = ["test_policy_lfu_random_operations_agree_with_a_model"]

REPLACE = [
    ("        if emptied and count == self._least:\n"
     "            self._least = count + 1\n",
     ""),
]
