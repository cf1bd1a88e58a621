"""Once quiet hours are over a new send delivers at once, overtaking deliveries still waiting."""

CAUGHT_BY = ["test_change_a_later_send_waits_behind_deferred_deliveries"]

REPLACE = [
    ("if not released and (slot in self._waiting or self._quiet(slot[0], now)):",
     "if not released and self._quiet(slot[0], now):"),
]
