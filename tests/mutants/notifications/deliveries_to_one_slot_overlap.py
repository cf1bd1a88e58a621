"""Deliveries to the same user on the same channel run at once, so calls and log disagree."""

CAUGHT_BY = ["test_deliveries_to_one_user_on_one_channel_never_overlap"]

REPLACE = [
    ("            self._slot_freed.wait_for(lambda: self._busy.isdisjoint(slots))\n", ""),
]
