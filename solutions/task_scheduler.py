"""Task scheduler: one-off and recurring tasks by due time and priority, retries, dependencies,
a background runner and a CLI."""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import itertools
import json
import math
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


_STATUSES = ("pending", "running", "done", "failed", "cancelled")


@dataclass
class _Job:
    """A task with what it takes to run it, and where it stands among its dependencies."""

    task: Task
    fn: Callable[[], object]
    retries: int
    waiting_on: set[int] = field(default_factory=set)  # ids of dependencies not done yet
    dependents: list[int] = field(default_factory=list)  # ids of tasks scheduled after this one


def _check_seconds(value: object, what: str, *, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, got {type(value).__name__}: {value!r}")
    try:
        seconds = float(value)
    except OverflowError:  # an int beyond every float (10**400) is no more finite than inf
        seconds = math.inf
    if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not allow_zero):
        expected = "a finite number >= 0" if allow_zero else "a finite number > 0"
        raise ValueError(f"{what} must be {expected}, got {value!r}")
    return seconds


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    return value


def _check_name(name: object, fn: Callable[[], object]) -> str:
    if name is None:
        return getattr(fn, "__name__", None) or repr(fn)
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}: {name!r}")
    if not name:
        raise ValueError("name must be a non-empty str, got ''")
    return name


def _next_slot(due: float, every: float, now: float) -> float:
    """The first slot due + k * every (k >= 1) strictly after `now`, in O(1) however far behind;
    where floats cannot tell that slot from `now`, the next float after `now`."""
    if now < due:  # only a clock that went back
        return due + every
    slot = now - (now - due) % every + every
    return slot if slot > now else math.nextafter(now, math.inf)


