"""Task scheduler: run order, retries, recurrence, cancel, the background runner, the CLI and
dependencies between tasks (the change request)."""

from __future__ import annotations

import json
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

LINE = re.compile(r"^(\d+\.\d\d)s (.+) exit (-?\d+)$")


def noop() -> None:
    pass


def recorder(log: list[str], label: str) -> Callable[[], None]:
    """A task that appends `label` to `log` when it runs."""
    return lambda: log.append(label)


def failing(times: int, calls: list[int] | None = None) -> Callable[[], None]:
    """A task raising ValueError('boom N') on its first `times` calls, then succeeding."""
    calls = [] if calls is None else calls

    def fn() -> None:
        calls.append(1)
        if len(calls) <= times:
            raise ValueError(f"boom {len(calls)}")
    return fn


def fields(task) -> tuple:
    return (task.id, task.name, task.due, task.priority, task.every, task.status, task.runs,
            task.attempts, task.last_error)


def state(scheduler, task_id: int) -> tuple:
    """(status, runs, attempts, last_error) of a task."""
    return fields(scheduler.get(task_id))[5:]


def expect(what: str, got: object, want: object) -> None:
    """`what` (a call and when it was made) must have given `want`."""
    __tracebackhide__ = True
    assert got == want, f"{what} gave {got!r}, expected {want!r}"


# --- core -------------------------------------------------------------------------------------


