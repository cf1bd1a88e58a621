"""Each delivery reads the clock when it is logged, so one send's deliveries get different times
(and its rate limit is judged at a time other than the one it logs)."""

CAUGHT_BY = ["test_send_reads_the_clock_once_for_all_its_deliveries"]

REPLACE = [
    ("message.subject, message.body, status, attempts, error, now)",
     "message.subject, message.body, status, attempts, error, self._clock())"),
]