class TaskScheduler:
    """Tasks run by run_pending() (or the background runner) in (due, -priority, id) order."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        self._clock = clock
        self._jobs: dict[int, _Job] = {}
        # (due, -priority, id) of every task ready to run; stale entries are dropped at the front
        self._heap: list[tuple[float, int, int]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)  # the runner sleeps on it
        self._runner: threading.Thread | None = None
        self._stopping = False

    def schedule(self, fn: Callable[[], object], *,  # noqa: PLR0913 - the card's API
                 delay: float = 0.0, every: float | None = None, priority: int = 0,
                 name: str | None = None, retries: int = 0, after: Iterable[int] = ()) -> int:
        """Schedule `fn` to run at clock() + delay (then every `every` seconds), once the tasks
        `after` names are done; return its id."""
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}: {fn!r}")
        delay = _check_seconds(delay, "delay", allow_zero=True)
        if every is not None:
            every = _check_seconds(every, "every", allow_zero=False)
        _check_int(priority, "priority")
        if _check_int(retries, "retries") < 0:
            raise ValueError(f"retries must be >= 0, got {retries!r}")
        name = _check_name(name, fn)
        try:
            after = [_check_int(task_id, "after") for task_id in after]
        except TypeError as exc:
            raise TypeError(f"after must be a collection of task ids, got {after!r}") from exc
        with self._lock:
            due = self._clock() + delay
            if not math.isfinite(due):
                raise ValueError(f"delay {delay!r} puts the due time past every float")
            if every is not None and not due < due + every < math.inf:
                raise ValueError(f"every {every!r} cannot move the due time {due!r} forward")
            dependencies = self._dependencies(after)
            task = Task(next(self._ids), name, due, priority, every)
            job = self._jobs[task.id] = _Job(task, fn, retries)
            for dependency in dependencies:
                job.waiting_on.add(dependency.task.id)
                dependency.dependents.append(task.id)
                if dependency.task.status in ("failed", "cancelled"):
                    self._settle_dependents(dependency.task)  # over already: this one fails now
            if not job.waiting_on:
                self._push(task)
            return task.id

    def _dependencies(self, after: list[int]) -> list[_Job]:
        """The jobs of `after` not done yet; TaskNotFoundError, ValueError for a recurring one."""
        jobs = [self._job(task_id) for task_id in after]
        recurring = [job.task.id for job in jobs if job.task.every is not None]
        if recurring:
            raise ValueError(f"after names task {recurring[0]}, which is recurring: it is never done")
        return [job for job in jobs if job.task.status != "done"]

    def cancel(self, task_id: int) -> bool:
        """Cancel a pending or running task: True if it is now cancelled, False if already over."""
        with self._lock:
            task = self._job(task_id).task
            if task.status not in ("pending", "running"):
                return False
            task.status = "cancelled"
            self._settle_dependents(task)
            self._wakeup.notify()
            return True

    def run_pending(self) -> int:
        """Run every task due now, in order; return how many ran. Task errors never escape."""
        with self._lock:
            now = self._clock()  # read once: what falls due during the call waits for the next
            batch: deque[_Job] = deque()
            while (head := self._head()) is not None and head.task.due <= now:
                heapq.heappop(self._heap)
                batch.append(head)
        runs = 0
        try:
            while batch:
                job = batch.popleft()
                with self._lock:
                    if job.task.status != "pending":
                        continue  # cancelled by a task that ran before it in this call
                    job.task.status = "running"
                self._run(job)
                runs += 1
        finally:
            with self._lock:  # a Ctrl-C in a task leaves the rest of the batch for the next call
                for job in batch:
                    if job.task.status == "pending":
                        self._push(job.task)
        return runs

    def _run(self, job: _Job) -> None:
        """Call the task, retrying on failure, then settle its status and next due time."""
        succeeded = False
        try:
            for _ in range(job.retries + 1):
                succeeded = self._attempt(job)
                if succeeded or job.task.status == "cancelled":
                    break
        finally:  # also when a KeyboardInterrupt ends the run: the task ends failed
            self._settle(job, succeeded)

    def _attempt(self, job: _Job) -> bool:
        """One call of the task's fn; its error, if any, becomes the task's last_error."""
        error = None
        try:
            job.fn()
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit: not a task error, the caller must see it
        finally:
            with self._lock:
                job.task.attempts += 1
                if error is not None:
                    job.task.last_error = error
        return error is None

    def _settle(self, job: _Job, succeeded: bool) -> None:
        with self._lock:
            task = job.task
            task.runs += 1
            if task.status == "cancelled":
                return  # its dependents failed when it was cancelled
            if not succeeded:
                task.status = "failed"
            elif task.every is None:
                task.status = "done"
            else:
                task.status = "pending"
                task.due = _next_slot(task.due, task.every, self._clock())
                self._push(task)
                return
            self._settle_dependents(task)

    def _settle_dependents(self, task: Task) -> None:
        """Release the tasks waiting on a done task; fail those of a failed or cancelled one, and
        theirs in turn (a loop, not recursion: a chain may be long)."""
        over = [task]
        while over:
            parent = over.pop()
            for child_id in self._jobs[parent.id].dependents:
                child = self._jobs[child_id]
                if child.task.status != "pending":
                    continue
                if parent.status == "done":
                    child.waiting_on.discard(parent.id)
                    if not child.waiting_on:
                        self._push(child.task)
                else:
                    child.task.status = "failed"
                    child.task.last_error = f"dependency {parent.id} {parent.status}"
                    over.append(child.task)
            self._jobs[parent.id].dependents.clear()

    def next_due(self) -> float | None:
        """The due time of the earliest task ready to run, or None when there is none."""
        with self._lock:
            head = self._head()
            return None if head is None else head.task.due

    def _push(self, task: Task) -> None:
        entry = (task.due, -task.priority, task.id)
        heapq.heappush(self._heap, entry)
        if self._heap[0] == entry:
            self._wakeup.notify()  # a new earliest task: the runner may be sleeping for a later one

    def _head(self) -> _Job | None:
        """The first pending task in run order; entries of tasks no longer pending are dropped."""
        while self._heap:
            job = self._jobs[self._heap[0][2]]
            if job.task.status == "pending":
                return job
            heapq.heappop(self._heap)
        return None

    def get(self, task_id: int) -> Task:
        """A copy of the task with this id; TaskNotFoundError if there is none."""
        with self._lock:
            return dataclasses.replace(self._job(task_id).task)

    def tasks(self, status: str | None = None) -> list[Task]:
        """Copies of every task (or those with `status`), in scheduling order."""
        if status is not None and not isinstance(status, str):
            raise TypeError(f"status must be a str or None, got {type(status).__name__}: {status!r}")
        if status is not None and status not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}, got {status!r}")
        with self._lock:
            return [dataclasses.replace(job.task) for job in self._jobs.values()
                    if status is None or job.task.status == status]

    def _job(self, task_id: int) -> _Job:
        _check_int(task_id, "task_id")
        if task_id not in self._jobs:
            raise TaskNotFoundError(f"no task with id {task_id!r}")
        return self._jobs[task_id]

    def start(self) -> None:
        """Run due tasks on a background thread until stop(); SchedulerError if already running."""
        with self._lock:
            if self._runner is not None and self._runner.is_alive():
                raise SchedulerError("the runner is already running: stop() it before start()")
            self._stopping = False
            self._runner = threading.Thread(target=self._run_forever, name="task-scheduler",
                                            daemon=True)
            self._runner.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the runner after its current task; True once its thread has ended."""
        with self._lock:
            runner = self._runner
            self._stopping = True
            self._wakeup.notify()
        if runner is None:
            return True
        if runner is threading.current_thread():
            return False  # a task asked: the runner stops once it returns, it cannot wait for itself
        runner.join(timeout)
        return not runner.is_alive()

    def _run_forever(self) -> None:
        while (job := self._next_for_runner()) is not None:
            self._run(job)

    def _next_for_runner(self) -> _Job | None:
        """Sleep until a task is due and mark it running; None once stop() was called."""
        with self._lock:
            while not self._stopping:
                head = self._head()
                wait = None if head is None else head.task.due - self._clock()
                if wait is not None and wait <= 0:
                    heapq.heappop(self._heap)
                    head.task.status = "running"
                    return head
                # schedule(), cancel() and stop() notify, so sleeping until the next due time is safe
                self._wakeup.wait(None if wait is None else min(wait, threading.TIMEOUT_MAX))
            return None


