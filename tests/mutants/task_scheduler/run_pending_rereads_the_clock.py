"""run_pending takes one due task at a time, reading the clock again each time, so a task that
falls due while the call runs is run in it too."""

CAUGHT_BY = ["test_run_pending_reads_the_clock_once_so_a_task_falling_due_during_it_waits"]

REPLACE = [
    ("""            while batch:
                job = batch.popleft()""",
     """            while batch or ((head := self._head()) is not None
                            and head.task.due <= self._clock()
                            and (heapq.heappop(self._heap), batch.append(head))):
                job = batch.popleft()"""),
]