@pytest.mark.core
def test_schedule_returns_ids_in_order_and_the_task_is_due_after_its_delay(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    call.returns(1, s.schedule, noop, delay=5)
    call.returns(2, s.schedule, noop, delay=2.5, every=10, priority=3, name="tick", retries=1)
    call.returns(impl.Task(id=1, name="noop", due=1005.0, priority=0, every=None, status="pending",
                           runs=0, attempts=0, last_error=None), s.get, 1)
    expect("get(2) fields", fields(s.get(2)), (2, "tick", 1002.5, 3, 10, "pending", 0, 0, None))
    call.returns(1002.5, s.next_due)


@pytest.mark.core
def test_run_pending_runs_only_due_tasks_and_returns_how_many_ran(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(recorder(log, "now"))
    s.schedule(recorder(log, "soon"), delay=5)
    s.schedule(recorder(log, "later"), delay=50)
    call.returns(1, s.run_pending)
    clock.advance(5)
    call.returns(1, s.run_pending)
    expect("the tasks run after 5 s", log, ["now", "soon"])
    expect("statuses", [t.status for t in s.tasks()], ["done", "done", "pending"])
    expect("get(1) (status, runs, attempts, last_error)", state(s, 1), ("done", 1, 1, None))
    call.returns(0, s.run_pending)


@pytest.mark.core
def test_run_order_is_due_time_then_higher_priority_then_scheduling_order(impl, clock, call):
    table = [  # label, delay, priority, in scheduling order
        ("c", 2, 0), ("a", 1, 0), ("b", 1, 5), ("d", 2, 0), ("e", 1, 5), ("f", 0, -3), ("g", 2, 1)]
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    for label, delay, priority in table:
        s.schedule(recorder(log, label), delay=delay, priority=priority)
    clock.advance(10)
    call.returns(len(table), s.run_pending)
    expect(f"run order of {table}", log, ["f", "b", "e", "a", "g", "c", "d"])


@pytest.mark.core
def test_a_future_high_priority_task_never_blocks_a_due_low_priority_one(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(recorder(log, "urgent-but-later"), delay=10, priority=100)
    s.schedule(recorder(log, "due-now"), priority=-100)
    call.returns(1, s.run_pending)
    expect("the tasks run", log, ["due-now"])
    call.returns(1010.0, s.next_due)


@pytest.mark.core
def test_a_raising_task_does_not_stop_the_others_nor_escape(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    bad = s.schedule(failing(99), priority=1)
    s.schedule(recorder(log, "after"))
    call.returns(2, s.run_pending)
    expect("the tasks run after the raising one", log, ["after"])
    expect("the raising task's state", state(s, bad), ("failed", 1, 1, "ValueError: boom 1"))


@pytest.mark.core
def test_failing_task_is_retried_in_the_same_call_then_marked_failed(impl, clock, call):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(99, calls), retries=2)
    call.returns(1, s.run_pending)
    expect("calls of a task with retries=2 that always fails", len(calls), 3)
    expect("its state", state(s, task_id), ("failed", 1, 3, "ValueError: boom 3"))
    clock.advance(100)
    call.returns(0, s.run_pending)
    expect("calls once it failed", len(calls), 3)


@pytest.mark.core
def test_task_that_succeeds_on_a_retry_is_done_and_keeps_its_last_error(impl, clock, call):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(2, calls), retries=5)
    call.returns(1, s.run_pending)
    expect("calls of a task failing twice, retries=5", len(calls), 3)
    expect("its state", state(s, task_id), ("done", 1, 3, "ValueError: boom 2"))


@pytest.mark.core
def test_recurring_task_keeps_its_schedule_without_drift(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, every=10)
    clock.advance(3)  # runs 3 s late: the next slot is still 1010, not 1013
    call.returns(1, s.run_pending)
    call.returns(1010.0, s.next_due)
    clock.advance(9)
    call.returns(1, s.run_pending)
    call.returns(1020.0, s.next_due)
    expect("the recurring task's state", state(s, task_id), ("pending", 2, 2, None))


@pytest.mark.core
def test_late_recurring_task_runs_once_and_skips_the_missed_slots(impl, clock, call):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(lambda: calls.append(1), every=10)
    clock.advance(35)
    call.returns(1, s.run_pending)
    expect("get(1).due of an every=10 task from 1000 run at 1035", s.get(task_id).due, 1040.0)
    call.returns(0, s.run_pending)
    expect("calls", len(calls), 1)


@pytest.mark.core
def test_recurring_task_that_fails_every_attempt_stops(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(99), every=5, retries=1)
    call.returns(1, s.run_pending)
    expect("its state", state(s, task_id), ("failed", 1, 2, "ValueError: boom 2"))
    call.returns(None, s.next_due)


@pytest.mark.core
def test_cancel_a_pending_task_so_it_never_runs(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(recorder(log, "x"), delay=1)
    call.returns(True, s.cancel, task_id)
    call.returns(False, s.cancel, task_id)
    clock.advance(5)
    call.returns(0, s.run_pending)
    expect("the tasks run", log, [])
    expect("get(1).status", s.get(task_id).status, "cancelled")
    call.returns(None, s.next_due)


@pytest.mark.core
def test_cancel_returns_false_for_done_and_failed_tasks(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    done = s.schedule(noop)
    failed = s.schedule(failing(99))
    s.run_pending()
    call.returns(False, s.cancel, done)
    call.returns(False, s.cancel, failed)
    expect("statuses", [t.status for t in s.tasks()], ["done", "failed"])


@pytest.mark.core
def test_recurring_task_cancelled_inside_its_own_run_does_not_run_again(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    answers: list[bool] = []
    task_id = s.schedule(lambda: answers.append(s.cancel(task_id)), every=1)
    call.returns(1, s.run_pending)
    expect("cancel(1) from inside its run", answers, [True])
    clock.advance(10)
    call.returns(0, s.run_pending)
    expect("its state", state(s, task_id), ("cancelled", 1, 1, None))
    call.returns(None, s.next_due)


@pytest.mark.core
def test_next_due_is_the_earliest_pending_task_or_none(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    call.returns(None, s.next_due)
    s.schedule(noop, delay=7)
    s.schedule(noop, delay=3, priority=-1)
    call.returns(1003.0, s.next_due)
    clock.advance(10)
    s.run_pending()
    call.returns(None, s.next_due)


@pytest.mark.core
def test_random_operations_match_a_sorted_list_model(impl):
    for seed in range(5):
        _check_against_model(impl, seed, steps=250)


def _check_against_model(impl, seed: int, steps: int) -> None:
    """Random schedule/cancel/advance/run_pending against a list sorted on every run."""
    rng = random.Random(seed)
    now = [1000.0]
    s = impl.TaskScheduler(clock=lambda: now[0])
    model: dict[int, dict] = {}
    outcomes: dict[int, list[bool]] = {}  # task id -> does call n fail?
    made: list[tuple[int, int]] = []  # (task id, call number) of every call the scheduler made
    expected: list[tuple[int, int]] = []
    keys = ("id", "name", "due", "priority", "every", "status", "runs", "attempts", "last_error")

    def task_fn(task_id: int) -> Callable[[], None]:
        count = [0]

        def job() -> None:
            count[0] += 1
            made.append((task_id, count[0]))
            if outcomes[task_id][count[0] - 1]:
                raise RuntimeError(f"task {task_id} call {count[0]}")
        return job

    for step in range(steps):
        op, where = rng.random(), f"seed {seed}, step {step}"
        if op < 0.35:
            task_id = len(model) + 1
            delay, every = rng.choice([0, 0, 1, 2, 3, 5, 8]), rng.choice([None, None, 1, 2, 5])
            priority, retries = rng.randint(-2, 2), rng.choice([0, 0, 1, 2])
            name = rng.choice([None, "b", "a"])
            fail_rate = rng.choice([0.0, 0.3, 0.7])
            outcomes[task_id] = [rng.random() < fail_rate for _ in range(300)]
            got = s.schedule(task_fn(task_id), delay=delay, every=every, priority=priority,
                             name=name, retries=retries)
            expect(f"{where}: schedule()", got, task_id)
            model[task_id] = {"id": task_id, "name": name or "job", "due": now[0] + delay,
                              "priority": priority, "every": every, "status": "pending", "runs": 0,
                              "attempts": 0, "last_error": None, "retries": retries, "calls": 0}
        elif op < 0.45 and model:
            task_id = rng.randint(1, len(model))
            want = model[task_id]["status"] == "pending"
            expect(f"{where}: cancel({task_id})", s.cancel(task_id), want)
            if want:
                model[task_id]["status"] = "cancelled"
        elif op < 0.7:
            now[0] += rng.choice([0, 1, 2, 3, 7])
        else:
            due = sorted((t for t in model.values() if t["status"] == "pending"
                          and t["due"] <= now[0]), key=lambda t: (t["due"], -t["priority"], t["id"]))
            for t in due:
                for _ in range(t["retries"] + 1):
                    t["calls"] += 1
                    t["attempts"] += 1
                    expected.append((t["id"], t["calls"]))
                    ok = not outcomes[t["id"]][t["calls"] - 1]
                    if ok:
                        break
                    t["last_error"] = f"RuntimeError: task {t['id']} call {t['calls']}"
                t["runs"] += 1
                if not ok:
                    t["status"] = "failed"
                elif t["every"] is None:
                    t["status"] = "done"
                else:
                    while t["due"] <= now[0]:
                        t["due"] += t["every"]
            expect(f"{where}: run_pending()", s.run_pending(), len(due))
            expect(f"{where}: the (task id, call number) of every call so far", made, expected)
        expect(f"{where}: tasks()", [fields(t) for t in s.tasks()],
               [tuple(t[k] for k in keys) for t in model.values()])
        pending = [t["due"] for t in model.values() if t["status"] == "pending"]
        expect(f"{where}: next_due()", s.next_due(), min(pending) if pending else None)


# --- edge -------------------------------------------------------------------------------------


@pytest.mark.edge
def test_task_due_exactly_now_runs(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop, delay=2)
    clock.advance(2)
    call.returns(1, s.run_pending)


@pytest.mark.edge
def test_ties_go_by_scheduling_order_never_by_name(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    for label in ("zulu", "mike", "alpha", "yankee"):
        s.schedule(recorder(log, label), delay=1, priority=2, name=label)
    clock.advance(1)
    call.returns(4, s.run_pending)
    expect("run order of four tasks alike but for their names", log,
           ["zulu", "mike", "alpha", "yankee"])


@pytest.mark.edge
def test_get_and_tasks_return_copies_not_live_tasks(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, delay=1)
    copy = s.get(task_id)
    copy.status, copy.due = "done", 0.0
    s.tasks()[0].priority = 99
    expect("get(1) after editing the copies", fields(s.get(task_id)),
           (1, "noop", 1001.0, 0, None, "pending", 0, 0, None))
    call.returns(1001.0, s.next_due)
    assert s.get(task_id) is not s.get(task_id), "get(1) returned the same object twice"


@pytest.mark.edge
def test_tasks_filters_by_status_in_scheduling_order(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    for delay in (9, 0, 5, 0):
        s.schedule(noop, delay=delay)
    s.schedule(failing(1))
    s.cancel(1)
    s.run_pending()
    for status, ids in ((None, [1, 2, 3, 4, 5]), ("done", [2, 4]), ("pending", [3]),
                        ("failed", [5]), ("cancelled", [1]), ("running", [])):
        expect(f"ids of tasks({status!r})", [t.id for t in s.tasks(status)], ids)


@pytest.mark.edge
def test_cancel_is_by_id_and_leaves_tasks_with_the_same_name(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    first = s.schedule(recorder(log, "first"), name="backup")
    s.schedule(recorder(log, "second"), name="backup")
    call.returns(True, s.cancel, first)
    call.returns(1, s.run_pending)
    expect("the tasks run", log, ["second"])
    expect("statuses", [t.status for t in s.tasks()], ["cancelled", "done"])


@pytest.mark.edge
def test_task_cancelled_by_an_earlier_task_in_the_same_run_does_not_run(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(lambda: s.cancel(2), priority=1)
    s.schedule(recorder(log, "victim"))
    call.returns(1, s.run_pending)
    expect("the tasks run", log, [])
    expect("get(2).status", s.get(2).status, "cancelled")


@pytest.mark.edge
def test_tasks_scheduled_during_a_run_wait_for_the_next_call(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(lambda: s.schedule(recorder(log, "child")))
    call.returns(1, s.run_pending)
    expect("the tasks run", log, [])
    call.returns(1000.0, s.next_due)
    call.returns(1, s.run_pending)
    expect("the tasks run by the second call", log, ["child"])


@pytest.mark.edge
def test_run_pending_reads_the_clock_once_so_a_task_falling_due_during_it_waits(impl, clock,
                                                                                call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(lambda: (log.append("first"), clock.advance(5)), priority=1)
    s.schedule(recorder(log, "later"), delay=3)
    call.returns(1, s.run_pending)
    expect("the tasks run while the clock moved from 1000 to 1005", log, ["first"])
    call.returns(1, s.run_pending)
    expect("the tasks run by the second call", log, ["first", "later"])


@pytest.mark.edge
def test_task_cancelled_during_a_failing_attempt_is_not_retried(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)

    def cancel_then_fail() -> None:
        s.cancel(task_id)
        raise ValueError("gave up")
    task_id = s.schedule(cancel_then_fail, retries=3)
    call.returns(1, s.run_pending)
    expect("its state", state(s, task_id), ("cancelled", 1, 1, "ValueError: gave up"))


@pytest.mark.edge
def test_recurring_slot_is_strictly_after_now_despite_float_rounding(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, delay=10, every=0.55)
    due = s.get(task_id).due
    clock.now = due + 6 * 0.55  # (now - due) / every == 5.9999999999999165 in floats
    call.returns(1, s.run_pending)
    assert s.next_due() > clock.now, f"next_due() is {s.next_due()!r}, not after {clock.now!r}"
    call.returns(0, s.run_pending)


@pytest.mark.edge
@pytest.mark.timeout(2)
@pytest.mark.parametrize("start, every, now", [
    (1000.0, 7, 1000.0 + 7e12 + 3), (0.0, 1e-12, 1e9), (0.0, 1e-320, 5.0)],
    ids=["a-trillion-slots-behind", "tiny-interval-far-clock", "subnormal-interval"])
def test_a_recurring_task_far_behind_gets_its_next_slot_in_one_step(impl, new_clock, call, start,
                                                                    every, now):
    clock = new_clock(start)
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, every=every)
    clock.now = now
    call.returns(1, s.run_pending)
    due = s.next_due()
    if every == 7:
        expect("next_due() of an every=7 task run 7e12 + 3 s late", due, now + 4)
    assert due is not None and due > now, f"next_due() is {due!r}, not after {now!r}"
    expect("its status", s.get(task_id).status, "pending")
    call.returns(0, s.run_pending)


@pytest.mark.edge
def test_a_running_task_reports_running(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    seen: list[str] = []
    task_id = s.schedule(lambda: seen.append(s.get(task_id).status))
    s.run_pending()
    expect("get(1).status from inside its run", seen, ["running"])
    expect("get(1).status after it", s.get(task_id).status, "done")


@pytest.mark.edge
def test_a_keyboard_interrupt_in_a_task_escapes_and_leaves_the_rest_pending(impl, clock, call,
                                                                           error_naming):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)

    def interrupted() -> None:
        raise KeyboardInterrupt("ctrl-c")
    s.schedule(recorder(log, "before"), priority=2)
    stopped = s.schedule(interrupted, priority=1, retries=3)
    s.schedule(recorder(log, "after"))
    with error_naming(KeyboardInterrupt, call="run_pending() with a task raising Ctrl-C"):
        s.run_pending()
    expect("the tasks run before Ctrl-C", log, ["before"])
    status, _, attempts, error = state(s, stopped)
    expect("the interrupted task's (status, attempts)", (status, attempts), ("failed", 1))
    assert error and "KeyboardInterrupt" in error, f"its last_error is {error!r}"
    call.returns(1000.0, s.next_due)
    call.returns(1, s.run_pending)
    expect("the tasks run by the next call", log, ["before", "after"])


@pytest.mark.edge
def test_huge_priority_and_retries_are_plain_ints(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(recorder(log, "low"), priority=-10**400)
    s.schedule(recorder(log, "high"), priority=10**400, retries=10**400)
    call.returns(2, s.run_pending)
    expect("run order by priority +-10**400", log, ["high", "low"])
    expect("statuses", [t.status for t in s.tasks()], ["done", "done"])


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("kwargs, exc_type, fragments", [
    ({"delay": -1}, ValueError, ["delay", "-1"]),
    ({"delay": float("nan")}, ValueError, ["delay", "nan"]),
    ({"delay": float("inf")}, ValueError, ["delay", "inf"]),
    ({"delay": 10**400}, ValueError, ["delay"]),
    ({"delay": "5"}, TypeError, ["delay", "5"]),
    ({"delay": True}, TypeError, ["delay", "True"]),
    ({"every": 0}, ValueError, ["every", "0"]),
    ({"every": -2.5}, ValueError, ["every", "-2.5"]),
    ({"every": float("-inf")}, ValueError, ["every", "inf"]),
    ({"every": 10**400}, ValueError, ["every"]),
    ({"every": "10"}, TypeError, ["every", "10"]),
    ({"priority": 1.5}, TypeError, ["priority", "1.5"]),
    ({"priority": True}, TypeError, ["priority", "True"]),
    ({"retries": -1}, ValueError, ["retries", "-1"]),
    ({"retries": 2.0}, TypeError, ["retries", "2.0"]),
    ({"name": ""}, ValueError, ["name"]),
    ({"name": 7}, TypeError, ["name", "7"]),
], ids=lambda v: repr(v)[:40] if isinstance(v, dict) else None)
def test_schedule_rejects_bad_arguments_and_changes_nothing(impl, clock, call, kwargs, exc_type,
                                                            fragments):
    s = impl.TaskScheduler(clock=clock)
    call.raises(exc_type, s.schedule, noop, naming=fragments, **kwargs)
    expect("tasks() after the rejected call", s.tasks(), [])
    call.returns(None, s.next_due)
    call.returns(1, s.schedule, noop)


@pytest.mark.errors
@pytest.mark.parametrize("start, kwargs, fragment", [
    (1e9, {"every": 1e-12}, "every"), (1000.0, {"every": 1e-320}, "every"),
    (1e308, {"every": 1e308}, "every"), (1e308, {"delay": 1e308}, "delay")],
    ids=["every-below-the-clock's-precision", "subnormal-every", "every-past-every-float",
         "due-past-every-float"])
def test_schedule_rejects_a_due_time_that_floats_cannot_hold(impl, new_clock, call, start, kwargs,
                                                             fragment):
    s = impl.TaskScheduler(clock=new_clock(start))
    call.raises(ValueError, s.schedule, noop, naming=fragment, **kwargs)
    call.returns(1, s.schedule, noop)


@pytest.mark.errors
def test_schedule_rejects_a_non_callable(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    call.raises(TypeError, s.schedule, 42, naming=["fn", "42"])
    expect("tasks() after the rejected call", s.tasks(), [])


@pytest.mark.errors
def test_unknown_task_id_raises_task_not_found(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop)
    assert issubclass(impl.TaskNotFoundError, impl.SchedulerError), \
        "TaskNotFoundError is not a subclass of SchedulerError"
    call.raises(impl.TaskNotFoundError, s.get, 99, naming="99")
    call.raises(impl.TaskNotFoundError, s.cancel, 0, naming="0")
    expect("get(1).status", s.get(1).status, "pending")


@pytest.mark.errors
def test_task_id_must_be_an_int(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop)
    call.raises(TypeError, s.get, "1", naming="1")
    call.raises(TypeError, s.cancel, True, naming="True")
    expect("get(1).status", s.get(1).status, "pending")


@pytest.mark.errors
def test_tasks_rejects_an_unknown_status(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    call.raises(ValueError, s.tasks, "bogus", naming="bogus")
    call.raises(TypeError, s.tasks, 3, naming="3")


@pytest.mark.errors
def test_clock_must_be_callable(impl, call):
    call.raises(TypeError, impl.TaskScheduler, clock=12.5, naming=["clock", "12.5"])


@pytest.mark.errors
@pytest.mark.timeout(10)
def test_start_while_running_raises_scheduler_error(impl, call):
    s = impl.TaskScheduler()
    s.start()
    try:
        call.raises(impl.SchedulerError, s.start)
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"


# --- the command line -------------------------------------------------------------------------


def py(code: str) -> list[str]:
    """A command running a Python snippet: portable, and quick without site-packages (-S)."""
    return [sys.executable, "-I", "-S", "-c", code]


def write_jobs(tmp_path: Path, jobs: object, name: str = "jobs.json") -> Path:
    path = tmp_path / name
    path.write_text(jobs if isinstance(jobs, str) else json.dumps(jobs), encoding="utf-8")
    return path


def runs_of(ran) -> list[tuple[float, str, int]]:
    """(seconds, name, exit code) of every line the CLI printed."""
    lines = ran.out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), f"every line must read 'SECONDSs NAME exit CODE', got {lines}"
    return [(float(m[1]), m[2], int(m[3])) for m in parsed]


def runs_by_name(ran) -> list[tuple[str, int]]:
    return [(name, code) for _, name, code in runs_of(ran)]


@pytest.mark.core
def test_cli_runs_each_job_once_in_due_order_and_prints_one_line_per_run(impl, tmp_path, cli):
    jobs = write_jobs(tmp_path, [
        {"name": "nightly report", "command": py("pass"), "delay": 0.05},
        {"name": "first", "command": py("import sys; sys.exit(3)"), "delay": 0},
    ])
    ran = cli(impl.main, str(jobs))
    expect(f"main([jobs]) exit code (stderr {ran.err!r})", ran.code, 0)
    runs = runs_of(ran)
    expect("(name, exit) of each run", [(n, c) for _, n, c in runs],
           [("first", 3), ("nightly report", 0)])
    assert runs[0][0] <= runs[1][0] and runs[1][0] >= 0.04, \
        f"a job with delay 0.05 ran at {runs[1][0]}s, after one at {runs[0][0]}s"


@pytest.mark.core
def test_cli_prints_one_line_per_attempt_of_a_failing_command(impl, tmp_path, cli):
    jobs = write_jobs(tmp_path, [
        {"name": "flaky", "command": py("import sys; sys.exit(1)"), "delay": 0, "retries": 2}])
    ran = cli(impl.main, str(jobs))
    expect(f"main([jobs]) exit code (stderr {ran.err!r})", ran.code, 0)
    expect("(name, exit) of each attempt, retries=2", runs_by_name(ran), [("flaky", 1)] * 3)


@pytest.mark.core
def test_cli_repeats_a_recurring_job_until_the_for_window_ends(impl, tmp_path, cli):
    jobs = write_jobs(tmp_path, [
        {"name": "tick", "command": py("pass"), "delay": 0, "every": 0.04, "priority": 1}])
    ran = cli(impl.main, str(jobs), "--for", "0.2")
    expect(f"main([jobs, '--for', '0.2']) exit code (stderr {ran.err!r})", ran.code, 0)
    runs = runs_of(ran)
    # slots 0, 0.04, ... 0.2: six runs at most, and at least two however slow a run is (< 0.16 s)
    assert 2 <= len(runs) <= 6 and {name for _, name, _ in runs} == {"tick"}, \
        f"an every=0.04 job in a 0.2 s window ran {runs}, expected 2 to 6 runs"
    starts = [t for t, _, _ in runs]
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert all(gap >= 0.025 for gap in gaps), f"an every=0.04 job ran at {starts}: a burst"


@pytest.mark.errors
@pytest.mark.parametrize("jobs, fragments", [
    ("[{not json", ["jobs.json"]),
    ("[" * 100_000, ["jobs.json"]),
    ({"name": "x"}, ["jobs.json"]),
    (["backup"], ["job 1"]),
    ([{"name": "backup", "command": ["true"]}], ["job 1", "delay"]),
    ([{"name": "backup", "delay": 0}], ["job 1", "command"]),
    ([{"command": ["true"], "delay": 0}], ["job 1", "name"]),
    ([{"name": "backup", "command": "echo hi", "delay": 0}], ["job 1", "command"]),
    ([{"name": "backup", "command": [], "delay": 0}], ["job 1", "command"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "evry": 5}], ["job 1", "evry"]),
    ([{"name": "backup", "command": ["true"], "delay": "soon"}], ["job 1", "delay"]),
    ([{"name": "backup", "command": ["true"], "delay": 10**400}], ["job 1", "delay"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "every": 0}], ["job 1", "every"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "retries": -2}], ["job 1", "retries"]),
    ([{"name": "a", "command": ["true"], "delay": 0},
      {"name": 5, "command": ["true"], "delay": 0}], ["job 2", "name"]),
    ([{"name": "ok", "command": ["true"], "delay": 0},
      {"name": "backup", "command": ["true"], "delay": -1}], ["job 2", "delay"]),
], ids=["invalid-json", "nested-100000-deep", "not-a-list", "job-not-an-object", "missing-delay",
        "missing-command", "missing-name", "command-a-string", "command-empty", "unknown-field",
        "delay-a-string", "delay-10**400", "every-zero", "retries-negative", "name-not-a-str",
        "second-job-bad"])
def test_cli_main_rejects_a_bad_file_with_exit_2_and_runs_nothing(impl, tmp_path, cli, jobs,
                                                                  fragments):
    ran = cli(impl.main, str(write_jobs(tmp_path, jobs)))
    expect(f"main([jobs]) exit code (stderr {ran.err[:200]!r})", ran.code, 2)
    expect("main([jobs]) stdout: no job may run when the file has a bad one", ran.out, "")
    message = ran.err.strip()
    assert message and "\n" not in message, f"main([jobs]) printed {message[:300]!r}, " \
                                            f"expected one line on stderr"
    missing = [f for f in fragments if f not in message]
    assert not missing, f"main([jobs]) said {message!r}, which does not name {missing}"


@pytest.mark.errors
def test_cli_main_names_a_missing_file(impl, tmp_path, cli):
    ran = cli(impl.main, str(tmp_path / "nowhere.json"))
    expect("main(['nowhere.json']) exit code", ran.code, 2)
    assert "nowhere.json" in ran.err, f"main(['nowhere.json']) said {ran.err!r}"


@pytest.mark.errors
@pytest.mark.parametrize("window", ["-1", "nan", "inf", "soon"])
def test_cli_main_rejects_a_for_window_that_is_not_a_finite_number(impl, tmp_path, cli, window):
    jobs = write_jobs(tmp_path, [{"name": "a", "command": py("pass"), "delay": 0}])
    ran = cli(impl.main, str(jobs), "--for", window)
    expect(f"main([jobs, '--for', {window!r}]) exit code", ran.code, 2)
    expect(f"main([jobs, '--for', {window!r}]) stdout", ran.out, "")
    assert "--for" in ran.err, f"main([jobs, '--for', {window!r}]) said {ran.err!r}"


@pytest.mark.edge
def test_cli_main_reports_a_command_that_cannot_start_as_exit_127(impl, tmp_path, cli):
    jobs = write_jobs(tmp_path, [
        {"name": "ghost", "command": ["no-such-command-for-the-kata"], "delay": 0},
        {"name": "nul", "command": py("pass\0"), "delay": 0}])
    ran = cli(impl.main, str(jobs))
    expect("main([jobs]) exit code", ran.code, 0)
    expect("(name, exit) of each run", runs_by_name(ran), [("ghost", 127), ("nul", 127)])
    for name in ("ghost", "nul"):
        assert name in ran.err, f"main([jobs]) said {ran.err!r} on stderr, not naming {name!r}"


@pytest.mark.edge
@pytest.mark.timeout(20)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT cannot be sent to a child on Windows")
def test_cli_ctrl_c_stops_cleanly_with_exit_130(impl_file, tmp_path):
    jobs = write_jobs(tmp_path, [{"name": "tick", "command": py("pass"), "delay": 0, "every": 30}])
    child = subprocess.Popen([sys.executable, str(impl_file), str(jobs)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = child.stdout.readline()  # the first run is over: the CLI now sleeps 30 s
        assert LINE.match(first.strip()), f"the CLI's first line is {first!r}, expected a run"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    expect(f"the CLI's exit code after Ctrl-C (stderr {err[-300:]!r})", child.returncode, 130)
    assert "Traceback" not in err, f"the CLI printed a traceback on Ctrl-C: {err[-300:]!r}"


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_schedule_from_many_threads_gives_unique_ids(impl, clock, call, run_threads):
    s = impl.TaskScheduler(clock=clock)
    per_thread, threads = 300, 8
    ran: list[int] = []
    ids = run_threads(threads, lambda n: [s.schedule(lambda: ran.append(1), priority=n)
                                          for _ in range(per_thread)])
    every_id = sorted(i for chunk in ids for i in chunk)
    expect("ids from 8 threads scheduling at once", every_id,
           list(range(1, per_thread * threads + 1)))
    call.returns(per_thread * threads, s.run_pending)
    expect("calls", len(ran), per_thread * threads)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_run_pending_runs_each_task_exactly_once(impl, clock, run_threads):
    s = impl.TaskScheduler(clock=clock)
    counts = [0] * 2000
    for i in range(len(counts)):
        def bump(i: int = i) -> None:
            counts[i] += 1
        s.schedule(bump, delay=i % 7, priority=i % 3)
    clock.advance(10)
    totals = run_threads(4, lambda n: s.run_pending())
    expect("the sum of 4 concurrent run_pending() results", sum(totals), len(counts))
    twice = [i + 1 for i, count in enumerate(counts) if count != 1]
    expect("ids of tasks not run exactly once", twice, [])


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_cancel_racing_run_pending_leaves_every_task_consistent(impl, clock, run_threads):
    s = impl.TaskScheduler(clock=clock)
    ran: set[int] = set()
    ids = [s.schedule(lambda i=i: ran.add(i)) for i in range(1, 1501)]
    cancelled: dict[int, bool] = {}

    def work(n: int) -> None:
        if n == 0:
            s.run_pending()
        else:
            for task_id in reversed(ids):
                cancelled[task_id] = s.cancel(task_id)
    run_threads(2, work)
    for task in s.tasks():
        assert task.status in ("cancelled", "done"), f"task {task.id} ended {task.status!r}"
        expect(f"cancel({task.id}) while it was {task.status}", cancelled[task.id],
               task.status == "cancelled")
        expect(f"whether task {task.id} ran, runs={task.runs}", task.id in ran, task.runs == 1)
        assert task.id in ran or task.status == "cancelled", f"task {task.id} never ran"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_cancel_from_another_thread_while_the_task_runs(impl, clock, call, run_threads):
    s = impl.TaskScheduler(clock=clock)
    started, proceed = threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        proceed.wait(timeout=5)
    task_id = s.schedule(slow, every=1)

    def work(n: int) -> object:
        if n == 0:
            return s.run_pending()
        try:
            assert started.wait(timeout=5), "the task did not start"
            return s.get(task_id).status, s.cancel(task_id)
        finally:
            proceed.set()
    _, seen = run_threads(2, work)
    expect("(status, cancel()) of a task seen while it runs", seen, ("running", True))
    expect("its state", state(s, task_id), ("cancelled", 1, 1, None))
    clock.advance(5)
    call.returns(0, s.run_pending)
    call.returns(None, s.next_due)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_a_task_may_use_the_scheduler_without_deadlock(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    seen: list[object] = []

    def busy() -> None:
        child = s.schedule(noop, delay=1)
        seen.append(s.cancel(child))
        seen.append(len(s.tasks()))
        seen.append(s.next_due())
        seen.append(s.run_pending())
    s.schedule(busy)
    call.returns(1, s.run_pending)
    expect("schedule, cancel, tasks, next_due, run_pending from inside a task", seen,
           [True, 2, None, 0])


# --- extension: the background runner ---------------------------------------------------------


def clock_watched_from_other_threads() -> tuple[Callable[[], float], threading.Event]:
    """A real clock, and an event set whenever a thread other than this one reads it."""
    read, main = threading.Event(), threading.current_thread()

    def clock() -> float:
        if threading.current_thread() is not main:
            read.set()
        return time.monotonic()
    return clock, read


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_runs_due_tasks_in_the_background(impl):
    s = impl.TaskScheduler()
    ran = threading.Event()
    s.schedule(ran.set, delay=0.01)
    s.start()
    try:
        assert ran.wait(timeout=5), "the runner did not run a task due in 0.01 s"
    finally:
        assert s.stop(timeout=5) is True, "stop(timeout=5) did not return True"
    expect("the task's status", s.tasks()[0].status, "done")


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_wakes_for_a_task_scheduled_earlier_than_the_one_it_sleeps_for(impl):
    clock, runner_read_clock = clock_watched_from_other_threads()
    s = impl.TaskScheduler(clock=clock)
    late, early = threading.Event(), threading.Event()
    s.schedule(late.set, delay=30)
    s.start()
    try:
        assert runner_read_clock.wait(timeout=5), "the runner never read the clock"
        s.schedule(early.set, delay=0.02)
        assert early.wait(timeout=2), "the runner slept through a task scheduled earlier"
        assert not late.is_set(), "the runner ran a task due in 30 s"
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_idle_runner_sleeps_without_cpu_or_polling(impl):
    reads = [0]

    def counting_clock() -> float:
        reads[0] += 1
        return time.monotonic()
    s = impl.TaskScheduler(clock=counting_clock)
    s.schedule(noop, delay=60)
    s.start()
    try:
        threading.Event().wait(0.02)  # let it settle into its sleep
        reads_before, cpu_before, wall_before = reads[0], time.process_time(), time.perf_counter()
        threading.Event().wait(0.15)  # an idle spell
        cpu = time.process_time() - cpu_before
        wall = time.perf_counter() - wall_before
        wakeups = reads[0] - reads_before
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"
    assert cpu / wall < 0.1, f"the idle runner used {cpu / wall:.0%} of a CPU"
    assert wakeups <= 3, f"the idle runner read the clock {wakeups} times in {wall:.2f} s: polling"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_repeats_a_recurring_task_and_stops_it_on_cancel(impl):
    s = impl.TaskScheduler()
    count, third = [0], threading.Event()

    def tick() -> None:
        count[0] += 1
        if count[0] == 3:
            third.set()
    task_id = s.schedule(tick, every=0.01)
    s.start()
    try:
        assert third.wait(timeout=5), f"an every=0.01 task ran {count[0]} times in 5 s"
        s.cancel(task_id)
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"
    task = s.get(task_id)
    assert task.runs >= 3 and task.status == "cancelled", \
        f"the cancelled task has runs={task.runs}, status={task.status!r}"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_wakes_on_a_cancel_and_never_runs_the_cancelled_task(impl, clock, call):
    main, runner_read_clock = threading.current_thread(), threading.Event()

    def watched_clock() -> float:
        if threading.current_thread() is not main:
            runner_read_clock.set()
        return clock()
    s = impl.TaskScheduler(clock=watched_clock)
    victim_ran, kept_ran = threading.Event(), threading.Event()
    victim = s.schedule(victim_ran.set, delay=10)
    s.schedule(kept_ran.set, delay=20)
    s.start()
    try:
        assert runner_read_clock.wait(timeout=5), "the runner never read the clock"
        runner_read_clock.clear()
        call.returns(True, s.cancel, victim)
        assert runner_read_clock.wait(timeout=1), \
            "the runner slept on when the task it sleeps for was cancelled"
        clock.now = 1015.0  # a task due before the kept one wakes the runner; it moves the clock
        s.schedule(lambda: clock.advance(10))  # past the due times of both
        assert kept_ran.wait(timeout=5), "the runner did not run a task overdue"
        assert not victim_ran.is_set(), "the runner ran a cancelled task"
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_stopped_runner_runs_nothing_and_can_start_again(impl, call):
    s = impl.TaskScheduler()
    call.returns(True, s.stop)  # never started: nothing to stop
    s.start()
    call.returns(True, s.stop, timeout=5)
    ran = threading.Event()
    task_id = s.schedule(ran.set)
    assert not ran.wait(timeout=0.02), "a stopped runner ran a task"
    expect("the task's status while the runner is stopped", s.get(task_id).status, "pending")
    s.start()
    try:
        assert ran.wait(timeout=5), "the restarted runner did not run a due task"
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_stop_called_by_a_task_stops_the_runner_after_that_task(impl):
    s = impl.TaskScheduler()
    answers: list[bool] = []
    returned = threading.Event()

    def stopper() -> None:
        try:
            answers.append(s.stop())
        finally:
            returned.set()
    first = s.schedule(stopper, priority=1)
    second = s.schedule(noop)  # due too, but the runner stops after the current task
    s.start()
    try:
        assert returned.wait(timeout=5), "stop() called by a task on the runner did not return"
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) after the task returned False"
    expect("the state of the task that called stop()", state(s, first), ("done", 1, 1, None))
    expect("stop() called by a task on the runner", answers, [False])
    expect("a due task after it", s.get(second).status, "pending")


# --- perf -------------------------------------------------------------------------------------


@pytest.mark.perf
def test_schedule_and_run_pending_grow_as_n_log_n(impl, timed):
    rng = random.Random(7)
    params = [(rng.randrange(1000), rng.randrange(10)) for _ in range(8000)]

    def workload(n: int) -> Callable[[], None]:
        def run() -> None:
            now = [0.0]
            s = impl.TaskScheduler(clock=lambda: now[0])
            for delay, priority in params[:n]:
                s.schedule(noop, delay=delay, priority=priority)
            now[0] = 1000.0
            assert s.run_pending() == n, f"run_pending() ran fewer than all {n} tasks"
        return run

    ratio = timed.ratio(workload(8000), workload(500), at_most=60, repeats=3,
                        timer=time.process_time)
    # n log n predicts about 23x (16x the tasks, 1.4x the heap depth); a scan per task gives 150x
    assert ratio < 60, f"scheduling and running 16x the tasks took {ratio:.0f}x as long"


# --- change request: tasks that run after others ----------------------------------------------


@pytest.mark.change
def test_a_task_waits_until_the_tasks_it_comes_after_are_done(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    first = s.schedule(recorder(log, "first"), delay=5)
    s.schedule(recorder(log, "second"), delay=1, priority=9, after=[first])
    clock.advance(2)
    call.returns(0, s.run_pending)  # due, but waiting for the first
    call.returns(1005.0, s.next_due)
    clock.advance(3)
    call.returns(1, s.run_pending)
    expect("the tasks run once the first was due", log, ["first"])
    call.returns(1001.0, s.next_due)  # released: its own due time, passed already
    call.returns(1, s.run_pending)
    expect("the tasks run by the next call", log, ["first", "second"])


@pytest.mark.change
def test_a_waiting_task_never_holds_back_others(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    blocker = s.schedule(recorder(log, "blocker"), delay=50)
    s.schedule(recorder(log, "waiting"), priority=100, after=(blocker,))
    s.schedule(recorder(log, "free"), priority=-100)
    call.returns(1, s.run_pending)
    expect("the tasks run", log, ["free"])
    call.returns(1050.0, s.next_due)
    expect("statuses", [t.status for t in s.tasks()], ["pending", "pending", "done"])


@pytest.mark.change
def test_a_failed_dependency_fails_the_waiting_tasks_in_turn(impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    root = s.schedule(failing(99), retries=1)
    child = s.schedule(recorder(log, "child"), after=[root])
    grandchild = s.schedule(recorder(log, "grandchild"), after=[child])
    call.returns(1, s.run_pending)
    expect("the child's state", state(s, child), ("failed", 0, 0, f"dependency {root} failed"))
    expect("the grandchild's state", state(s, grandchild),
           ("failed", 0, 0, f"dependency {child} failed"))
    call.returns(None, s.next_due)
    clock.advance(10)
    call.returns(0, s.run_pending)
    expect("the tasks run", log, [])


@pytest.mark.change
def test_cancelling_a_dependency_fails_its_waiting_tasks_and_a_waiting_task_can_be_cancelled(
        impl, clock, call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    dependency = s.schedule(recorder(log, "dependency"), delay=5)
    waiting = s.schedule(recorder(log, "waiting"), after=[dependency])
    other = s.schedule(recorder(log, "other"), delay=5)
    unwanted = s.schedule(recorder(log, "unwanted"), after=[other])
    call.returns(True, s.cancel, dependency)
    expect("the waiting task's state", state(s, waiting),
           ("failed", 0, 0, f"dependency {dependency} cancelled"))
    call.returns(True, s.cancel, unwanted)
    clock.advance(5)
    call.returns(1, s.run_pending)
    call.returns(0, s.run_pending)
    expect("the tasks run", log, ["other"])
    expect("statuses", [t.status for t in s.tasks()], ["cancelled", "failed", "done", "cancelled"])


@pytest.mark.change
def test_after_a_done_task_runs_and_after_a_failed_or_cancelled_one_fails_at_once(impl, clock,
                                                                                  call):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    done, failed = s.schedule(noop), s.schedule(failing(99))
    s.run_pending()
    cancelled = s.schedule(noop, delay=9)
    s.cancel(cancelled)
    ready = s.schedule(recorder(log, "ready"), after=[done])
    doomed = call.returns(5, s.schedule, recorder(log, "doomed"), after=[done, failed])
    void = call.returns(6, s.schedule, recorder(log, "void"), after=[cancelled])
    expect("state after a failed task", state(s, doomed),
           ("failed", 0, 0, f"dependency {failed} failed"))
    expect("state after a cancelled task", state(s, void),
           ("failed", 0, 0, f"dependency {cancelled} cancelled"))
    call.returns(1, s.run_pending)
    expect("the tasks run", log, ["ready"])
    expect("the task after a done one", s.get(ready).status, "done")


@pytest.mark.change
def test_after_rejects_bad_ids_and_changes_nothing(impl, clock, call):
    s = impl.TaskScheduler(clock=clock)
    one = s.schedule(noop, delay=1)
    recurring = s.schedule(noop, every=5)
    call.raises(impl.TaskNotFoundError, s.schedule, noop, after=[one, 99], naming="99")
    call.raises(ValueError, s.schedule, noop, after=[recurring], naming=str(recurring))
    call.raises(TypeError, s.schedule, noop, after=["1"], naming="1")
    call.raises(TypeError, s.schedule, noop, after=[True], naming="True")
    call.raises(TypeError, s.schedule, noop, after=7, naming="7")
    expect("ids of tasks()", [t.id for t in s.tasks()], [1, 2])
    call.returns(3, s.schedule, noop, after=[one])
    call.returns(1, s.run_pending)  # the recurring one; task 3 still waits for task 1


@pytest.mark.change
@pytest.mark.timeout(10)
def test_runner_runs_a_task_released_by_its_dependency(impl):
    s = impl.TaskScheduler()
    released = threading.Event()
    first = s.schedule(noop, delay=0.01)
    s.schedule(released.set, after=[first])
    s.start()
    try:
        assert released.wait(timeout=5), "the runner never ran a task released by its dependency"
    finally:
        assert s.stop(timeout=5), "stop(timeout=5) returned False"