# --- command line -----------------------------------------------------------------------------

_JOB_FIELDS = ("name", "command", "delay", "every", "priority", "retries")
_REQUIRED_FIELDS = ("name", "command", "delay")
_CANNOT_START = 127  # what a shell reports for a command it cannot run
_LONGEST_SLEEP = 3600.0  # time.sleep() refuses the longest waits; the loop sleeps again instead


def _command_task(command: list[str], name: str, start: float) -> Callable[[], None]:
    """A task running `command` and printing one line; a non-zero exit is a failure (retried)."""
    def run() -> None:
        started = time.monotonic() - start
        try:
            code = subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
        except (OSError, ValueError) as exc:  # not found, not executable, a NUL in an argument
            code = _CANNOT_START
            print(f"task_scheduler: {name}: cannot run {command[0]!r}: {exc}", file=sys.stderr)
        print(f"{started:.2f}s {name} exit {code}", flush=True)
        if code != 0:
            raise RuntimeError(f"{command[0]} exited with code {code}")
    return run


def _read_jobs(path: str) -> list[Any]:
    """The JSON list of jobs in `path`; SchedulerError naming the file if it is not one."""
    try:
        jobs = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchedulerError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, or nested past the stack
        raise SchedulerError(f"cannot load {path}: {exc}") from None
    if not isinstance(jobs, list):
        raise SchedulerError(f"{path}: expected a JSON list of jobs, got {type(jobs).__name__}")
    return jobs


def _check_job(job: object, where: str) -> dict[str, Any]:
    """The job's fields, checked but for the values schedule() checks; SchedulerError if bad."""
    if not isinstance(job, dict):
        raise SchedulerError(f"{where}: expected an object with fields "
                             f"{', '.join(_REQUIRED_FIELDS)}, got {job!r}")
    unknown = [key for key in job if key not in _JOB_FIELDS]
    if unknown:
        raise SchedulerError(f"{where}: unknown field {unknown[0]!r}, expected only "
                             f"{', '.join(_JOB_FIELDS)}")
    missing = [key for key in _REQUIRED_FIELDS if key not in job]
    if missing:
        raise SchedulerError(f"{where}: field {missing[0]!r} is missing")
    command = job["command"]
    if not (isinstance(command, list) and command and all(isinstance(a, str) for a in command)):
        raise SchedulerError(f"{where}: field 'command' must be a non-empty list of strings, "
                             f"got {command!r}")
    return job


def _schedule_jobs(scheduler: TaskScheduler, path: str, start: float) -> None:
    """Schedule every job of the JSON file; SchedulerError naming the job and field if one is bad."""
    for number, job in enumerate(_read_jobs(path), 1):
        where = f"{path}: job {number}"
        if isinstance(job, dict) and isinstance(job.get("name"), str):
            where += f" ({job['name']!r})"
        job = _check_job(job, where)
        try:
            scheduler.schedule(_command_task(job["command"], job["name"], start), name=job["name"],
                               delay=job["delay"], every=job.get("every"),
                               priority=job.get("priority", 0), retries=job.get("retries", 0))
        except (TypeError, ValueError) as exc:
            raise SchedulerError(f"{where}: {exc}") from None


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the jobs of a JSON file on schedule, one "
                                                 "line per attempt: seconds since start, name, exit.")
    parser.add_argument("jobs", help='JSON list of {"name", "command": [argv...], "delay", '
                                     '"every"?, "priority"?, "retries"?}')
    parser.add_argument("--for", dest="duration", type=float, metavar="SECONDS",
                        help="stop after this many seconds (default: when no job is left)")
    args = parser.parse_args(argv)
    if args.duration is not None and not 0 <= args.duration < math.inf:
        parser.error(f"--for must be a finite number of seconds >= 0, got {args.duration}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the jobs of a JSON file on schedule: ``task_scheduler.py JOBS.json [--for SECONDS]``."""
    try:
        args = _parse_args(argv)
    except SystemExit as exc:  # argparse exits on a usage error (2) or --help (0): return it instead
        return exc.code if isinstance(exc.code, int) else 2
    scheduler = TaskScheduler()
    start = time.monotonic()
    try:
        _schedule_jobs(scheduler, args.jobs, start)
    except SchedulerError as exc:
        print(f"task_scheduler: {exc}", file=sys.stderr)
        return 2
    deadline = math.inf if args.duration is None else start + args.duration
    try:
        while (due := scheduler.next_due()) is not None and due <= deadline:
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, _LONGEST_SLEEP))
            else:
                scheduler.run_pending()
    except KeyboardInterrupt:
        print("task_scheduler: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
