"""Task scheduler: run order, retries, recurrence, cancel, the background runner and the CLI."""

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


# --- core -------------------------------------------------------------------------------------


@pytest.mark.core
def test_schedule_returns_ids_in_order_and_the_task_is_due_after_its_delay(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    assert s.schedule(noop, delay=5) == 1
    assert s.schedule(noop, delay=2.5, every=10, priority=3, name="tick", retries=1) == 2
    assert s.get(1) == impl.Task(id=1, name="noop", due=1005.0, priority=0, every=None,
                                 status="pending", runs=0, attempts=0, last_error=None)
    assert fields(s.get(2)) == (2, "tick", 1002.5, 3, 10, "pending", 0, 0, None)
    assert s.next_due() == 1002.5


@pytest.mark.core
def test_run_pending_runs_only_due_tasks_and_returns_how_many_ran(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(recorder(log, "now"))
    s.schedule(recorder(log, "soon"), delay=5)
    s.schedule(recorder(log, "later"), delay=50)
    assert s.run_pending() == 1
    clock.advance(5)
    assert s.run_pending() == 1
    assert log == ["now", "soon"]
    assert [t.status for t in s.tasks()] == ["done", "done", "pending"]
    assert fields(s.get(1))[5:] == ("done", 1, 1, None)
    assert s.run_pending() == 0


@pytest.mark.core
def test_run_order_is_due_time_then_higher_priority_then_scheduling_order(impl, clock):
    table = [  # label, delay, priority, in scheduling order
        ("c", 2, 0), ("a", 1, 0), ("b", 1, 5), ("d", 2, 0), ("e", 1, 5), ("f", 0, -3), ("g", 2, 1)]
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    for label, delay, priority in table:
        s.schedule(recorder(log, label), delay=delay, priority=priority)
    clock.advance(10)
    assert s.run_pending() == len(table)
    assert log == ["f", "b", "e", "a", "g", "c", "d"]


@pytest.mark.core
def test_a_future_high_priority_task_never_blocks_a_due_low_priority_one(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(recorder(log, "urgent-but-later"), delay=10, priority=100)
    s.schedule(recorder(log, "due-now"), priority=-100)
    assert s.run_pending() == 1
    assert log == ["due-now"]
    assert s.next_due() == 1010.0


@pytest.mark.core
def test_a_raising_task_does_not_stop_the_others_nor_escape(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    bad = s.schedule(failing(99), priority=1)
    s.schedule(recorder(log, "after"))
    assert s.run_pending() == 2
    assert log == ["after"]
    assert fields(s.get(bad))[5:] == ("failed", 1, 1, "ValueError: boom 1")


@pytest.mark.core
def test_failing_task_is_retried_in_the_same_call_then_marked_failed(impl, clock):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(99, calls), retries=2)
    assert s.run_pending() == 1
    assert len(calls) == 3
    assert fields(s.get(task_id))[5:] == ("failed", 1, 3, "ValueError: boom 3")
    clock.advance(100)
    assert s.run_pending() == 0 and len(calls) == 3


@pytest.mark.core
def test_task_that_succeeds_on_a_retry_is_done(impl, clock):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(2, calls), retries=5)
    assert s.run_pending() == 1
    assert len(calls) == 3
    task = s.get(task_id)
    assert (task.status, task.runs, task.attempts) == ("done", 1, 3)
    assert task.last_error == "ValueError: boom 2"


@pytest.mark.core
def test_recurring_task_keeps_its_schedule_without_drift(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, every=10)
    clock.advance(3)  # runs 3 s late: the next slot is still 1010, not 1013
    assert s.run_pending() == 1
    assert s.next_due() == 1010.0
    clock.advance(9)
    assert s.run_pending() == 1
    assert s.next_due() == 1020.0
    assert fields(s.get(task_id))[5:] == ("pending", 2, 2, None)


@pytest.mark.core
def test_late_recurring_task_runs_once_and_skips_the_missed_slots(impl, clock):
    calls: list[int] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(lambda: calls.append(1), every=10)
    clock.advance(35)
    assert s.run_pending() == 1
    assert s.get(task_id).due == 1040.0
    assert s.run_pending() == 0
    assert len(calls) == 1


@pytest.mark.core
def test_recurring_task_that_fails_every_attempt_stops(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(failing(99), every=5, retries=1)
    assert s.run_pending() == 1
    assert fields(s.get(task_id))[5:] == ("failed", 1, 2, "ValueError: boom 2")
    assert s.next_due() is None


@pytest.mark.core
def test_cancel_a_pending_task_so_it_never_runs(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(recorder(log, "x"), delay=1)
    assert s.cancel(task_id) is True
    assert s.cancel(task_id) is False
    clock.advance(5)
    assert s.run_pending() == 0
    assert log == []
    assert s.get(task_id).status == "cancelled"
    assert s.next_due() is None


@pytest.mark.core
def test_cancel_returns_false_for_done_and_failed_tasks(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    done = s.schedule(noop)
    failed = s.schedule(failing(99))
    s.run_pending()
    assert (s.cancel(done), s.cancel(failed)) == (False, False)
    assert [t.status for t in s.tasks()] == ["done", "failed"]


@pytest.mark.core
def test_recurring_task_cancelled_inside_its_own_run_does_not_run_again(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    answers: list[bool] = []
    task_id = s.schedule(lambda: answers.append(s.cancel(task_id)), every=1)
    assert s.run_pending() == 1
    assert answers == [True]
    clock.advance(10)
    assert s.run_pending() == 0
    assert fields(s.get(task_id))[5:] == ("cancelled", 1, 1, None)
    assert s.next_due() is None


@pytest.mark.core
def test_next_due_is_the_earliest_pending_task_or_none(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    assert s.next_due() is None
    s.schedule(noop, delay=7)
    s.schedule(noop, delay=3, priority=-1)
    assert s.next_due() == 1003.0
    clock.advance(10)
    s.run_pending()
    assert s.next_due() is None


@pytest.mark.core
def test_random_operations_match_a_sorted_list_model(impl):
    for seed in range(8):
        _check_against_model(impl, seed, steps=350)


def _check_against_model(impl, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    now = [1000.0]
    s = impl.TaskScheduler(clock=lambda: now[0])
    model: dict[int, dict] = {}
    outcomes: dict[int, list[bool]] = {}  # task id -> does call n fail?
    made: list[tuple[int, int]] = []  # (task id, call number) of every call the scheduler made
    expected: list[tuple[int, int]] = []

    def task_fn(task_id: int) -> Callable[[], None]:
        count = [0]

        def job() -> None:
            count[0] += 1
            made.append((task_id, count[0]))
            if outcomes[task_id][count[0] - 1]:
                raise RuntimeError(f"task {task_id} call {count[0]}")
        return job

    for step in range(steps):
        op = rng.random()
        if op < 0.35:
            task_id = len(model) + 1
            delay, every = rng.choice([0, 0, 1, 2, 3, 5, 8]), rng.choice([None, None, 1, 2, 5])
            priority, retries = rng.randint(-2, 2), rng.choice([0, 0, 1, 2])
            name = rng.choice([None, "a", "b"])
            fail_rate = rng.choice([0.0, 0.3, 0.7])
            outcomes[task_id] = [rng.random() < fail_rate for _ in range(400)]
            assert s.schedule(task_fn(task_id), delay=delay, every=every, priority=priority,
                              name=name, retries=retries) == task_id
            model[task_id] = {"id": task_id, "name": name or "job", "due": now[0] + delay,
                              "priority": priority, "every": every, "status": "pending", "runs": 0,
                              "attempts": 0, "last_error": None, "retries": retries, "calls": 0}
        elif op < 0.45 and model:
            task_id = rng.randint(1, len(model))
            want = model[task_id]["status"] == "pending"
            assert s.cancel(task_id) is want, (seed, step)
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
            assert s.run_pending() == len(due), (seed, step)
        assert made == expected, (seed, step)
        keys = ("id", "name", "due", "priority", "every", "status", "runs", "attempts", "last_error")
        assert [fields(t) for t in s.tasks()] == [tuple(t[k] for k in keys)
                                                  for t in model.values()], (seed, step)
        pending = [t["due"] for t in model.values() if t["status"] == "pending"]
        assert s.next_due() == (min(pending) if pending else None), (seed, step)


# --- edge -------------------------------------------------------------------------------------


@pytest.mark.edge
def test_task_due_exactly_now_runs(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop, delay=2)
    clock.advance(2)
    assert s.run_pending() == 1


@pytest.mark.edge
def test_get_and_tasks_return_copies_not_live_tasks(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, delay=1)
    copy = s.get(task_id)
    copy.status, copy.due = "done", 0.0
    s.tasks()[0].priority = 99
    assert fields(s.get(task_id)) == (1, "noop", 1001.0, 0, None, "pending", 0, 0, None)
    assert s.next_due() == 1001.0
    assert s.get(task_id) is not s.get(task_id)


@pytest.mark.edge
def test_tasks_filters_by_status_in_scheduling_order(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    for delay in (9, 0, 5, 0):
        s.schedule(noop, delay=delay)
    s.schedule(failing(1))
    s.cancel(1)
    s.run_pending()
    assert [t.id for t in s.tasks()] == [1, 2, 3, 4, 5]
    assert [t.id for t in s.tasks("done")] == [2, 4]
    assert [t.id for t in s.tasks(status="pending")] == [3]
    assert [t.id for t in s.tasks("failed")] == [5]
    assert [t.id for t in s.tasks("cancelled")] == [1]
    assert s.tasks("running") == []


@pytest.mark.edge
def test_cancel_is_by_id_and_leaves_tasks_with_the_same_name(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    first = s.schedule(recorder(log, "first"), name="backup")
    s.schedule(recorder(log, "second"), name="backup")
    assert s.cancel(first) is True
    assert s.run_pending() == 1
    assert log == ["second"]
    assert [t.status for t in s.tasks()] == ["cancelled", "done"]


@pytest.mark.edge
def test_task_cancelled_by_an_earlier_task_in_the_same_run_does_not_run(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(lambda: s.cancel(2), priority=1)
    s.schedule(recorder(log, "victim"))
    assert s.run_pending() == 1
    assert log == []
    assert s.get(2).status == "cancelled"


@pytest.mark.edge
def test_tasks_scheduled_during_a_run_wait_for_the_next_call(impl, clock):
    log: list[str] = []
    s = impl.TaskScheduler(clock=clock)
    s.schedule(lambda: s.schedule(recorder(log, "child")))
    assert s.run_pending() == 1
    assert log == []
    assert s.next_due() == 1000.0
    assert s.run_pending() == 1
    assert log == ["child"]


@pytest.mark.edge
def test_task_cancelled_during_a_failing_attempt_is_not_retried(impl, clock):
    s = impl.TaskScheduler(clock=clock)

    def cancel_then_fail() -> None:
        s.cancel(task_id)
        raise ValueError("gave up")
    task_id = s.schedule(cancel_then_fail, retries=3)
    assert s.run_pending() == 1
    assert fields(s.get(task_id))[5:] == ("cancelled", 1, 1, "ValueError: gave up")


@pytest.mark.edge
def test_recurring_slot_is_strictly_after_now_despite_float_rounding(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    task_id = s.schedule(noop, delay=10, every=0.55)
    due = s.get(task_id).due
    clock.now = due + 6 * 0.55  # (now - due) / every == 5.9999999999999165 in floats
    assert s.run_pending() == 1
    assert s.next_due() > clock.now
    assert s.run_pending() == 0


@pytest.mark.edge
def test_a_running_task_reports_running(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    seen: list[str] = []
    task_id = s.schedule(lambda: seen.append(s.get(task_id).status))
    s.run_pending()
    assert seen == ["running"]
    assert s.get(task_id).status == "done"


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("kwargs, exc_type, fragments", [
    ({"delay": -1}, ValueError, ["delay", "-1"]),
    ({"delay": float("nan")}, ValueError, ["delay", "nan"]),
    ({"delay": float("inf")}, ValueError, ["delay", "inf"]),
    ({"delay": "5"}, TypeError, ["delay", "'5'"]),
    ({"delay": True}, TypeError, ["delay", "True"]),
    ({"every": 0}, ValueError, ["every", "0"]),
    ({"every": -2.5}, ValueError, ["every", "-2.5"]),
    ({"every": "10"}, TypeError, ["every", "'10'"]),
    ({"priority": 1.5}, TypeError, ["priority", "1.5"]),
    ({"priority": True}, TypeError, ["priority", "True"]),
    ({"retries": -1}, ValueError, ["retries", "-1"]),
    ({"retries": 2.0}, TypeError, ["retries", "2.0"]),
    ({"name": ""}, ValueError, ["name"]),
    ({"name": 7}, TypeError, ["name", "7"]),
], ids=lambda v: repr(v) if isinstance(v, dict) else None)
def test_schedule_rejects_bad_arguments_and_changes_nothing(impl, clock, error_naming, kwargs,
                                                            exc_type, fragments):
    s = impl.TaskScheduler(clock=clock)
    with error_naming(exc_type, *fragments):
        s.schedule(noop, **kwargs)
    assert s.tasks() == [] and s.next_due() is None
    assert s.schedule(noop) == 1


@pytest.mark.errors
def test_schedule_rejects_a_non_callable(impl, clock, error_naming):
    s = impl.TaskScheduler(clock=clock)
    with error_naming(TypeError, "fn", "42"):
        s.schedule(42)
    assert s.tasks() == []


@pytest.mark.errors
def test_unknown_task_id_raises_task_not_found(impl, clock, error_naming):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop)
    assert issubclass(impl.TaskNotFoundError, impl.SchedulerError)
    with error_naming(impl.TaskNotFoundError, "99"):
        s.get(99)
    with error_naming(impl.TaskNotFoundError, "0"):
        s.cancel(0)
    assert s.get(1).status == "pending"


@pytest.mark.errors
def test_task_id_must_be_an_int(impl, clock, error_naming):
    s = impl.TaskScheduler(clock=clock)
    s.schedule(noop)
    with error_naming(TypeError, "'1'"):
        s.get("1")
    with error_naming(TypeError, "True"):
        s.cancel(True)
    assert s.get(1).status == "pending"


@pytest.mark.errors
def test_tasks_rejects_an_unknown_status(impl, clock, error_naming):
    s = impl.TaskScheduler(clock=clock)
    with error_naming(ValueError, "'bogus'", "pending"):
        s.tasks("bogus")
    with error_naming(TypeError, "3"):
        s.tasks(3)


@pytest.mark.errors
def test_clock_must_be_callable(impl, error_naming):
    with error_naming(TypeError, "clock", "12.5"):
        impl.TaskScheduler(clock=12.5)


@pytest.mark.errors
@pytest.mark.timeout(10)
def test_start_while_running_raises_scheduler_error(impl, error_naming):
    s = impl.TaskScheduler()
    s.start()
    try:
        with error_naming(impl.SchedulerError, "running"):
            s.start()
    finally:
        assert s.stop(timeout=5)


# --- the command line -------------------------------------------------------------------------


def py(code: str) -> list[str]:
    """A command running a Python snippet: portable, and quick without site-packages (-S)."""
    return [sys.executable, "-I", "-S", "-c", code]


def write_jobs(tmp_path: Path, jobs: object, name: str = "jobs.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(jobs), encoding="utf-8")
    return path


def parse_lines(stdout: str) -> list[tuple[float, str, int]]:
    lines = stdout.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), f"every line must read 'SECONDSs NAME exit CODE', got {lines}"
    return [(float(m[1]), m[2], int(m[3])) for m in parsed]


@pytest.mark.core
def test_cli_runs_each_job_once_in_due_order_and_prints_one_line_per_run(impl_file, tmp_path,
                                                                         run_cli):
    jobs = write_jobs(tmp_path, [
        {"name": "nightly report", "command": py("pass"), "delay": 0.3},
        {"name": "first", "command": py("import sys; sys.exit(3)"), "delay": 0},
    ])
    done = run_cli(impl_file, jobs, timeout=20)
    assert done.returncode == 0, done.stderr
    runs = parse_lines(done.stdout)
    assert [(name, code) for _, name, code in runs] == [("first", 3), ("nightly report", 0)]
    assert runs[0][0] < runs[1][0] and runs[1][0] >= 0.3


@pytest.mark.core
def test_cli_retries_a_failing_command(impl_file, tmp_path, run_cli):
    jobs = write_jobs(tmp_path, [
        {"name": "flaky", "command": py("import sys; sys.exit(1)"), "delay": 0, "retries": 2}])
    done = run_cli(impl_file, jobs, timeout=20)
    assert done.returncode == 0, done.stderr
    assert [(name, code) for _, name, code in parse_lines(done.stdout)] == [("flaky", 1)] * 3


@pytest.mark.core
def test_cli_repeats_a_recurring_job_until_the_for_window_ends(impl_file, tmp_path, run_cli):
    jobs = write_jobs(tmp_path, [
        {"name": "tick", "command": py("pass"), "delay": 0, "every": 0.25, "priority": 1}])
    done = run_cli(impl_file, jobs, "--for", "0.6", timeout=20)
    assert done.returncode == 0, done.stderr
    runs = parse_lines(done.stdout)
    assert 2 <= len(runs) <= 3 and {name for _, name, _ in runs} == {"tick"}
    starts = [t for t, _, _ in runs]
    assert all(later - earlier >= 0.24 for earlier, later in zip(starts, starts[1:])), starts


@pytest.mark.errors
def test_cli_bad_job_exits_2_with_one_message_naming_job_and_field(impl_file, tmp_path, run_cli):
    jobs = write_jobs(tmp_path, [
        {"name": "ok", "command": py("pass"), "delay": 0},
        {"name": "backup", "command": py("pass"), "delay": -1}])
    done = run_cli(impl_file, jobs, timeout=20)
    assert done.returncode == 2
    assert done.stdout == "", "no job may run when the file has a bad one"
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert "backup" in message and "delay" in message, message


@pytest.mark.errors
@pytest.mark.parametrize("jobs, fragments", [
    ("[{not json", ["jobs.json", "JSON"]),
    ({"name": "x"}, ["jobs.json", "list"]),
    (["backup"], ["job 1", "backup"]),
    ([{"name": "backup", "command": ["true"]}], ["backup", "delay"]),
    ([{"name": "backup", "delay": 0}], ["backup", "command"]),
    ([{"command": ["true"], "delay": 0}], ["job 1", "name"]),
    ([{"name": "backup", "command": "echo hi", "delay": 0}], ["backup", "command"]),
    ([{"name": "backup", "command": [], "delay": 0}], ["backup", "command"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "evry": 5}], ["backup", "evry"]),
    ([{"name": "backup", "command": ["true"], "delay": "soon"}], ["backup", "delay"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "every": 0}], ["backup", "every"]),
    ([{"name": "backup", "command": ["true"], "delay": 0, "retries": -2}], ["backup", "retries"]),
    ([{"name": "a", "command": ["true"], "delay": 0},
      {"name": 5, "command": ["true"], "delay": 0}], ["job 2", "name"]),
], ids=["invalid-json", "not-a-list", "job-not-an-object", "missing-delay", "missing-command",
        "missing-name", "command-a-string", "command-empty", "unknown-field", "delay-a-string",
        "every-zero", "retries-negative", "name-not-a-str"])
def test_cli_main_rejects_a_bad_file_with_exit_2(impl, tmp_path, capsys, jobs, fragments):
    path = tmp_path / "jobs.json"
    path.write_text(jobs if isinstance(jobs, str) else json.dumps(jobs), encoding="utf-8")
    assert impl.main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    message = err.strip()
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, f"{message!r} does not name {fragment!r}"


@pytest.mark.errors
def test_cli_main_names_a_missing_file(impl, tmp_path, capsys):
    assert impl.main([str(tmp_path / "nowhere.json")]) == 2
    assert "nowhere.json" in capsys.readouterr().err


@pytest.mark.errors
def test_cli_main_rejects_a_negative_for_window(impl, tmp_path, capsys):
    jobs = write_jobs(tmp_path, [{"name": "a", "command": py("pass"), "delay": 0}])
    with pytest.raises(SystemExit) as exited:
        impl.main([str(jobs), "--for", "-1"])
    assert exited.value.code == 2
    assert "--for" in capsys.readouterr().err


@pytest.mark.edge
def test_cli_main_reports_a_missing_command_as_exit_127(impl, tmp_path, capsys):
    jobs = write_jobs(tmp_path, [
        {"name": "ghost", "command": ["no-such-command-for-the-kata"], "delay": 0},
        {"name": "later", "command": py("pass"), "delay": 30, "every": 1}])
    assert impl.main([str(jobs), "--for", "0.2"]) == 0
    runs = parse_lines(capsys.readouterr().out)
    assert [(name, code) for _, name, code in runs] == [("ghost", 127)]


@pytest.mark.edge
@pytest.mark.timeout(20)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT cannot be sent to a child on Windows")
def test_cli_ctrl_c_stops_cleanly_with_exit_130(impl_file, tmp_path):
    jobs = write_jobs(tmp_path, [{"name": "tick", "command": py("pass"), "delay": 0, "every": 30}])
    child = subprocess.Popen([sys.executable, str(impl_file), str(jobs)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = child.stdout.readline()  # the first run is over: the CLI now sleeps 30 s
        assert LINE.match(first.strip()), first
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, err
    assert "Traceback" not in err, err


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_schedule_from_many_threads_gives_unique_ids(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    per_thread, threads = 300, 8
    barrier = threading.Barrier(threads)
    ids: list[list[int]] = [[] for _ in range(threads)]
    ran: list[int] = []

    def work(slot: int) -> None:
        barrier.wait(timeout=5)
        for _ in range(per_thread):
            ids[slot].append(s.schedule(lambda: ran.append(1), priority=slot))
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=5)
    every_id = sorted(i for chunk in ids for i in chunk)
    assert every_id == list(range(1, per_thread * threads + 1))
    assert s.run_pending() == per_thread * threads == len(ran)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_run_pending_runs_each_task_exactly_once(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    counts = [0] * 2000
    for i in range(len(counts)):
        def bump(i: int = i) -> None:
            counts[i] += 1
        s.schedule(bump, delay=i % 7, priority=i % 3)
    clock.advance(10)
    barrier = threading.Barrier(4)
    totals: list[int] = []

    def work() -> None:
        barrier.wait(timeout=5)
        totals.append(s.run_pending())
    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=5)
    assert sum(totals) == len(counts)
    assert counts == [1] * len(counts)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_cancel_racing_run_pending_leaves_every_task_consistent(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    ran: set[int] = set()
    ids = [s.schedule(lambda i=i: ran.add(i)) for i in range(1, 1501)]
    barrier = threading.Barrier(2)
    cancelled: dict[int, bool] = {}

    def canceller() -> None:
        barrier.wait(timeout=5)
        for task_id in reversed(ids):
            cancelled[task_id] = s.cancel(task_id)
    worker = threading.Thread(target=canceller)
    worker.start()
    barrier.wait(timeout=5)
    s.run_pending()
    worker.join(timeout=5)
    for task in s.tasks():
        assert cancelled[task.id] == (task.status == "cancelled"), fields(task)
        assert (task.id in ran) == (task.runs == 1), fields(task)
        assert task.status in ("cancelled", "done"), fields(task)
        assert task.id in ran or task.status == "cancelled", fields(task)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_cancel_from_another_thread_while_the_task_runs(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    started, proceed = threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        assert proceed.wait(timeout=5)
    task_id = s.schedule(slow, every=1)
    worker = threading.Thread(target=s.run_pending)
    worker.start()
    try:
        assert started.wait(timeout=5)
        assert s.get(task_id).status == "running"
        assert s.cancel(task_id) is True
    finally:
        proceed.set()
        worker.join(timeout=5)
    assert fields(s.get(task_id))[5:] == ("cancelled", 1, 1, None)
    clock.advance(5)
    assert s.run_pending() == 0 and s.next_due() is None


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_a_task_may_use_the_scheduler_without_deadlock(impl, clock):
    s = impl.TaskScheduler(clock=clock)
    seen: list[object] = []

    def busy() -> None:
        child = s.schedule(noop, delay=1)
        seen.append(s.cancel(child))
        seen.append(len(s.tasks()))
        seen.append(s.next_due())
        seen.append(s.run_pending())
    s.schedule(busy)
    assert s.run_pending() == 1
    assert seen == [True, 2, None, 0]


# --- extension: the background runner ---------------------------------------------------------


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_runs_due_tasks_in_the_background(impl):
    s = impl.TaskScheduler()
    ran = threading.Event()
    s.schedule(ran.set, delay=0.01)
    s.start()
    try:
        assert ran.wait(timeout=5), "the runner did not run a due task"
    finally:
        assert s.stop(timeout=5) is True
    assert s.tasks()[0].status == "done"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_wakes_for_a_task_scheduled_earlier_than_the_one_it_sleeps_for(impl):
    runner_read_clock = threading.Event()
    main = threading.current_thread()

    def watched_clock() -> float:
        if threading.current_thread() is not main:
            runner_read_clock.set()
        return time.monotonic()
    s = impl.TaskScheduler(clock=watched_clock)
    late, early = threading.Event(), threading.Event()
    s.schedule(late.set, delay=30)
    s.start()
    try:
        assert runner_read_clock.wait(timeout=5)  # it has seen the 30 s task and gone to sleep
        s.schedule(early.set, delay=0.02)
        assert early.wait(timeout=5), "the runner slept through a task scheduled earlier"
        assert not late.is_set()
    finally:
        assert s.stop(timeout=5)


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
        threading.Event().wait(0.05)  # let it settle into its sleep
        reads_before, cpu_before, wall_before = reads[0], time.process_time(), time.perf_counter()
        threading.Event().wait(1.0)  # one idle second
        cpu = time.process_time() - cpu_before
        wall = time.perf_counter() - wall_before
        wakeups = reads[0] - reads_before
    finally:
        assert s.stop(timeout=5)
    assert cpu / wall < 0.05, f"the idle runner used {cpu / wall:.0%} of a CPU"
    assert wakeups <= 10, f"the idle runner read the clock {wakeups} times in a second: polling"


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
        assert third.wait(timeout=5)
        s.cancel(task_id)
    finally:
        assert s.stop(timeout=5)
    runs = s.get(task_id).runs
    assert runs >= 3 and s.get(task_id).status == "cancelled"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_runner_notices_a_cancel_from_another_thread(impl):
    s = impl.TaskScheduler()
    cancelled, kept = threading.Event(), threading.Event()
    victim = s.schedule(cancelled.set, delay=0.3)
    s.schedule(kept.set, delay=0.35)
    s.start()
    try:
        assert s.cancel(victim) is True
        assert kept.wait(timeout=5)
        assert not cancelled.is_set()
    finally:
        assert s.stop(timeout=5)


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_stopped_runner_runs_nothing_and_can_start_again(impl):
    s = impl.TaskScheduler()
    assert s.stop() is True  # never started: nothing to stop
    s.start()
    assert s.stop(timeout=5) is True
    ran = threading.Event()
    s.schedule(ran.set)
    assert not ran.wait(timeout=0.1), "a stopped runner ran a task"
    s.start()
    try:
        assert ran.wait(timeout=5)
    finally:
        assert s.stop(timeout=5)


# --- perf -------------------------------------------------------------------------------------


@pytest.mark.perf
def test_schedule_and_run_pending_grow_as_n_log_n(impl, timed):
    rng = random.Random(7)
    params = [(rng.randrange(1000), rng.randrange(10)) for _ in range(100_000)]

    def workload(n: int) -> Callable[[], None]:
        def run() -> None:
            now = [0.0]
            s = impl.TaskScheduler(clock=lambda: now[0])
            for delay, priority in params[:n]:
                s.schedule(noop, delay=delay, priority=priority)
            now[0] = 1000.0
            assert s.run_pending() == n
        return run

    small = timed(workload(10_000), repeats=3, timer=time.process_time)
    large = timed(workload(100_000), repeats=2, timer=time.process_time)
    # n log n predicts 12.5x (cache misses add a little); a linear scan per task gives 100x
    assert large / small < 40, f"10x the tasks took {large / small:.1f}x as long"
