"""A channel that keeps failing stops the send, so the channels after it never deliver."""

CAUGHT_BY = ["test_a_channel_that_keeps_failing_is_logged_failed_and_the_others_still_deliver"]

REPLACE = [
    ('''                deliveries.append(self._deliver(slot, message, now, released=False))
''',
     '''                deliveries.append(self._deliver(slot, message, now, released=False))
                if deliveries[-1].status == "failed":
                    break
'''),
]
