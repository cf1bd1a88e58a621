"""count() answers from the counts without dropping expired keys first, so it counts them."""

CAUGHT_BY = ["test_change_a_key_expires_at_its_deadline_and_is_absent_everywhere"]

REPLACE = [
    ("            self._expire()\n            return self._counts.get(value, 0)",
     "            return self._counts.get(value, 0)"),
]
