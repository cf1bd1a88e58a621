"""Task scheduler with priorities, recurrence, retries and a CLI

Size: full

An operations team wants a small in-process job scheduler: run this function in 5 seconds, that
one every minute, retry the flaky one twice, and let the urgent ones go first. Build the scheduler,
then a command line that runs the jobs of a JSON file.

Core (the 60-minute part):
- TaskScheduler(clock=time.monotonic): the clock is injectable; tests pass a fake one.
- schedule(fn, *, delay=0.0, every=None, priority=0, name=None, retries=0) returns the task id
  (1, 2, 3, ... in scheduling order). The task is due at clock() + delay; `every` makes it
  recurring; `name` defaults to fn's __name__.
- run_pending() runs every task that is due, one after the other, ordered by due time, then
  priority (higher first), then scheduling order (the id, never the name), and returns how many
  tasks ran. It reads the clock once, when called: a task is due if due <= that time. A task that
  falls due while the call runs (the clock moved on, or it was scheduled during the call) waits
  for the next call. A task that is not due yet never holds back one that is, whatever their
  priorities.
- A task whose fn raises an Exception is called again at once, up to `retries` more times; when
  every attempt failed it is "failed". The exception never escapes run_pending. last_error is the
  error of the latest failed attempt, "ExceptionType: message" (None until one fails); a later
  success keeps it. A successful one-off task is "done".
- A KeyboardInterrupt or SystemExit raised by fn is not a task error: the task ends "failed" with
  it as last_error (no retry), and it propagates out of run_pending; the tasks that call had not
  run yet stay pending and run on the next call.
- A recurring task goes back to "pending", next due at its previous due time + every (no drift
  however late or slow the run was). If it fell behind by several intervals it runs once and moves
  to the first slot (due + k * every) strictly after the current time: no burst of catch-up runs.
  Where floats cannot hold a slot after the current time (every below the clock's precision), the
  next due time is the next float after it. A recurring task that fails every attempt is "failed"
  and stops.
- cancel(task_id) returns True when a pending (or running) task is now cancelled, False when it
  was already done, failed or cancelled. A cancelled task never runs again: a call of fn under
  way finishes, then no retry and no next run; a recurring task that cancels itself from inside
  its own run ends "cancelled".
- next_due() is the due time of the earliest pending task, or None. get(task_id) returns a copy
  of the Task; tasks(status=None) copies of every task (or those with that status) by id.
- Task.status is one of "pending", "running" (while fn is being called), "done", "failed",
  "cancelled"; runs counts the runs of the task (retries included in the same run), attempts every
  call of fn.
- main(argv=None) -> int, run as `python task_scheduler.py JOBS.json [--for SECONDS]`, returns
  the exit code (it does not raise SystemExit). The file is a JSON list of jobs {"name",
  "command": [argv, ...], "delay", "every"?, "priority"?, "retries"?}. Every attempt (retries
  included) executes the command as a subprocess (no shell) and prints one line
  "{seconds since start:.2f}s {name} exit {code}"; a non-zero exit counts as a failure (retried).
  A command that cannot be started (not found, not executable, a NUL character in an argument)
  counts as exit 127, with a message naming the job and the reason on stderr. main returns 0 when
  no job is left to run (failed ones included), or once the next run would fall after --for
  seconds. Ctrl-C stops it with exit 130.

Extensions (the stretch part, tests marked extension):
- start() runs due tasks on a background thread, one at a time; stop(timeout=None) stops it
  after the current task (due tasks not started yet stay pending) and joins it, returning True
  once the thread has ended. A task running on the runner may call stop(): the runner stops once
  that task returns, and stop() returns False at once (a thread cannot wait for its own end).
- The runner sleeps until the next due time: no busy loop and no fixed polling tick, it reads the
  clock only a few times while idle. It wakes at once when a task is scheduled earlier than the
  one it sleeps for, or cancelled.
- schedule, cancel, get, tasks and run_pending are safe to call from any thread, and from inside a
  running task.

Errors:
- Wrong argument types raise TypeError (bool is not a number here), bad values ValueError: delay
  must be >= 0, every > 0, both finite (an int too large for a float, like 10**400, is not;
  priority and retries may be ints of any size), retries >= 0, name non-empty, status a known one.
  The due time clock() + delay must be finite, and so must due + every, which must also be after
  due in floats (every=1e-12 is not, at a clock of 1e9). Every message names the argument and the
  value. A rejected call changes nothing (no id is used up).
- get/cancel of a non-int id (bool included) raise TypeError; of an unknown id, TaskNotFoundError
  naming the id.
  start() while running raises SchedulerError; TaskNotFoundError is a SchedulerError.
- The CLI prints one message to stderr and returns 2 for an unreadable or malformed file (naming
  the file), or a job with a missing, unknown or bad field (naming the job as "job N", N counting
  from 1 in the file, and the field); then no job runs. A --for that is not a finite number >= 0
  is a usage error: a message naming --for on stderr, exit 2.

Example:
    >>> now = [100.0]
    >>> s = TaskScheduler(clock=lambda: now[0])
    >>> s.schedule(lambda: print("low"), delay=5)
    1
    >>> s.schedule(lambda: print("high"), delay=5, priority=9)
    2
    >>> s.schedule(lambda: print("tick"), every=10, name="tick")
    3
    >>> now[0] = 125.0
    >>> s.run_pending()
    tick
    high
    low
    3
    >>> s.get(3).due, s.next_due()
    (130.0, 130.0)

Complexity:
- schedule O(log n), run_pending O(k log n) for k due tasks, next_due O(1) amortised: 10x the
  tasks scheduled and run cost about 10x (not 100x) the time.
- A recurring task's next slot takes O(1) and never overflows, however many intervals it fell
  behind (every=1e-12 with a clock jumping from 0 to 1e9 is 1e21 intervals): it is computed, not
  stepped to.

Hints:
1. A single ordering key (due, -priority, id) settles every tie; keep a structure that always
   yields the smallest key cheaply.
2. Cancelling need not search: mark the task and skip it when it reaches the front. Collect the due
   tasks first, then call them outside the lock, so a task can schedule or cancel.
3. The runner is one Condition: wait(next_due - now), or wait() when idle, and have schedule and
   cancel notify it. A late task's next slot comes from (now - due) % every in one step; floats
   round, so check that it is after now.

Change request:
Tasks may now wait for other tasks. schedule() takes one more keyword argument, `after`, a
collection of task ids: schedule(fn, *, delay=0.0, every=None, priority=0, name=None, retries=0,
after=()). The new task runs only once every task in `after` is "done". Until then it is
"pending" but waiting: next_due() and run_pending() ignore it, so it never holds back another
task. When its last dependency is done it keeps its own due time (due at once if that has passed)
and runs on a later run_pending() call, not in the call that finished the dependency; the runner
wakes for it as for a newly scheduled task. If a dependency fails or is cancelled, every task
waiting on it becomes "failed" at once without running (runs and attempts stay 0), with
last_error "dependency N failed" or "dependency N cancelled" (N is the dependency's id), and so in
turn do the tasks waiting on those. A dependency that is already done counts as done; one that
already failed or was cancelled fails the new task at once (schedule still returns its id).
cancel() of a waiting task returns True. Errors, changing nothing: TypeError unless `after` is a
collection of int ids (bool is not an int), naming the value; TaskNotFoundError naming an unknown
id; ValueError naming the id of a recurring task (it is never done). `after` can name only tasks
that already exist, so there are no cycles.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


class SchedulerError(Exception):
    """Base class of the scheduler's domain errors."""


