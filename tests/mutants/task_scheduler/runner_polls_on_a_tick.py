"""The runner wakes on a fixed 10 ms tick instead of sleeping until the next due time."""

CAUGHT_BY = ["test_idle_runner_sleeps_without_cpu_or_polling"]

REPLACE = [
    ("self._wakeup.wait(None if wait is None else min(wait, threading.TIMEOUT_MAX))",
     "self._wakeup.wait(0.01)"),
]
