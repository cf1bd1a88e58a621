"""The grading at a session's end runs outside the practice folder's lock: the other commands answer
at once meanwhile, none grades the session a second time, and a grading that dies (its process
killed) leaves the session to the next command that looks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from katakit.session import Practice, Role, RoleName
from sample_kit import (ROOT, fake_grade, fake_own_tests, history_lines, one_line_error,
                        only_session, run, start, state, ticking)

ALL_PHASES = 90 * 60 + 1  # seconds: past the last deadline of the default 15/60/15 boxes


def in_another_terminal(command):
    """Run `command` in a thread of its own, as another terminal would at that moment; it must
    not wait for the grading that is going on to finish."""
    done = []
    thread = threading.Thread(target=lambda: done.append(command()), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert done, "the command waited for the grading to end"
    return done[0]


def grading_that(during):
    """A strict grading (fake_grade) that runs `during()` while it goes on, and counts itself."""
    calls = []

    def grade(problem, impl, scope, **kwargs):
        calls.append(impl)
        during()
        return fake_grade(problem, impl, scope, **kwargs)

    grade.calls = calls
    return grade


@pytest.mark.concurrency
def test_status_during_the_deadline_grading_answers_at_once_and_says_it_is_grading(
        kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(ALL_PHASES)
    seen = []
    grade = grading_that(lambda: seen.append(in_another_terminal(
        lambda: run(kit, practice, "status", now=wall))))
    graded = run(kit, practice, "status", now=wall, grade=grade, own_tests=fake_own_tests)
    assert graded.code == 0 and "Scorecard: adder" in graded.out, graded
    (status,) = seen
    assert status.code == 0, status
    assert f"phase    all phases ended: being graded by process {os.getpid()} in another " \
           f"terminal" in status.out
    assert "Scorecard" not in status.out and len(grade.calls) == 1
    assert len(history_lines(practice)) == 1


@pytest.mark.concurrency
def test_no_command_grades_a_session_another_one_is_grading(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(ALL_PHASES)
    folder = only_session(practice)
    others = {}

    def meanwhile():
        for name, argv, extra in (
                ("next", ["next", "--yes"], {}), ("resume", ["resume"], {}),
                ("check", ["check"], {}), ("start", ["start", "pair"], {}),
                ("keep", ["keep", folder.name], {"wait": interrupt})):
            others[name] = in_another_terminal(
                lambda argv=argv, extra=extra: run(kit, practice, *argv, now=wall,
                                                   grade=grade, own_tests=fake_own_tests,
                                                   **extra))

    grade = grading_that(meanwhile)
    result = run(kit, practice, "next", "--yes", now=wall, grade=grade,
                 own_tests=fake_own_tests)
    assert result.code == 0 and "Scorecard: adder" in result.out, result
    assert len(grade.calls) == 1, "graded once, by the first command that found it due"
    being = f"{folder.name} is being graded by process {os.getpid()} in another terminal"
    assert others["next"].code == 0 and being in others["next"].out, others["next"]
    one_line_error(others["resume"], 1, being, "`python timer.py resume` shows its scorecard")
    one_line_error(others["check"], 1, being, "--file PATH")
    one_line_error(others["start"], 1, "a session is already active", "being graded")
    assert others["keep"].code == 0 and "Scorecard" not in others["keep"].out, others["keep"]
    (line,) = history_lines(practice)
    assert line["score"] == {"passed": 0, "total": 3}
    assert state(practice)["status"] == "finished"


def interrupt(seconds: float) -> None:
    raise KeyboardInterrupt  # the deadline keeper stopped at its first pause


@pytest.mark.concurrency
def test_abort_during_the_grading_wins_and_the_grade_is_not_recorded(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(ALL_PHASES)
    aborted = []
    grade = grading_that(lambda: aborted.append(in_another_terminal(
        lambda: run(kit, practice, "abort", now=wall))))
    result = run(kit, practice, "status", now=wall, grade=grade, own_tests=fake_own_tests)
    assert aborted[0].code == 0 and "aborted" in aborted[0].out, aborted
    assert "was aborted while it was being graded: its grade is not recorded" in result.out
    assert "Scorecard" not in result.out
    one_line_error(result, 1, "no active session: the last one", "was aborted")
    (line,) = history_lines(practice)
    assert line["aborted"] is True and line["score"] is None
    assert state(practice)["status"] == "aborted"
    assert not (only_session(practice) / "scorecard.txt").exists()


@pytest.mark.edge
@pytest.mark.skipif(os.name != "posix", reason="kills the grading process with SIGKILL")
def test_a_grading_killed_midway_does_not_wedge_the_session(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(ALL_PHASES)
    folder = only_session(practice)
    grader = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from katakit.session import Practice, Role, RoleName\n"
         "role = Role(Practice(sys.argv[1]), RoleName.GRADER)\n"
         "assert role.take(sys.argv[2])\n"
         "print('grading', flush=True)\n"
         "time.sleep(60)\n", str(practice), folder.name],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert grader.stdout.readline() == "grading\n"
        grade = grading_that(lambda: None)
        during = run(kit, practice, "status", now=wall, grade=grade, own_tests=fake_own_tests)
        assert during.code == 0 and f"being graded by process {grader.pid} in another " \
            f"terminal" in during.out, during
        assert grade.calls == []
    finally:
        grader.send_signal(signal.SIGKILL)
        grader.wait()
    assert Practice(practice).holder(RoleName.GRADER, folder.name) is None, "no stale mark"
    after = run(kit, practice, "status", now=wall, grade=grade, own_tests=fake_own_tests)
    assert after.code == 0 and "Scorecard: adder" in after.out, after
    assert len(grade.calls) == 1 and len(history_lines(practice)) == 1


@pytest.mark.edge
def test_the_clock_waits_while_another_process_grades_and_takes_over_if_it_stops(
        kit, practice, wall):
    other = Role(Practice(practice), RoleName.GRADER)
    looks = []

    def hook(now: float) -> None:
        if now < wall_start + 3 * 60:
            return
        if not looks:
            assert other.take(only_session(practice).name)
        looks.append(now)
        if len(looks) == 4:
            other.release()  # the other grading ended without a result

    wall_start = wall.now
    result = run(kit, practice, "start", "adder", "--boxes", "1/1/1", now=wall,
                 wait=ticking(wall, hook), grade=fake_grade, own_tests=fake_own_tests)
    assert result.code == 0, result
    # In one process the other grader's pid is the clock's own: it reads as the clock's.
    waiting = [line for line in result.out.splitlines() if "is being graded by" in line]
    assert len(waiting) == 1, result.out
    assert waiting[0].endswith(f"process {os.getpid()}: its scorecard is shown there")
    assert result.out.index(waiting[0]) < result.out.index("Scorecard: adder")
    assert len(history_lines(practice)) == 1


@pytest.mark.edge
def test_the_grader_role_is_held_only_while_grading(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(ALL_PHASES)
    folder = only_session(practice)
    held = []
    grade = grading_that(lambda: held.append(
        Practice(practice).holder(RoleName.GRADER, folder.name)))
    assert run(kit, practice, "status", now=wall, grade=grade,
               own_tests=fake_own_tests).code == 0
    assert held == [os.getpid()]
    assert Practice(Path(practice)).holder(RoleName.GRADER, folder.name) is None
