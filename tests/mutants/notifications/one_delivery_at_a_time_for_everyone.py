"""Every delivery waits for any other in progress: one slow channel holds up every user."""

CAUGHT_BY = ["test_a_slow_channel_holds_up_neither_the_log_nor_other_users"]

REPLACE = [
    ("self._slot_freed.wait_for(lambda: self._busy.isdisjoint(slots))",
     "self._slot_freed.wait_for(lambda: not self._busy)"),
]
