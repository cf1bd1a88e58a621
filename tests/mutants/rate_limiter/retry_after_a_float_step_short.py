"""retry_after() returns the wait as computed, so now + wait can round to a hair before the
moment allow() succeeds: about a quarter of the clients that wait as told are refused."""

CAUGHT_BY = ["test_waiting_retry_after_is_always_enough",
             "test_waiting_retry_after_is_enough_at_every_step_of_a_busy_clock"]

REPLACE = [
    ("    while not ready(now + wait):\n"
     "        wait = max(math.nextafter(wait, math.inf), math.nextafter(now + wait, math.inf) - now)\n"
     "    return wait\n",
     "    return wait\n"),
]
