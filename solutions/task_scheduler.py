"""Task scheduler: one-off and recurring tasks by due time and priority, retries, a runner, a CLI."""

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
from collections.abc import Callable
from dataclasses import dataclass
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
    """A task with what it takes to run it."""

    task: Task
    fn: Callable[[], object]
    retries: int


def _check_seconds(value: object, what: str, *, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        expected = "a finite number >= 0" if allow_zero else "a finite number > 0"
        raise ValueError(f"{what} must be {expected}, got {value!r}")
    return float(value)


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    return value


def _next_slot(due: float, every: float, now: float) -> float:
    """The first slot due + k * every (k >= 1) strictly after `now`: missed slots are skipped."""
    slot = due + (math.floor((now - due) / every) + 1) * every
    while slot <= now:  # float rounding can land the slot exactly on `now`
        slot += every
    return slot


class TaskScheduler:
    """Tasks run by run_pending() (or the background runner) in (due, -priority, id) order."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        self._clock = clock
        self._jobs: dict[int, _Job] = {}
        # (due, -priority, id) of every pending task; cancelled entries are dropped when they surface
        self._heap: list[tuple[float, int, int]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)  # the runner sleeps on it
        self._runner: threading.Thread | None = None
        self._stopping = False

    def schedule(self, fn: Callable[[], object], *, delay: float = 0.0, every: float | None = None,
                 priority: int = 0, name: str | None = None, retries: int = 0) -> int:
        """Schedule `fn` to run at clock() + delay (then every `every` seconds); return its id."""
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}: {fn!r}")
        delay = _check_seconds(delay, "delay", allow_zero=True)
        if every is not None:
            every = _check_seconds(every, "every", allow_zero=False)
        _check_int(priority, "priority")
        if _check_int(retries, "retries") < 0:
            raise ValueError(f"retries must be >= 0, got {retries!r}")
        if name is None:
            name = getattr(fn, "__name__", None) or repr(fn)
        elif not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}: {name!r}")
        elif not name:
            raise ValueError("name must be a non-empty str, got ''")
        with self._lock:
            task = Task(next(self._ids), name, self._clock() + delay, priority, every)
            self._jobs[task.id] = _Job(task, fn, retries)
            self._push(task)
            return task.id

    def cancel(self, task_id: int) -> bool:
        """Cancel a pending or running task: True if it is now cancelled, False if already over."""
        with self._lock:
            task = self._job(task_id).task
            if task.status not in ("pending", "running"):
                return False
            task.status = "cancelled"
            self._wakeup.notify()
            return True

    def run_pending(self) -> int:
        """Run every task due now, in order; return how many ran. Task errors never escape."""
        with self._lock:
            now = self._clock()
            due: list[_Job] = []
            while (head := self._head()) is not None and head.due <= now:
                due.append(self._jobs[heapq.heappop(self._heap)[2]])
        runs = 0
        for job in due:
            with self._lock:
                if job.task.status != "pending":
                    continue  # cancelled by a task that ran before it in this call
                job.task.status = "running"
            self._run(job)
            runs += 1
        return runs

    def _run(self, job: _Job) -> None:
        """Call the task, retrying on failure, then settle its status and next due time."""
        task = job.task
        for _ in range(job.retries + 1):
            try:
                job.fn()
            except Exception as exc:  # a failing task is recorded, never raised into the caller
                error: str | None = f"{type(exc).__name__}: {exc}"
            else:
                error = None
            with self._lock:
                task.attempts += 1
                if error is not None:
                    task.last_error = error
                if error is None or task.status == "cancelled":
                    break
        with self._lock:
            task.runs += 1
            if task.status == "cancelled":
                return
            if error is not None:
                task.status = "failed"
            elif task.every is None:
                task.status = "done"
            else:
                task.status = "pending"
                task.due = _next_slot(task.due, task.every, self._clock())
                self._push(task)

    def next_due(self) -> float | None:
        """The due time of the earliest pending task, or None when nothing is pending."""
        with self._lock:
            head = self._head()
            return None if head is None else head.due

    def _push(self, task: Task) -> None:
        heapq.heappush(self._heap, (task.due, -task.priority, task.id))
        if self._heap[0][2] == task.id:
            self._wakeup.notify()  # a new earliest task: the runner may be sleeping for a later one

    def _head(self) -> Task | None:
        """The first pending task in run order; cancelled entries are dropped on the way."""
        while self._heap:
            task = self._jobs[self._heap[0][2]].task
            if task.status == "pending":
                return task
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
        if runner is not None:
            runner.join(timeout)
        return runner is None or not runner.is_alive()

    def _run_forever(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                head = self._head()
                wait = None if head is None else head.due - self._clock()
                if wait is None or wait > 0:
                    # schedule() and cancel() notify, so sleeping until the next due time is safe
                    self._wakeup.wait(None if wait is None else min(wait, threading.TIMEOUT_MAX))
                    continue
            self.run_pending()


# --- command line -----------------------------------------------------------------------------

_JOB_FIELDS = ("name", "command", "delay", "every", "priority", "retries")
_REQUIRED_FIELDS = ("name", "command", "delay")


def _command_task(command: list[str], name: str, start: float) -> Callable[[], None]:
    """A task running `command` and printing one line; a non-zero exit is a failure (retried)."""
    def run() -> None:
        started = time.monotonic() - start
        try:
            code = subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
        except OSError:  # not found or not executable: what a shell reports as 127
            code = 127
        print(f"{started:.2f}s {name} exit {code}", flush=True)
        if code != 0:
            raise RuntimeError(f"{command[0]} exited with code {code}")
    return run


def _schedule_jobs(scheduler: TaskScheduler, path: str, start: float) -> None:
    """Schedule every job of the JSON file; SchedulerError naming the job and field if one is bad."""
    try:
        jobs: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchedulerError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise SchedulerError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(jobs, list):
        raise SchedulerError(f"{path}: expected a JSON list of jobs, got {type(jobs).__name__}")
    for number, job in enumerate(jobs, 1):
        where = f"{path}: job {number}"
        if not isinstance(job, dict):
            raise SchedulerError(f"{where}: expected an object with fields "
                                 f"{', '.join(_REQUIRED_FIELDS)}, got {job!r}")
        if isinstance(job.get("name"), str):
            where += f" ({job['name']!r})"
        unknown = [field for field in job if field not in _JOB_FIELDS]
        if unknown:
            raise SchedulerError(f"{where}: unknown field {unknown[0]!r}, expected only "
                                 f"{', '.join(_JOB_FIELDS)}")
        missing = [field for field in _REQUIRED_FIELDS if field not in job]
        if missing:
            raise SchedulerError(f"{where}: field {missing[0]!r} is missing")
        command = job["command"]
        if not (isinstance(command, list) and command and all(isinstance(a, str) for a in command)):
            raise SchedulerError(f"{where}: field 'command' must be a non-empty list of strings, "
                                 f"got {command!r}")
        try:
            scheduler.schedule(_command_task(command, job["name"], start), name=job["name"],
                               delay=job["delay"], every=job.get("every"),
                               priority=job.get("priority", 0), retries=job.get("retries", 0))
        except (TypeError, ValueError) as exc:
            raise SchedulerError(f"{where}: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    """Run the jobs of a JSON file on schedule: ``task_scheduler.py JOBS.json [--for SECONDS]``."""
    parser = argparse.ArgumentParser(description="Run the jobs of a JSON file on schedule, one "
                                                 "line per run: seconds since start, name, exit.")
    parser.add_argument("jobs", help='JSON list of {"name", "command": [argv...], "delay", '
                                     '"every"?, "priority"?, "retries"?}')
    parser.add_argument("--for", dest="duration", type=float, metavar="SECONDS",
                        help="stop after this many seconds (default: when no job is left)")
    args = parser.parse_args(argv)
    if args.duration is not None and not args.duration >= 0:
        parser.error(f"--for must be a number of seconds >= 0, got {args.duration}")
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
            time.sleep(max(0.0, due - time.monotonic()))
            scheduler.run_pending()
    except KeyboardInterrupt:
        print("task_scheduler: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
