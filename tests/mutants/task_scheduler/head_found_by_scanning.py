"""The earliest task is found with min() over every queued entry instead of the heap's top, so
running n tasks costs O(n^2)."""

CAUGHT_BY = ["test_schedule_and_run_pending_grow_as_n_log_n"]

REPLACE = [
    ("job = self._jobs[self._heap[0][2]]", "job = self._jobs[min(self._heap)[2]]"),
]