class TaskNotFoundError(SchedulerError):
    """A task id the scheduler never handed out."""


@dataclass
class Task:
    """A snapshot of one task, as get() and tasks() report it."""

    id: int
    name: str
    due: float
    priority: int
    every: float | None
    status: str = "pending"  # "pending" | "running" | "done" | "failed" | "cancelled"
    runs: int = 0
    attempts: int = 0
    last_error: str | None = None


class TaskScheduler:
    """Tasks run by run_pending() (or the background runner) in (due, -priority, id) order."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        """An empty scheduler reading the time from `clock` (seconds; TypeError if not callable)."""
        raise NotImplementedError

    def schedule(self, fn: Callable[[], object], *,  # noqa: PLR0913 - the card's API
                 delay: float = 0.0, every: float | None = None, priority: int = 0,
                 name: str | None = None, retries: int = 0) -> int:
        """Schedule `fn` to run at clock() + delay (then every `every` seconds); return its id.

        TypeError: fn not callable, delay/every not a number, priority/retries not an int (bool
        is neither), name not a str. ValueError: delay < 0, every <= 0, either not finite (10**400
        is not), clock() + delay or due + every not finite, due + every not after due in floats,
        retries < 0, name ''.
        """
        raise NotImplementedError

    def cancel(self, task_id: int) -> bool:
        """Cancel a pending or running task: True if it is now cancelled, False if already over.

        TaskNotFoundError naming an unknown id, TypeError for a non-int.
        """
        raise NotImplementedError

    def run_pending(self) -> int:
        """Run every task due now, in order; return how many ran. Task errors never escape."""
        raise NotImplementedError

    def next_due(self) -> float | None:
        """The due time of the earliest pending task, or None when nothing is pending."""
        raise NotImplementedError

    def get(self, task_id: int) -> Task:
        """A copy of the task with this id.

        TaskNotFoundError naming an unknown id, TypeError for a non-int.
        """
        raise NotImplementedError

    def tasks(self, status: str | None = None) -> list[Task]:
        """Copies of every task (or those with `status`), in scheduling order.

        TypeError for a non-str status, ValueError for an unknown one.
        """
        raise NotImplementedError

    def start(self) -> None:
        """Run due tasks on a background thread until stop(); SchedulerError if already running."""
        raise NotImplementedError

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the runner after its current task; True once its thread has ended.

        Called from a task on the runner thread: the runner stops once that task returns, and
        stop() returns False without waiting.
        """
        raise NotImplementedError


def main(argv: list[str] | None = None) -> int:
    """Run the jobs of a JSON file on schedule: ``task_scheduler.py JOBS.json [--for SECONDS]``.

    Prints one line per attempt (exit 127: the command could not be started). Returns the exit
    code, never raises SystemExit: 0 when done, 2 for a bad file, job or --for, 130 on Ctrl-C.
    """
    raise NotImplementedError


if __name__ == "__main__":
    raise SystemExit(main())
