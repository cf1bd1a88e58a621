"""timer.py: the phase machine, deadlines, snapshots, late edits, grading, history and every error.

Everything runs against a small temporary kit (a made-up kata ``adder`` beside copies of the kit's
configuration) and a fake clock, so no test waits for real minutes; the end-to-end tests run whole
sessions of a few seconds in a child process.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from katakit import phases
from katakit.commands import main
from katakit.context import Setup
from katakit.kit import Kit, Level
from sample_kit import (ADDER_CORE_ONLY, ADDER_HANGING, ADDER_SOLUTION, FAST, FULL,
                        MY_HANGING_TESTS, MY_TESTS, MY_WRONG_TESTS, ROOT, Result, Terminal,
                        build_kit, detach, failing_grade, history_lines, once, one_line_error,
                        only_session, run, sha, start, state, ticking, typing, writable, write)


# --- list and start ----------------------------------------------------------------------------


@pytest.mark.core
def test_list_shows_every_kata_with_title_size_attempts_and_best_score(kit, practice):
    practice.mkdir()
    lines = [{"kata": "adder", "score": {"passed": 1, "total": 4}},
             {"kata": "adder", "score": {"passed": 3, "total": 4}},
             {"kata": "adder", "score": None, "aborted": True}]
    (practice / "history.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    result = run(kit, practice, "list")
    assert result.code == 0, result
    header, *rows = result.out.splitlines()
    assert header.split() == ["NAME", "TITLE", "SIZE", "ATTEMPTS", "BEST"]
    assert [row.split()[0] for row in rows] == ["adder", "docstore", "pair"]
    assert rows[0].split() == ["adder", "Adder", "full", "3", "75%"]
    assert "In-memory document store" in rows[1] and rows[1].split()[-2:] == ["0", "-"]
    assert rows[2].split()[-3:] == ["short", "0", "-"]
    assert len({row.index(" full") if " full" in row else row.index(" short") for row in rows}) \
        == 1, "the SIZE column is aligned"


@pytest.mark.core
def test_list_runs_before_anything_is_installed(kit_copy, run_cli):
    done = run_cli("-S", kit_copy / "timer.py", "list", cwd=kit_copy, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "adder" in done.stdout and "docstore" in done.stdout


@pytest.mark.core
def test_start_creates_the_session_folder_with_its_three_files_and_state(kit, practice, wall):
    result = start(kit, practice, wall, "docstore")
    folder = only_session(practice)
    assert folder.name.startswith("docstore-")
    assert len(folder.name) == len("docstore-20250101-120000")
    design = (folder / "design.md").read_text(encoding="utf-8")
    assert "In-memory document store" in design and "Size: full" in design
    for heading in ("Requirements", "API", "Data model", "Complexity", "Edge cases", "Test plan"):
        assert f"## {heading}" in design
    copy, kata = (folder / "docstore.py").read_text(), (kit / "katas" / "docstore.py").read_text()
    assert copy.split('"""', 2)[2] == kata.split('"""', 2)[2], "the kata's code, unchanged"
    first_hint = Kit(kit).problem("docstore").hints[0]
    for text in (copy, design):
        assert first_hint not in text and "`python timer.py hint docstore`" in text
    assert "import docstore" in (folder / "test_mine.py").read_text()
    data = state(practice)
    assert data["kata"] == "docstore" and data["level"] == "full" and data["status"] == "active"
    assert [p["name"] for p in data["phases"]] == ["design", "code", "tests"]
    assert [p["box"] for p in data["phases"]] == [900, 3600, 900]
    first = data["phases"][0]
    assert first["start"] == wall.now and first["deadline"] == wall.now + 900
    assert json.loads((practice / "active.json").read_text())["session"] == folder.name
    assert "design phase: 15:00 to write design.md" in result.out
    assert "clock detached" in result.out and "resume" in result.out


@pytest.mark.core
def test_only_the_running_phase_file_is_writable(kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    files = [folder / "design.md", folder / "adder.py", folder / "test_mine.py"]
    assert [writable(f) for f in files] == [True, False, False]
    wall.advance(900)
    assert run(kit, practice, "status", now=wall).code == 0
    assert [writable(f) for f in files] == [False, True, False]
    wall.advance(3600)
    run(kit, practice, "status", now=wall)
    assert [writable(f) for f in files] == [False, False, True]
    wall.advance(900)
    run(kit, practice, "status", now=wall, **FAST)
    assert [writable(f) for f in files] == [True, True, True], "writable again after the session"


# --- the phase machine -------------------------------------------------------------------------


def new_machine(kit: Path, folder: Path, now: float, boxes: str = FULL):
    """A session of adder in `folder`, first phase begun at `now`, as start leaves it."""
    from katakit.templates import write_session_files
    problem = Kit(kit).problem("adder")
    folder.mkdir(parents=True)
    session = phases.new_session(folder.name, problem, phases.parse_boxes(boxes), Level.FULL,
                                 now)
    write_session_files(folder, problem, session)
    phases.begin(session, folder, now)
    return session


@pytest.mark.core
def test_each_phase_ends_at_its_deadline_with_a_snapshot_of_its_file(kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    write(folder / "design.md", "# my design\n")
    assert phases.advance(session, folder, wall.advance(899.9)) == []
    events = phases.advance(session, folder, wall.advance(0.1))
    assert [(e.kind, e.phase) for e in events] == [("deadline", "design"), ("start", "code")]
    design, code = session.phases[:2]
    assert design.ending == "deadline" and design.used == 900
    assert (folder / "snapshots" / "design.md").read_text() == "# my design\n"
    assert design.snapshot.sha256 == sha(folder / "design.md")
    assert design.snapshot.on_time and design.snapshot.late_by == 0
    assert code.start == design.deadline and code.deadline == code.start + 3600
    assert not writable(folder / "snapshots" / "design.md"), "a snapshot is a record, read-only"


@pytest.mark.core
def test_ending_a_phase_early_records_the_time_saved_and_starts_the_next(kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    events = phases.end_early(session, folder, wall.advance(600))
    assert [(e.kind, e.phase) for e in events] == [("early", "design"), ("start", "code")]
    design, code = session.phases[:2]
    assert design.ending == "early" and design.used == 600 and design.saved == 300
    assert code.start == wall.now and code.deadline == wall.now + 3600
    assert design.snapshot.sha256 == sha(folder / "snapshots" / "design.md")


@pytest.mark.edge
def test_a_deadline_missed_while_detached_is_on_time_if_the_file_was_not_touched_after_it(
        kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    write(folder / "design.md", "# before the deadline\n", mtime=wall.now + 899)
    events = phases.advance(session, folder, wall.advance(5000))
    assert [(e.kind, e.phase) for e in events] == [("deadline", "design"), ("start", "code"),
                                                   ("deadline", "code"), ("start", "tests")]
    design, code, tests = session.phases
    assert design.snapshot.on_time and design.snapshot.taken_at == wall.now
    assert code.start == design.deadline, "the next phase started at the deadline, not on return"
    assert tests.start == code.deadline and session.current is tests


@pytest.mark.edge
def test_a_deadline_missed_while_detached_is_late_if_the_file_changed_after_it(
        kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    write(folder / "design.md", "# finished after the deadline\n", mtime=wall.now + 942)
    events = phases.advance(session, folder, wall.advance(1000))
    design = session.phases[0]
    assert events[0].kind == "late" and design.ending == "late"
    assert (design.snapshot.on_time, design.snapshot.late_by) == (False, 42.0)
    assert design.ended_at == design.deadline


@pytest.mark.edge
def test_next_after_a_missed_deadline_does_not_also_end_the_following_phase(kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    events = phases.end_early(session, folder, wall.advance(901))
    assert [(e.kind, e.phase) for e in events] == [("deadline", "design"), ("start", "code")]
    assert session.current.name == "code" and session.phases[0].ending == "deadline"


@pytest.mark.edge
def test_late_edits_are_recorded_once_per_change_and_never_reach_the_snapshot(kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    phases.advance(session, folder, wall.advance(900))
    snapshot = (folder / "snapshots" / "design.md").read_text()
    write(folder / "design.md", "# an afterthought\n", mtime=wall.now + 10)
    events = phases.detect_late_edits(session, folder, wall.advance(20))
    assert [(e.kind, e.phase) for e in events] == [("late-edit", "design")]
    assert phases.detect_late_edits(session, folder, wall.advance(1)) == [], "same change again"
    write(folder / "design.md", "# a second afterthought\n")
    assert len(phases.detect_late_edits(session, folder, wall.now)) == 1
    assert [e.file for e in session.late_edits] == ["design.md", "design.md"]
    assert session.late_edits[0].seconds_after_end == 10
    assert (folder / "snapshots" / "design.md").read_text() == snapshot


@pytest.mark.edge
def test_a_file_deleted_before_its_deadline_gives_an_empty_snapshot(kit, tmp_path, wall):
    folder = tmp_path / "s"
    session = new_machine(kit, folder, wall.now)
    (folder / "design.md").unlink()
    phases.advance(session, folder, wall.advance(900))
    assert session.phases[0].snapshot.sha256 is None
    assert session.phases[0].ending == "deadline"
    assert phases.detect_late_edits(session, folder, wall.now) == []


@pytest.mark.edge
@pytest.mark.parametrize("text, seconds", [("15/60/15", [900, 3600, 900]),
                                           ("0.05/0.1/0.05", [3, 6, 3]),
                                           (" 1 / 2.5 /.5", [60, 150, 30])])
def test_boxes_are_minutes_with_decimals_allowed(text, seconds):
    assert phases.parse_boxes(text) == pytest.approx(seconds)


@pytest.mark.edge
def test_short_katas_default_to_the_short_boxes(kit, practice, wall):
    start(kit, practice, wall, "pair")
    assert [p["box"] for p in state(practice)["phases"]] == [600, 2400, 600]


# --- status, next, check, resume, abort --------------------------------------------------------


@pytest.mark.core
def test_status_shows_the_phase_time_left_and_the_deadlines(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(125)
    result = run(kit, practice, "status", now=wall)
    assert result.code == 0, result
    folder = only_session(practice).name
    assert f"session  {folder}" in result.out
    assert "phase    design: 12:55 left" in result.out
    rows = {line.split()[0]: line for line in result.out.splitlines()[3:]}
    assert "running: 12:55 left" in rows["design"] and "to come" in rows["tests"]


@pytest.mark.core
def test_next_ends_the_phase_now_and_records_the_time_saved(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(540)
    result = run(kit, practice, "next", "--yes", now=wall)
    assert result.code == 0, result
    assert "design ended early: used 9:00 of 15:00, 6:00 saved" in result.out
    assert "code phase: 1:00:00 to write adder.py" in result.out
    design, code, _ = state(practice)["phases"]
    assert design["ending"] == "early" and design["ended_at"] == wall.now
    assert code["deadline"] == wall.now + 3600


@pytest.mark.core
def test_next_in_the_last_phase_grades_the_session_and_writes_the_history(kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    wall.advance(60)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "adder.py", ADDER_SOLUTION)
    wall.advance(60)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "test_mine.py", MY_TESTS)
    wall.advance(60)
    result = run(kit, practice, "next", "--yes", now=wall, **FAST)
    assert result.code == 0, result
    assert "Scorecard: adder" in result.out and "2/3 passed" in result.out
    assert not (practice / "active.json").exists()
    (line,) = history_lines(practice)
    assert line["kata"] == "adder" and line["score"] == {"passed": 2, "total": 3}
    assert [p["ending"] for p in line["phases"]] == ["early", "early", "early"]
    assert [p["saved"] for p in line["phases"]] == [840, 3540, 840]


@pytest.mark.core
def test_check_grades_the_session_code_and_shows_categories_and_failures(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "0.1/60/15")
    folder = only_session(practice)
    wall.advance(6)
    write(folder / "adder.py", ADDER_CORE_ONLY)
    result = run(kit, practice, "check", now=wall)
    assert result.code == 1, "a test fails: exit 1"
    caught_up, *lines = result.out.splitlines()[1:]
    assert "code phase: 1:00:00 to write adder.py" in caught_up, "the missed deadline first"
    assert lines[0].startswith(f"{folder / 'adder.py'}: 3/4 passed (level full")
    assert [line.split() for line in lines[1:5]] == [
        ["core", "1/1", "ok"], ["edge", "1/1", "ok"], ["errors", "1/1", "ok"],
        ["extension", "0/1", "FAIL"]]
    assert lines[5:] == ["core 1/1: the 60-minute bar is met",
                         "failing:", "  extension  test_total_sums_a_list",
                         "             NotImplementedError (raised in total, adder.py line 8)",
                         "perf not run: `python timer.py check --perf` runs it"]


@pytest.mark.core
def test_resume_reattaches_the_clock_where_the_session_stands(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(1000)
    result = run(kit, practice, "resume", now=wall, wait=detach)
    assert result.code == 130, result
    assert f"resuming {only_session(practice).name}: code phase, 58:20 left" in result.out
    assert result.out.count("design: time is up") == 1
    assert result.out.count("code phase: 1:00:00") == 1
    assert "design phase" not in result.out, "what happened before is not announced again"
    assert state(practice)["phases"][1]["start"] == state(practice)["phases"][0]["deadline"]
    assert "clock detached" in result.out


@pytest.mark.edge
def test_resume_tells_what_the_keeper_or_another_command_did_meanwhile(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(1000)
    assert run(kit, practice, "status", now=wall).code == 0  # took the design snapshot
    result = run(kit, practice, "resume", now=wall, wait=detach)
    lines = result.out.splitlines()
    assert lines[0].endswith(f"design: time is up at {lines[0][:8]}; snapshot of design.md "
                             f"(sha256 {state(practice)['phases'][0]['snapshot']['sha256'][:12]})")
    assert lines[1].startswith(f"resuming {only_session(practice).name}: code phase, 58:20 left")


@pytest.mark.edge
def test_resume_does_not_repeat_what_the_clock_showed_before_it_was_detached(kit, practice, wall):
    def enter_twice_then_ctrl_c(now: float) -> str | None:
        if now >= wall_start + 110:
            raise KeyboardInterrupt
        return keys(now)

    wall_start, keys = wall.now, typing({100: "", 101: ""})
    result = run(kit, practice, "start", "adder", now=wall,
                 wait=ticking(wall, enter_twice_then_ctrl_c), **{**FAST, "keyboard": True})
    assert result.code == 130 and "design ended early" in result.out, result
    clock_file = only_session(practice) / ".clock"
    os.utime(clock_file, (wall.now, wall.now))  # the clock let go when Ctrl-C was pressed
    wall.advance(60)
    resumed = run(kit, practice, "resume", now=wall, wait=detach)
    assert "design ended early" not in resumed.out, \
        f"resume announced again what the clock had shown before Ctrl-C:\n{resumed.out}"
    assert f"resuming {only_session(practice).name}: code phase" in resumed.out, resumed


@pytest.mark.core
def test_abort_records_the_session_unscored_and_makes_its_files_writable(kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    wall.advance(100)
    result = run(kit, practice, "abort", now=wall)
    assert result.code == 0 and "aborted" in result.out, result
    assert all(writable(folder / f) for f in ("design.md", "adder.py", "test_mine.py"))
    (line,) = history_lines(practice)
    assert line["aborted"] is True and line["score"] is None
    assert line["phases"][0]["ending"] == "aborted" and line["phases"][0]["used"] == 100
    assert state(practice)["status"] == "aborted"
    assert not (practice / "active.json").exists()
    assert run(kit, practice, "status").code == 1


# --- the clock ---------------------------------------------------------------------------------


@pytest.mark.core
def test_the_clock_runs_the_session_to_its_scorecard_printing_one_line_per_event(
        kit, practice, wall):
    t0 = wall.now
    wait = ticking(wall)
    result = run(kit, practice, "start", "adder", "--boxes", "1/2/1", now=wall, wait=wait, **FAST)
    assert result.code == 0, result
    events = [line.split(" ", 1)[1] for line in result.out.splitlines() if line[:2].isdigit()]
    assert [e.split(":")[0].split(" ")[0] for e in events] == [
        "design", "design", "code", "code", "tests", "tests"]
    assert "time is up" in events[1] and "snapshot of design.md (sha256 " in events[1]
    assert "Scorecard: adder" in result.out and "history: " in result.out
    assert wall.now == t0 + 240, "the session ended exactly at its last deadline"
    assert "\r" not in result.out and "\a" not in result.out, "no terminal: plain lines only"
    (line,) = history_lines(practice)
    assert [p["ending"] for p in line["phases"]] == ["deadline"] * 3
    assert line["own_tests"]["coverage"] == {"line": 90.0, "branch": 75.0}


@pytest.mark.edge
def test_enter_twice_in_the_clock_terminal_ends_the_phase_early(kit, practice, wall):
    wait = ticking(wall, typing({100: "", 101: ""}))
    result = run(kit, practice, "start", "adder", "--boxes", "15/1/1", now=wall,
                 wait=wait, **{**FAST, "keyboard": True})
    assert result.code == 0, result
    assert "press Enter again within 5 s to end the design phase now" in result.out
    assert "design ended early: used 1:42 of 15:00, 13:18 saved" in result.out
    (line,) = history_lines(practice)
    assert line["phases"][0]["saved"] == 798 and line["phases"][1]["ending"] == "deadline"


@pytest.mark.edge
def test_a_stray_line_or_a_lone_enter_in_the_clock_terminal_never_ends_a_phase(
        kit, practice, wall):
    typed = {100: "ls", 200: "", 300: "", 301: "q", 400: "ls", 401: ""}
    result = run(kit, practice, "start", "adder", "--boxes", "15/1/1", now=wall,
                 wait=ticking(wall, typing(typed)), **{**FAST, "keyboard": True})
    assert result.code == 0, result
    assert result.out.count("ignored 'ls'") == 2
    assert "no second Enter: the design phase goes on" in result.out, "nothing within 5 s"
    assert "not ended: the design phase goes on" in result.out, "anything else cancels"
    (line,) = history_lines(practice)
    assert [p["ending"] for p in line["phases"]] == ["deadline"] * 3


@pytest.mark.edge
def test_next_asks_before_ending_a_phase_and_refuses_without_a_terminal(kit, practice, wall):
    start(kit, practice, wall, "adder")
    wall.advance(60)
    refused = run(kit, practice, "next", now=wall)
    one_line_error(refused, 2, "next ends the design phase for good", "14:00 left",
                   "`python timer.py next --yes`")
    asked = []

    def answer(reply: bool):
        return lambda question: asked.append(question) or reply

    declined = run(kit, practice, "next", now=wall, confirm=answer(False))
    assert declined.code == 0 and "not ended: the design phase goes on" in declined.out
    assert asked == ["End the design phase now, with 14:00 left? [y/N] "]
    assert state(practice)["phases"][0]["ending"] is None
    confirmed = run(kit, practice, "next", now=wall, confirm=answer(True))
    assert confirmed.code == 0 and "design ended early" in confirmed.out
    assert run(kit, practice, "next", "--yes", now=wall).code == 0, "--yes does not ask"
    assert len(asked) == 2 and state(practice)["phases"][1]["ending"] == "early"


def run_on_terminal(kit, practice, wall, environ, boxes="6/2/1"):
    out, err = Terminal(), io.StringIO()
    code = main(["start", "adder", "--boxes", boxes, "--dir", str(practice)], root=kit,
                setup=Setup(environ=environ, out=out, err=err, now=wall, wait=ticking(wall),
                            live=True, keyboard=True, **FAST))
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.edge
def test_on_a_terminal_one_live_line_ticks_and_phase_changes_ring_the_bell(kit, practice, wall):
    out = run_on_terminal(kit, practice, wall, {"TERM": "xterm"})
    assert "\rDESIGN 6:00 left  [" in out and "\rDESIGN 5:59 left  [" in out
    assert "\rCODE   0:01 left  [" in out and "(Enter twice: next phase)" in out
    assert out.count("\a") == 3 + 3, "three phase starts, 5:00 and 1:00 in design, 1:00 in code"
    assert "design: 5:00 left (design.md)" in out and "code: 1:00 left (adder.py)" in out
    assert "tests: 1:00 left" not in out, "no warning as long as the box itself"
    assert "\033[1m" in out, "banners are bold on a terminal"


@pytest.mark.edge
def test_the_live_line_shows_how_much_of_the_running_phase_is_used(kit, practice, wall):
    out = run_on_terminal(kit, practice, wall, {"TERM": "dumb"}, boxes="6/2/1")
    assert "\rDESIGN 3:00 left  [########--------]  50%  adder" in out
    assert "\rCODE   0:30 left  [############----]  75%  adder" in out, "the phase's share"


@pytest.mark.edge
def test_no_color_keeps_the_live_line_but_drops_every_colour(kit, practice, wall):
    out = run_on_terminal(kit, practice, wall, {"TERM": "xterm", "NO_COLOR": "1"}, boxes="1/1/1")
    assert "\rDESIGN 1:00 left" in out and "\a" in out
    assert "\033[" not in out


@pytest.mark.edge
def test_the_clock_wakes_once_a_second_on_the_second_and_never_spins(kit, practice, wall):
    wait = ticking(wall)
    wall.advance(0.25)  # start off the second boundary
    run(kit, practice, "start", "adder", "--boxes", "1/2/1", now=wall, wait=wait, **FAST)
    assert len(wait.calls) <= 240 + 3
    assert min(wait.calls) > 0 and max(wait.calls) <= 1.0


@pytest.mark.edge
def test_ctrl_c_detaches_without_losing_anything_and_resume_carries_on(kit, practice, wall):
    t0 = wall.now

    def ctrl_c(seconds: float) -> bool:
        wall.advance(seconds)
        if wall.now >= t0 + 30:
            raise KeyboardInterrupt
        return False

    result = run(kit, practice, "start", "adder", "--boxes", "1/1/1", now=wall, wait=ctrl_c)
    assert result.code == 130 and "clock detached" in result.out
    assert state(practice)["status"] == "active"
    wall.advance(45)  # the design deadline passes while no clock is attached
    result = run(kit, practice, "resume", now=wall, wait=ticking(wall), **FAST)
    assert result.code == 0, result
    assert "design: time is up" in result.out and "Scorecard" in result.out
    assert wall.now == t0 + 180


@pytest.mark.errors
def test_resume_while_a_clock_is_attached_says_so_and_starts_no_second_clock(kit, practice,
                                                                            wall):
    from katakit.session import Practice, Role
    start(kit, practice, wall, "adder")
    attached = Role(Practice(practice), "clock")  # the clock in the first terminal
    assert attached.take(only_session(practice).name)
    try:
        result = run(kit, practice, "resume", now=wall, wait=detach)
    finally:
        attached.release()
    one_line_error(result, 1, "a clock is already attached to", only_session(practice).name,
                   "`python timer.py status`")
    assert run(kit, practice, "resume", now=wall, wait=detach).code == 130, "once it has gone"


@pytest.mark.concurrency
def test_the_attached_clock_follows_next_typed_in_another_terminal(kit, practice, wall):
    t0 = wall.now
    other_terminal = once(lambda now: now >= t0 + 100,
                          lambda: run(kit, practice, "next", "--yes", now=wall))
    result = run(kit, practice, "start", "adder", "--boxes", "15/1/1", now=wall,
                 wait=ticking(wall, other_terminal), **FAST)
    assert result.code == 0, result
    assert "design ended early: used 1:40 of 15:00" in result.out
    assert "code phase: 1:00 to write adder.py" in result.out
    assert wall.now == t0 + 100 + 120


@pytest.mark.concurrency
def test_the_attached_clock_stops_when_another_terminal_aborts(kit, practice, wall):
    t0 = wall.now
    other_terminal = once(lambda now: now >= t0 + 10,
                          lambda: run(kit, practice, "abort", now=wall))
    result = run(kit, practice, "start", "adder", now=wall, wait=ticking(wall, other_terminal))
    assert result.code == 0, result
    assert result.out.splitlines()[-1].endswith("was aborted from another terminal")


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_two_starts_at_the_same_moment_leave_exactly_one_active_session(kit, practice, wall,
                                                                       run_threads):
    results: list[Result] = []
    run_threads(2, lambda n: results.append(
        run(kit, practice, "start", ("adder", "pair")[n], now=wall, wait=detach)))
    assert sorted(r.code for r in results) == [1, 130], results
    (loser,) = [r for r in results if r.code == 1]
    assert "a session is already active" in loser.err
    assert len([p for p in practice.iterdir() if p.is_dir()]) == 1


# --- grading and history -----------------------------------------------------------------------


@pytest.mark.core
def test_own_tests_are_measured_for_coverage_and_checked_against_the_reference(kit, tmp_path):
    from katakit.grading import run_own_tests
    problem = Kit(kit).problem("adder")
    code, mine = tmp_path / "adder.py", tmp_path / "test_mine.py"
    code.write_text(ADDER_SOLUTION)
    mine.write_text(MY_TESTS)
    own = run_own_tests(problem, code, mine)
    assert (own.mine.total, own.mine.failed, own.mine.error) == (2, {}, None)
    assert 50 < own.line < 100, "total() is never called"
    assert own.branch == 100.0, "add() is tried with numbers and with text"
    assert own.valid and own.reference.passed == 2


@pytest.mark.edge
def test_a_wrong_expectation_passes_on_lenient_code_but_fails_on_the_reference(kit, tmp_path):
    from katakit.grading import run_own_tests
    problem = Kit(kit).problem("adder")
    code, mine = tmp_path / "adder.py", tmp_path / "test_mine.py"
    code.write_text("def add(a, b):\n    return a + b\n")
    mine.write_text(MY_WRONG_TESTS)
    own = run_own_tests(problem, code, mine)
    assert own.mine.total == 3 and own.mine.failed == {}
    assert own.line == 100.0 and own.branch == 100.0
    assert not own.valid and list(own.reference.failed) == ["test_add_concatenates_text"]
    assert "TypeError" in own.reference.failed["test_add_concatenates_text"]


@pytest.mark.edge
def test_level_base_grades_without_the_extension_tests(kit, practice, tmp_path):
    copy = tmp_path / "adder.py"
    copy.write_text(ADDER_CORE_ONLY)
    result = run(kit, practice, "check", "--file", str(copy), "--level", "base")
    assert result.code == 0, result
    assert ": 3/3 passed (level base" in result.out and "extension" not in result.out
    assert "core 1/1: the 60-minute bar is met" in result.out


@pytest.mark.errors
def test_level_core_is_refused_with_what_it_is_called_now(kit, practice):
    result = run(kit, practice, "check", "--file", "katas/adder.py", "--level", "core")
    one_line_error(result, 2, "'core' is now 'base'", "everything but the extensions",
                   "60-minute bar")


@pytest.mark.edge
def test_check_grades_any_file_under_the_session_kata_whatever_its_name(kit, practice, wall,
                                                                       tmp_path):
    start(kit, practice, wall, "adder")
    copy = tmp_path / "my_attempt.py"
    copy.write_text(ADDER_SOLUTION)
    result = run(kit, practice, "check", "--file", str(copy), now=wall)
    assert result.code == 0, result
    assert result.out.startswith(f"{copy}: 4/4 passed (level full")


@pytest.mark.edge
def test_check_reports_an_implementation_that_does_not_import_in_one_line(kit, practice,
                                                                         tmp_path):
    broken = tmp_path / "adder.py"
    broken.write_text("def add(a, b) return a + b\n")
    result = run(kit, practice, "check", "--file", str(broken))
    assert result.code == 2, "could not be graded: exit 2"
    (line,) = result.out.splitlines()
    assert "not graded" in line and "SyntaxError" in line and "line 1" in line


@pytest.mark.core
def test_check_exits_0_when_all_pass_1_when_one_fails_2_when_it_cannot_grade(kit, practice,
                                                                          tmp_path, wall):
    copy = tmp_path / "adder.py"
    for text, code in ((ADDER_SOLUTION, 0), (ADDER_CORE_ONLY, 1), ("import nowhere\n", 2)):
        copy.write_text(text)
        assert run(kit, practice, "check", "--file", str(copy)).code == code, text
    start(kit, practice, wall, "adder")
    (only_session(practice) / "adder.py").unlink()
    missing = run(kit, practice, "check", now=wall)
    assert missing.code == 2 and "not graded: there is no adder.py to grade" in missing.out


@pytest.mark.core
def test_check_leaves_perf_out_unless_asked_and_the_deadline_grading_runs_it(kit, practice,
                                                                           wall, tmp_path):
    scopes = []

    def grade(problem, impl, scope, **kwargs):
        scopes.append(scope)
        return FAST["grade"](problem, impl, scope, **kwargs)

    copy = tmp_path / "adder.py"
    copy.write_text(ADDER_SOLUTION)
    plain = run(kit, practice, "check", "--file", str(copy), grade=grade)
    assert plain.out.splitlines()[-1] == \
        f"perf not run: `python timer.py check --file {copy} --perf` runs it", \
        "the command it suggests grades the same file"
    with_perf = run(kit, practice, "check", "--file", str(copy), "--perf", grade=grade)
    assert "perf not run" not in with_perf.out
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    wall.advance(180)
    run(kit, practice, "status", now=wall, **{**FAST, "grade": grade})
    assert [(s.level, s.perf, s.change) for s in scopes] == [
        ("full", False, False), ("full", True, False), ("full", True, False)], \
        "the change request's tests stay out until it is revealed"


@pytest.mark.edge
def test_one_place_decides_which_categories_a_grade_leaves_out():
    from katakit.grading import Scope, strict_command
    assert Scope().marker_expression() == "not change"
    assert Scope(perf=False).marker_expression() == "not perf and not change"
    assert Scope("base", perf=False).marker_expression() == \
        "not extension and not perf and not change"
    assert Scope(change=True).marker_expression() is None
    problem = Kit(ROOT).problem("lru_cache")
    command = strict_command(problem, Path("/x/lru_cache.py"), Scope(perf=False), Path("/r"))
    assert command[command.index("-m", 3) + 1] == "not perf and not change"
    assert "--impl=/x/lru_cache.py" in command and "--report-json=/r" in command, \
        "one word each: never taken for paths to collect, never a second pytest run"
    assert "-m" not in strict_command(problem, Path("/x/lru_cache.py"), "full", Path("/r"))[3:], \
        "a bare level grades every test at it, as the kit's own checks do"


@pytest.mark.core
def test_a_grade_is_a_summary_categories_a_verdict_and_ten_grouped_failures(kit, practice):
    from katakit.report import Listing, grade_lines
    from katakit.terminal import Style
    tests = [(f"test_core_{i}", "core", "failed" if i < 3 else "passed") for i in range(9)]
    tests += [(f"test_malformed_topics[{topic}]", "errors", "failed" if i % 4 == 0 else "passed")
              for i, topic in enumerate(f"t{n}" for n in range(26))]
    tests += [(f"test_extension_{i}", "extension", "failed") for i in range(40)]
    tests += [("test_hangs", "edge", "hung"), ("test_late", "edge", "not run")]
    lines = grade_lines(failing_grade(tests, perf=False), "pubsub.py", Style(False))
    assert lines[0] == "pubsub.py: 25/77 passed (level full, 1.2 s)"
    assert [line.split()[0] for line in lines[1:5]] == ["core", "edge", "errors", "extension"]
    assert lines[5] == "core 6/9: the 60-minute bar is not met"
    assert lines[6] == "failing:"
    shown = lines[7:-2:2]
    assert [line.split()[0] for line in shown] == ["core"] * 3 + ["edge"] * 2 + ["errors"] + \
        ["extension"] * 4, "core first, then the kit's category order"
    assert shown[5] == "  errors     test_malformed_topics: 7 of 26 cases, e.g. [t0]"
    assert lines[7 + 11] == "             test_malformed_topics[t0] went wrong"
    assert lines[-2] == "  ... and 36 more: `python timer.py check --all`"
    assert lines[-1] == "perf not run: `python timer.py check --perf` runs it"
    assert len(lines) <= 40
    every = grade_lines(failing_grade(tests), "pubsub.py", Style(False),
                        Listing(limit=None, every_case=True))
    assert sum(line.startswith("  ") and "test_" in line and "went wrong" not in line
               for line in every[6:]) == 3 + 2 + 7 + 40, "--all: every failing test"
    met = grade_lines(failing_grade([("test_a", "core", "passed")]), "x.py", Style(False))
    assert "core 1/1: the 60-minute bar is met" in met


@pytest.mark.core
def test_the_scorecard_leads_with_the_verdict_and_fits_in_forty_lines(kit):
    from katakit.grading import OwnRun, OwnTests
    from katakit.report import scorecard
    from katakit.terminal import Style
    from katakit.verdict import Verdict
    session = phases.new_session("adder-20250101-120000", Kit(kit).problem("adder"),
                                 [60, 60, 60], Level.FULL, 1000.0)
    tests = [(f"test_{i}", "core" if i < 5 else "edge", "failed") for i in range(30)]
    own = OwnTests(OwnRun(9, {f"test_mine_{i}": "no" for i in range(9)}), OwnRun(9), 50, 50)
    lines = scorecard(session, Verdict(failing_grade(tests), own), 3, Style(False))
    assert lines[0] == "Scorecard: adder (adder-20250101-120000)"
    assert lines[1] == "core 0/5: the 60-minute bar is not met"
    assert len(lines) <= 40 and "hints used: 0 of 3" in lines
    assert any(line.startswith("  ... and ") and "`python timer.py compare`" in line
               for line in lines)


@pytest.mark.core
def test_check_all_lists_every_failure(kit, practice, tmp_path):
    copy = tmp_path / "adder.py"
    copy.write_text("def add(a, b):\n    return -1\n\n\ndef total(numbers):\n    return 0\n")
    result = run(kit, practice, "check", "--file", str(copy), "--all")
    assert result.code == 1
    failing = result.out.split("failing:\n")[1].splitlines()
    assert [line.split()[-1] for line in failing[:-1:2]] == [
        "test_add_adds", "test_add_handles_negatives", "test_add_rejects_strings",
        "test_total_sums_a_list"]


@pytest.mark.edge
@pytest.mark.timeout(60)
def test_grading_a_hang_no_time_limit_can_end_stops_at_the_wall_limit_with_the_rest_graded(
        kit, practice, wall, monkeypatch):
    from katakit import grading
    monkeypatch.setattr(grading, "STRICT_WALL", 2.0)
    monkeypatch.setattr(grading, "OWN_WALL", 2.0)
    monkeypatch.setattr(grading, "OWN_TEST_LIMIT", 0.5)
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    folder = only_session(practice)
    write(folder / "adder.py", ADDER_HANGING)  # add() on a negative swallows every time limit
    write(folder / "test_mine.py", MY_HANGING_TESTS)
    for _ in range(2):
        wall.advance(60)
        run(kit, practice, "status", now=wall)
    wall.advance(60)
    out = Terminal()
    started = time.monotonic()
    result = run(kit, practice, "status", now=wall, out=out, live=True)  # the deadline grading
    assert result.code == 0 and time.monotonic() - started < 20
    text = out.getvalue()
    assert "\rgrading: strict tests 1/4, your tests " in text, "progress, redrawn in place"
    card = (folder / "scorecard.txt").read_text()
    assert "1/4 passed" in card
    assert "grading stopped after 2 s, a test still running: 2 tests not run" in card
    assert "test_add_handles_negatives\n" \
           "             hung: still running when grading stopped after 2 s" in card
    assert "not run: grading stopped after 2 s" in card, "the tests after it"
    assert "fails on yours: test_add_waits_forever: hung: no result within 0.5 s" in card
    assert "fails on yours: test_add_takes_negatives: hung: still running when grading " \
           "stopped after 2 s" in card
    assert "  test_add_waits_forever: hung: no result within 0.5 s" in card, "the reference too"
    assert "coverage not measured" in card


@pytest.mark.edge
def test_check_shows_its_progress_on_one_line_while_it_grades(kit, practice, tmp_path):
    def grade(problem, impl, scope, watch=None, **_):
        for done in range(5):
            watch.progress(done, 4)
        return FAST["grade"](problem, impl, scope)

    copy = tmp_path / "adder.py"
    copy.write_text(ADDER_SOLUTION)
    out = Terminal()
    run(kit, practice, "check", "--file", str(copy), out=out, live=True, grade=grade)
    text = out.getvalue()
    assert "\rgrading adder.py: 0/4 tests, 0 s" in text and "\rgrading adder.py: 4/4 tests" in text
    assert text.index("\rgrading adder.py: 4/4") < text.index(f"{copy}: "), "then the grade"


@pytest.mark.concurrency
@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_grading_leaves_no_process_behind(kit_copy, tmp_path):
    copy, pid_file = tmp_path / "adder.py", tmp_path / "pytest.pid"
    copy.write_text(ADDER_HANGING)
    checker = subprocess.Popen(
        [sys.executable, str(kit_copy / "timer.py"), "check", "--file", str(copy), "--dir",
         str(tmp_path / "p")], cwd=kit_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "ADDER_PID_FILE": str(pid_file)})
    try:
        pid = int(wait_for(lambda: pid_file.exists() and pid_file.read_text()).split()[0])
        time.sleep(0.5)  # well into the hanging test
        checker.send_signal(signal.SIGINT)
        checker.communicate(timeout=20)
    finally:
        if checker.poll() is None:
            checker.kill()
    assert checker.returncode == 130
    wait_for(lambda: not os.path.exists(f"/proc/{pid}") or _reaped(pid), timeout=5)


@pytest.mark.concurrency
@pytest.mark.timeout(60)
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_the_deadline_grading_runs_leaves_no_process_behind(kit_copy, tmp_path,
                                                                         wall):
    practice, pid_file = tmp_path / "practice", tmp_path / "pytest.pid"
    wall.now = time.time() - 1000  # every deadline has passed: the next command grades
    start(kit_copy, practice, wall, "adder", "--boxes", "1/1/1")
    write(only_session(practice) / "adder.py", ADDER_HANGING)
    grader = subprocess.Popen(
        [sys.executable, str(kit_copy / "timer.py"), "status", "--dir", str(practice)],
        cwd=kit_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "ADDER_PID_FILE": str(pid_file)})
    try:
        wait_for(lambda: pid_file.exists() and pid_file.read_text())
        time.sleep(0.5)  # both runs going, the strict one stuck in its hang
        grader.send_signal(signal.SIGINT)
        grader.communicate(timeout=20)
    finally:
        if grader.poll() is None:
            grader.kill()
    assert grader.returncode == 130
    for pid in map(int, pid_file.read_text().split()):
        wait_for(lambda pid=pid: _reaped(pid), timeout=5)
    assert state(practice)["status"] == "active", "graded by the next command instead"
    assert run(kit_copy, practice, "abort").code == 0


def _reaped(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.edge
def test_grading_uses_the_deadline_snapshot_and_late_edits_never_change_the_score(
        kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "adder.py", ADDER_SOLUTION)
    wall.advance(3600)
    run(kit, practice, "status", now=wall)
    write(folder / "adder.py", "the working copy broken after the deadline\n")
    write(folder / "design.md", "# design rewritten later\n")
    wall.advance(900)
    result = run(kit, practice, "status", now=wall, **FAST)
    assert "2/3 passed" in result.out, "graded from the snapshot, not the broken file"
    (line,) = history_lines(practice)
    assert {(e["phase"], e["file"]) for e in line["late_edits"]} == {
        ("design", "design.md"), ("code", "adder.py")}
    assert "late edits: design.md x1, adder.py x1" in result.out
    assert line["phases"][1]["sha256"] == hashlib.sha256(ADDER_SOLUTION.encode()).hexdigest()


@pytest.mark.edge
def test_the_history_line_holds_what_the_session_did(kit, practice, wall):
    start(kit, practice, wall, "adder", "--level", "base", "--boxes", "1/2/1")
    run(kit, practice, "next", "--yes", now=wall)
    wall.advance(500)
    run(kit, practice, "status", now=wall, **FAST)
    (line,) = history_lines(practice)
    assert line["kata"] == "adder" and line["level"] == "base" and line["boxes"] == "1/2/1"
    assert line["start"].startswith(time.strftime("%Y-%m-%dT", time.localtime(wall.now)))
    assert [(p["name"], p["planned"], p["used"], p["ending"]) for p in line["phases"]] == [
        ("design", 60, 0, "early"), ("code", 120, 120, "deadline"), ("tests", 60, 60, "deadline")]
    assert all(len(p["sha256"]) == 64 for p in line["phases"])
    assert line["tests"] == [
        {"name": "test_add_adds", "category": "core", "outcome": "failed",
         "message": "NotImplementedError"},
        {"name": "test_add_rejects_strings", "category": "errors", "outcome": "failed",
         "message": "NotImplementedError"}]
    assert line["own_tests"]["valid"] is True and line["aborted"] is False
    assert line["late_edits"] == [] and line["score"] == {"passed": 0, "total": 2}


@pytest.mark.edge
def test_a_corrupt_history_line_is_reported_and_skipped_but_never_rewritten(kit, practice, wall):
    practice.mkdir()
    history = practice / "history.jsonl"
    original = '{"kata": "adder", "score": {"passed": 4, "total": 4}}\n{"kata": "add\n[1, 2]\n'
    history.write_text(original)
    result = run(kit, practice, "list")
    assert result.code == 0, result
    assert result.out.splitlines()[1].split()[-2:] == ["1", "100%"]
    assert result.err.splitlines() == [
        "timer: warning: history.jsonl line 2 is corrupt (Unterminated string starting at): "
        "skipped", "timer: warning: history.jsonl line 3 is corrupt (not a session record): "
                   "skipped"]
    start(kit, practice, wall, "adder")
    run(kit, practice, "abort", now=wall)
    assert history.read_text().startswith(original) and len(history_lines_raw(history)) == 4


@pytest.mark.errors
@pytest.mark.parametrize("line", [
    '{"kata": "docstore", "score": {"passed": "a", "total": 2}}',
    '{"kata": "docstore", "tests": [{"outcome": "failed"}]}',
    '{"phases": "x"}', '{"kata": "docstore", "phases": "x"}',
    '{"kata": "adder", "phases": [{"name": "design", "used": "1"}]}',
    '{"kata": "adder", "late_edits": [1]}', '{"kata": "adder", "score": {"passed": 3, '
    '"total": 2}}', "[" * 100_000])
def test_a_history_line_of_the_wrong_shape_is_skipped_with_one_warning(kit, practice, wall,
                                                                       line):
    practice.mkdir()
    history = practice / "history.jsonl"
    good = '{"kata": "adder", "score": {"passed": 4, "total": 4}}\n'
    history.write_text(good + line + "\n")
    for command in ("list", "report"):
        result = run(kit, practice, command)
        assert result.code == 0, result
        (warning,) = result.err.splitlines()
        assert warning.startswith("timer: warning: history.jsonl line 2 is corrupt (")
        assert warning.endswith("): skipped") and len(warning) < 200
    assert run(kit, practice, "list").out.splitlines()[1].split()[-2:] == ["1", "100%"]
    start(kit, practice, wall, "adder")
    assert run(kit, practice, "status", now=wall).code == 0
    assert run(kit, practice, "abort", now=wall).code == 0
    assert history.read_text().startswith(good + line + "\n"), "never rewritten"


@pytest.mark.errors
@pytest.mark.parametrize("change", [
    lambda data: data.update(late_edits=[1]),
    lambda data: data["phases"][0].update(snapshot={}),
    lambda data: data["phases"][0].update(deadline=float("nan")),
    lambda data: data["phases"][0].update(deadline=1e300),
    lambda data: data["phases"][0].update(start=-5),
    lambda data: data.update(hints="many"),
    lambda data: data.update(modes={"adder.py": 99999}),
    lambda data: data["phases"][2].update(ending="deadline")],
    ids=["late-edit-not-an-object", "empty-snapshot", "nan-deadline", "far-deadline",
         "negative-start", "hints-text", "bad-mode", "ended-out-of-order"])
def test_session_state_of_the_wrong_shape_is_named_and_abort_still_works(kit, practice, wall,
                                                                         change):
    start(kit, practice, wall, "adder")
    path = edit_state(practice, change)
    for command in ("status", "resume", "check"):
        one_line_error(run(kit, practice, command, now=wall, wait=detach), 1, str(path),
                       "is corrupt", "abort")
    result = run(kit, practice, "abort", now=wall)
    assert result.code == 0 and "forgot session" in result.out
    assert writable(only_session(practice) / "adder.py"), "its files are writable again"
    one_line_error(run(kit, practice, "status"), 1, "no active session")


def history_lines_raw(path: Path) -> list[str]:
    return path.read_text().splitlines()


@pytest.mark.edge
def test_grading_again_after_an_interruption_does_not_duplicate_the_history_line(
        kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    wall.advance(180)

    def interrupted(problem, impl, scope, **_):
        raise KeyboardInterrupt  # Ctrl-C while the suite runs

    assert run(kit, practice, "status", now=wall, **{**FAST, "grade": interrupted}).code == 130
    assert state(practice)["status"] == "active"
    assert run(kit, practice, "status", now=wall, **FAST).code == 0
    assert run(kit, practice, "status", now=wall, **FAST).code == 1, "graded, so nothing active"
    assert len(history_lines(practice)) == 1


# --- errors: one line each, exit 2 for usage and 1 for state, never a traceback ----------------


@pytest.mark.errors
def test_an_unknown_kata_is_named_with_the_known_ones_and_a_close_match(kit, practice):
    result = run(kit, practice, "start", "addr")
    one_line_error(result, 2, "unknown kata 'addr'", "did you mean 'adder'?",
                   "known katas: adder, docstore, pair")


@pytest.mark.errors
@pytest.mark.parametrize("boxes", ["15/60", "15/60/15/5", "a/b/c", "0/60/15", "-1/60/15",
                                   "15//15", "1e3/1/1", "nan/1/1", "inf/1/1"])
def test_bad_boxes_are_a_usage_error_naming_the_rule(kit, practice, boxes):
    result = run(kit, practice, "start", "adder", f"--boxes={boxes}")
    one_line_error(result, 2, f"--boxes {boxes!r}", "three positive numbers of minutes",
                   "15/60/15")
    assert not practice.exists(), "nothing is created for a rejected start"


@pytest.mark.errors
@pytest.mark.parametrize("boxes", ["99999999999/1/1", "9" * 400 + "/1/1", "1/481/1"])
def test_a_box_longer_than_eight_hours_is_refused_before_anything_is_created(kit, practice,
                                                                            boxes):
    for command in (["start", "adder"], ["mock"]):
        result = run(kit, practice, *command, f"--boxes={boxes}")
        line = one_line_error(result, 2, "a box is at most 480 minutes (8 hours)")
        assert len(line) < 200
        assert not practice.exists(), "no session folder, no active session"


@pytest.mark.errors
@pytest.mark.parametrize("interval", ["inf", "nan", "0", "0.05", "61", "-1", "soon"])
def test_watch_takes_a_finite_interval_from_a_tenth_to_sixty_seconds(kit, practice, interval):
    result = run(kit, practice, "watch", "--file", "katas/adder.py", "--interval", interval)
    one_line_error(result, 2, "--interval", "expected seconds from 0.1 to 60", repr(interval))


@pytest.mark.errors
def test_a_second_start_names_the_active_session(kit, practice, wall):
    start(kit, practice, wall, "adder")
    result = run(kit, practice, "start", "pair", now=wall)
    one_line_error(result, 1, "a session is already active", only_session(practice).name,
                   "design phase, 15:00 left", "resume", "abort")


@pytest.mark.errors
@pytest.mark.parametrize("command", ["status", "next", "resume", "abort", "check"])
def test_commands_on_the_active_session_say_when_there_is_none(kit, practice, command):
    one_line_error(run(kit, practice, command), 1, "no active session")


@pytest.mark.errors
@pytest.mark.parametrize("command", ["status", "next", "resume", "check"])
def test_a_session_folder_deleted_by_hand_is_named_and_abort_forgets_it(kit, practice, wall,
                                                                       command):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    shutil.rmtree(folder)
    one_line_error(run(kit, practice, command, now=wall), 1, str(folder), "was deleted",
                   "abort")
    result = run(kit, practice, "abort", now=wall)
    assert result.code == 0 and f"forgot session {folder.name}" in result.out
    one_line_error(run(kit, practice, "status"), 1, "no active session")


@pytest.mark.errors
@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": 1}', '{"format": 99}'])
def test_a_corrupt_session_file_is_named_and_abort_forgets_it(kit, practice, wall, content):
    start(kit, practice, wall, "adder")
    path = only_session(practice) / "session.json"
    path.write_text(content)
    one_line_error(run(kit, practice, "status", now=wall), 1, str(path), "is corrupt", "abort")
    assert run(kit, practice, "abort", now=wall).code == 0
    assert not (practice / "active.json").exists()


@pytest.mark.errors
@pytest.mark.parametrize("command", [["check", "--file", "katas/adder.py"], ["start", "adder"]])
def test_commands_that_need_pytest_say_how_to_install_it(kit_copy, tmp_path, run_cli, command):
    # -S hides site-packages: this Python then has no pytest, as on a fresh machine
    done = run_cli("-S", kit_copy / "timer.py", *command, "--dir", tmp_path / "p", cwd=kit_copy)
    assert done.returncode == 1, done
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{sys.executable} cannot grade: it lacks pytest, pytest-timeout, coverage and the " \
           f"kit's pytest plugin" in done.stderr
    assert f"`{sys.executable} -m pip install -r requirements.txt`" in done.stderr


@pytest.mark.errors
@pytest.mark.skipif(os.name != "posix", reason="POSIX pipes")
def test_a_closed_pipe_ends_quietly_and_a_full_disk_is_named(kit_copy, tmp_path):
    reader, writer = os.pipe()
    os.close(reader)  # `| head` that has already gone
    command = [sys.executable, str(kit_copy / "timer.py"), "list", "--dir", str(tmp_path / "p")]
    try:
        done = subprocess.run(command, cwd=kit_copy, stdout=writer, stderr=subprocess.PIPE,
                              text=True, timeout=30)
    finally:
        os.close(writer)
    assert done.stderr == "" and done.returncode != 0
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            done = subprocess.run(command, cwd=kit_copy, stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=30)
        assert done.stderr == "timer: standard output: No space left on device\n"


@pytest.mark.errors
def test_a_full_disk_names_the_file_that_could_not_be_written(kit, practice, wall, monkeypatch):
    import errno
    start(kit, practice, wall, "adder")
    wall.advance(900)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    path = only_session(practice) / "session.json"
    one_line_error(run(kit, practice, "status", now=wall), 1,
                   f"timer: {path}: No space left on device")


@pytest.mark.errors
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="builds a site folder of links")
def test_a_python_without_the_kit_requirements_is_told_exactly_what_to_run(kit_copy, tmp_path,
                                                                          run_cli):
    site = Path(pytest.__file__).parent.parent
    partial = tmp_path / "site"  # pytest and what it needs, but no plugin and no coverage
    partial.mkdir()
    for entry in site.iterdir():
        if entry.name.split("-")[0].split(".")[0] in ("pytest", "_pytest", "pluggy",
                                                      "iniconfig", "packaging", "pygments", "py"):
            (partial / entry.name).symlink_to(entry)
    venv = kit_copy / ".venv" / "bin" / "python"
    venv.parent.mkdir(parents=True)
    venv.write_text("#!/bin/sh\n")
    try:
        done = run_cli("-S", kit_copy / "timer.py", "check", "--file", "katas/adder.py", "--dir",
                       tmp_path / "p", cwd=kit_copy, env={"PYTHONPATH": str(partial)})
    finally:
        shutil.rmtree(kit_copy / ".venv")
    assert done.returncode == 1 and done.stdout == "", done
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"timer: {sys.executable} cannot grade: it lacks pytest-timeout, "
                           f"coverage and the kit's pytest plugin; ")
    assert f"`{sys.executable} -m pip install -r requirements.txt`" in line
    assert f"`.venv/bin/python {kit_copy / 'timer.py'} check --file katas/adder.py --dir " \
           f"{tmp_path / 'p'}`" in line, "the same command, with the kit's environment"


@pytest.mark.errors
@pytest.mark.parametrize("argv, fragment", [
    (["bogus"], "invalid choice: 'bogus'"),
    (["start"], "the following arguments are required: NAME"),
    (["start", "adder", "--level", "most"], "invalid choice: 'most'"),
    (["check", "--file"], "expected one argument")])
def test_command_line_mistakes_are_one_line_usage_errors(kit, practice, argv, fragment):
    err = io.StringIO()
    code = main(argv, root=kit, setup=Setup(err=err, out=io.StringIO()))
    assert code == 2
    (line,) = err.getvalue().splitlines()
    assert fragment in line and "--help" in line


@pytest.mark.errors
def test_check_of_a_missing_file_or_an_unknown_problem_is_a_usage_error(kit, practice, tmp_path):
    one_line_error(run(kit, practice, "check", "--file", str(tmp_path / "nope.py")), 2,
                   "no such file")
    stray = tmp_path / "mystery.py"
    stray.write_text("x = 1\n")
    one_line_error(run(kit, practice, "check", "--file", str(stray)), 2,
                   "cannot tell which kata", "adder, docstore, pair")


@pytest.mark.errors
def test_a_kata_without_tests_or_solution_cannot_be_started(kit, tmp_path):
    lonely = build_kit(tmp_path / "kit")
    (lonely / "tests" / "test_pair.py").unlink()
    result = run(lonely, tmp_path / "p", "start", "pair")
    one_line_error(result, 1, "pair cannot be graded yet", "tests/test_pair.py is missing")


# --- session state that cannot be trusted ------------------------------------------------------


def edit_state(practice: Path, change: Callable[[dict], None]) -> Path:
    path = only_session(practice) / "session.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


@pytest.mark.errors
@pytest.mark.parametrize("field, value", [
    ("file", "../../outside.txt"), ("file", "/tmp/elsewhere.py"), ("snapshot", "../x")])
def test_a_phase_file_outside_the_session_is_refused_and_never_touched(kit, practice, wall,
                                                                      tmp_path, field, value):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    os.chmod(outside, 0o664)
    start(kit, practice, wall, "adder")

    def point_outside(data: dict) -> None:
        code = data["phases"][1]
        if field == "file":
            code["file"] = value
        else:
            code["snapshot"] = {"file": value, "sha256": None, "taken_at": wall.now}

    path = edit_state(practice, point_outside)
    wall.advance(4000)
    for command in (["status"], ["next", "--yes"], ["check"]):
        one_line_error(run(kit, practice, *command, now=wall), 1, str(path), "is corrupt")
    assert outside.read_text() == "precious\n" and stat.S_IMODE(outside.stat().st_mode) == 0o664
    assert run(kit, practice, "abort", now=wall).code == 0
    assert outside.read_text() == "precious\n" and stat.S_IMODE(outside.stat().st_mode) == 0o664


@pytest.mark.errors
@pytest.mark.parametrize("pointer", ['{"session": "../outside"}', '{"session": "/tmp"}',
                                     '{"session": ["x"]}', "[" * 100_000])
def test_an_active_session_pointer_that_is_no_session_folder_is_refused(kit, practice, pointer):
    practice.mkdir()
    (practice / "active.json").write_text(pointer)
    one_line_error(run(kit, practice, "status"), 1, "active.json is corrupt", "abort")
    result = run(kit, practice, "abort")
    assert result.code == 0 and "forgot the active session" in result.out
    assert not (practice / "active.json").exists()


@pytest.mark.errors
def test_a_mock_id_that_is_no_name_is_refused(kit, practice, wall):
    run(kit, practice, "mock", "--seed", "1", now=wall, wait=detach)
    path = edit_state(practice, lambda data: data["mock"].update(id="../../evil"))
    wall.advance(10_000)
    one_line_error(run(kit, practice, "status", now=wall, **FAST), 1, str(path), "mock id")
    assert not (practice.parent / "evil.md").exists()
    assert run(kit, practice, "abort", now=wall).code == 0


@pytest.mark.errors
@pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="symlinks")
def test_a_phase_file_replaced_by_a_link_is_refused_and_what_it_points_to_is_left_alone(
        kit, practice, wall, tmp_path):
    outside = tmp_path / "notes.py"
    outside.write_text("mine\n")
    os.chmod(outside, 0o666)
    start(kit, practice, wall, "adder")
    link = only_session(practice) / "adder.py"
    link.unlink()
    link.symlink_to(outside)
    wall.advance(900)
    one_line_error(run(kit, practice, "status", now=wall), 1, str(link), "symbolic link",
                   "abort")
    assert stat.S_IMODE(outside.stat().st_mode) == 0o666, "its write bits are all still there"
    wall.advance(4000)
    assert run(kit, practice, "abort", now=wall).code == 0
    assert stat.S_IMODE(outside.stat().st_mode) == 0o666 and outside.read_text() == "mine\n"


@pytest.mark.edge
@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_each_file_gets_back_exactly_the_mode_it_had_before_it_was_locked(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    folder = only_session(practice)
    os.chmod(folder / "design.md", 0o664)  # shared with a study group, say
    umask = os.umask(0)
    os.umask(umask)
    original = {name: 0o666 & ~umask for name in ("adder.py", "test_mine.py")}
    wall.advance(60)
    run(kit, practice, "status", now=wall)
    assert stat.S_IMODE((folder / "design.md").stat().st_mode) == 0o444
    wall.advance(200)
    assert run(kit, practice, "status", now=wall, **FAST).code == 0
    modes = {name: stat.S_IMODE((folder / name).stat().st_mode)
             for name in ("design.md", "adder.py", "test_mine.py")}
    assert modes == {"design.md": 0o664, **original}


# --- whole sessions in a child process ---------------------------------------------------------


def wait_for(predicate: Callable[[], object], timeout: float = 20.0) -> object:
    """Poll `predicate` every few milliseconds until it returns something true."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        value = predicate()
        if value:
            return value
        time.sleep(0.005)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


def phase_of(folder: Path) -> str | None:
    try:
        data = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return next((p["name"] for p in data["phases"] if p["ending"] is None), "over")


def clock_process(kit_copy: Path, practice: Path, boxes: str) -> subprocess.Popen:
    """``timer.py start adder`` in a child process with no terminal attached."""
    return subprocess.Popen(
        [sys.executable, str(kit_copy / "timer.py"), "start", "adder", "--boxes", boxes,
         "--dir", str(practice)], cwd=kit_copy, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def session_folder(practice: Path) -> Path:
    """The session folder, once start has made it the active session."""
    wait_for((practice / "active.json").exists)
    return next(practice.glob("adder-*/session.json")).parent


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[str, str]:
    try:
        return process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def keeper_of(practice: Path, folder: Path) -> int | None:
    from katakit.session import Practice
    return Practice(practice).holder("keeper", folder.name)


@pytest.mark.core
@pytest.mark.timeout(90)
@pytest.mark.skipif(os.name != "posix", reason="kills the clock with SIGKILL")
def test_a_whole_session_in_a_child_process_holds_its_deadlines_even_once_the_clock_is_killed(
        kit_copy, tmp_path):
    from katakit.phases import GRACE
    practice = tmp_path / "practice"
    clock = clock_process(kit_copy, practice, "0.01/0.02/0.01")
    try:
        folder = session_folder(practice)
        files = [folder / "design.md", folder / "adder.py", folder / "test_mine.py"]
        assert wait_for(lambda: keeper_of(practice, folder))
        wait_for(lambda: phase_of(folder) == "code")
        (folder / "adder.py").write_text(ADDER_SOLUTION)
        during_code = [writable(f) for f in files]
        wait_for(lambda: phase_of(folder) == "tests")
        clock.kill()  # nothing attached from here on: the deadline keeper carries on
        (folder / "test_mine.py").write_text(MY_TESTS)
        write(folder / "design.md", "# edited after the design phase\n")
    finally:
        finish(clock)
    assert during_code == [False, True, False]
    wait_for((folder / "scorecard.txt").exists)  # the keeper graded the session
    assert "strict tests on the adder.py snapshot: 4/4 passed" in \
        (folder / "scorecard.txt").read_text()
    assert all(writable(f) for f in files), "every file writable again once it is over"
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "finished"
    assert [p["ending"] for p in data["phases"]] == ["deadline"] * 3
    for phase in data["phases"]:
        assert 0 <= phase["snapshot"]["taken_at"] - phase["deadline"] < GRACE, "on time"
        assert phase["snapshot"]["sha256"] == sha(folder / phase["snapshot"]["file"])
    assert (folder / "snapshots" / "adder.py").read_text() == ADDER_SOLUTION
    (line,) = history_lines(practice)
    assert line["score"] == {"passed": 4, "total": 4} and line["aborted"] is False
    assert line["own_tests"]["valid"] is True and line["own_tests"]["coverage"]["line"] > 50
    assert [e["file"] for e in line["late_edits"]] == ["design.md"]
    assert "tests: time is up" in (folder / "keeper.log").read_text()
    wait_for(lambda: keeper_of(practice, folder) is None, timeout=10)


@pytest.mark.edge
def test_resume_starts_a_keeper_only_when_none_runs(kit, practice, wall, monkeypatch):
    from katakit import keeper
    from katakit.session import Practice, Role
    started = []
    monkeypatch.setattr(keeper.subprocess, "Popen", lambda command, **_: started.append(command))
    start(kit, practice, wall, "adder", launch_keeper=keeper.launch)
    assert len(started) == 1 and started[0][1:4] == ["-m", "katakit", "keep"]
    held = Role(Practice(practice), "keeper")
    assert held.take(only_session(practice).name)
    try:
        run(kit, practice, "resume", now=wall, wait=detach, launch_keeper=keeper.launch)
    finally:
        held.release()
    assert len(started) == 1, "one keeper runs already"
    run(kit, practice, "resume", now=wall, wait=detach, launch_keeper=keeper.launch)
    assert len(started) == 2


@pytest.mark.core
def test_the_keeper_snapshots_at_each_deadline_and_grades_when_no_clock_is_attached(
        kit, practice, wall):
    t0 = wall.now
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    folder = only_session(practice)
    result = run(kit, practice, "keep", folder.name, now=wall, wait=ticking(wall), **FAST)
    assert result.code == 0, result
    assert wall.now == t0 + 180, "it slept until each deadline and no longer"
    data = json.loads((folder / "session.json").read_text())
    assert [p["snapshot"]["taken_at"] - p["deadline"] for p in data["phases"]] == [0, 0, 0]
    assert data["status"] == "finished" and len(history_lines(practice)) == 1
    assert (folder / "scorecard.txt").read_text().startswith("Scorecard: adder")
    assert result.out.count("time is up") == 3 and result.out.rstrip().endswith(
        f"history: {practice / 'history.jsonl'}")


@pytest.mark.concurrency
def test_the_keeper_leaves_the_grading_to_an_attached_clock_and_never_snapshots_twice(
        kit, practice, wall):
    from katakit.session import Practice, Role
    start(kit, practice, wall, "adder", "--boxes", "1/1/1")
    folder = only_session(practice)
    t0 = wall.now
    wall.advance(70)
    run(kit, practice, "status", now=wall)  # a command took the design snapshot at 70 s
    design = json.loads((folder / "session.json").read_text())["phases"][0]["snapshot"]
    clock = Role(Practice(practice), "clock")
    assert clock.take(folder.name)
    seen = []

    def clock_detaches_at_the_end(now: float) -> None:
        if now >= t0 + 190:  # ten seconds after the last deadline, before it graded
            seen.append(json.loads((folder / "session.json").read_text())["status"])
            clock.release()

    try:
        result = run(kit, practice, "keep", folder.name, now=wall,
                     wait=ticking(wall, clock_detaches_at_the_end), **FAST)
    finally:
        clock.release()
    assert result.code == 0 and "design: time is up" not in result.out
    assert seen[0] == "active", "with the clock attached, the keeper waited for it to grade"
    data = json.loads((folder / "session.json").read_text())
    assert data["phases"][0]["snapshot"] == design, "one snapshot per deadline"
    assert data["status"] == "finished" and len(history_lines(practice)) == 1, \
        "the clock went without grading: the keeper did"


@pytest.mark.edge
def test_a_second_keeper_for_the_same_session_stops_at_once(kit, practice, wall):
    from katakit.session import Practice, Role
    start(kit, practice, wall, "adder")
    first = Role(Practice(practice), "keeper")
    assert first.take(only_session(practice).name)
    try:
        result = run(kit, practice, "keep", only_session(practice).name, now=wall,
                     wait=ticking(wall))
    finally:
        first.release()
    assert result.code == 0 and result.out == ""
    one_line_error(run(kit, practice, "keep", "../x"), 2, "is not a session folder name")


@pytest.mark.core
def test_a_catch_up_that_finds_the_code_changed_after_its_deadline_marks_the_session_unverified(
        kit, practice, wall, monkeypatch):
    monkeypatch.setattr(phases, "GRACE", 0.05)  # a snapshot this late was not taken on time
    wall.now = time.time()
    start(kit, practice, wall, "adder", "--boxes", "0.005/0.005/0.005")  # no keeper runs here
    folder = only_session(practice)
    code_deadline = state(practice)["phases"][0]["deadline"] + 0.3
    time.sleep(max(0.0, code_deadline + 0.05 - time.time()))
    # finished after the deadline, its modification time set back as `touch -d` would
    write(folder / "adder.py", ADDER_SOLUTION, mtime=code_deadline - 0.2)
    time.sleep(max(0.0, code_deadline + 0.35 - time.time()))
    result = run(kit, practice, "status", now=time.time, **FAST)
    assert "code: the deadline" in result.out and "the session is unverified" in result.out
    assert "unverified: adder.py changed after its deadline" in result.out
    (line,) = history_lines(practice)
    assert line["unverified"] is True
    assert [p["ending"] for p in line["phases"]] == ["deadline", "late", "deadline"]
    listed = run(kit, practice, "list").out.splitlines()[1].split()
    assert listed[-2:] == ["1", "-"], "an attempt, but no best score"
    report = run(kit, practice, "report").out
    assert "unverified" in report and "none graded yet" in report


@pytest.mark.concurrency
@pytest.mark.timeout(90)
def test_next_from_another_process_moves_the_attached_clock_on(kit_copy, tmp_path, run_cli):
    practice = tmp_path / "practice"
    clock = clock_process(kit_copy, practice, "0.5/0.5/0.01")
    try:
        folder = session_folder(practice)
        for phase in ("design", "code"):
            wait_for(lambda phase=phase: phase_of(folder) == phase)
            done = run_cli(kit_copy / "timer.py", "next", "--yes", "--dir", practice, cwd=kit_copy)
            assert done.returncode == 0, done.stderr
            assert f"{phase} ended early" in done.stdout
    finally:
        out, err = finish(clock)
    assert clock.returncode == 0, err
    assert "design ended early" in out and "code ended early" in out and "Scorecard" in out
    (line,) = history_lines(practice)
    assert [p["ending"] for p in line["phases"]] == ["early", "early", "deadline"]


@pytest.mark.edge
@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_closing_the_clock_terminal_loses_nothing(kit_copy, tmp_path):
    practice = tmp_path / "practice"
    clock = clock_process(kit_copy, practice, "1/1/1")
    try:
        folder = session_folder(practice)
        wait_for(lambda: keeper_of(practice, folder))
        before = (folder / "session.json").read_text()
        clock.send_signal(signal.SIGHUP)
    finally:
        finish(clock)
    assert (folder / "session.json").read_text() == before
    result = run(kit_copy, practice, "status")
    assert result.code == 0 and "phase    design:" in result.out, result
    assert "the deadline keeper takes each snapshot on time" in result.out
    assert run(kit_copy, practice, "abort").code == 0
    wait_for(lambda: keeper_of(practice, folder) is None, timeout=10), "the keeper stops too"


@pytest.mark.perf
@pytest.mark.timeout(30)
@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX only")
def test_the_attached_clock_sleeps_instead_of_busy_waiting(kit_copy, tmp_path):
    import resource
    practice = tmp_path / "practice"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    clock = clock_process(kit_copy, practice, "1/1/1")
    try:
        session_folder(practice)
        time.sleep(2.5)
        clock.send_signal(signal.SIGINT)
    finally:
        out, _ = finish(clock)
    wall_seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert run(kit_copy, practice, "abort").code == 0, "(its deadline keeper stops too)"
    assert clock.returncode == 130 and "clock detached" in out
    assert cpu / wall_seconds < 0.25, f"the clock used {cpu:.2f} s of CPU in {wall_seconds:.1f} s"


@pytest.mark.perf
@pytest.mark.timeout(120)
@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX only")
def test_check_adds_little_to_the_pytest_run_it_makes(kit_copy, tmp_path):
    import resource
    impl = tmp_path / "adder.py"
    impl.write_text(ADDER_SOLUTION)
    bare = [sys.executable, "-m", "pytest", "tests/test_adder.py", f"--impl={impl}",
            f"--report-json={tmp_path / 'report.json'}", "-q", "-p", "no:cacheprovider",
            "-m", "not perf and not change"]
    check = [sys.executable, "timer.py", "check", "--file", str(impl), "--dir",
             str(tmp_path / "practice")]
    # As on a user's machine, Python may cache compiled modules (the first run is a warm-up).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def cpu_in_kit(command: list[str]) -> float:
        """CPU seconds of the command and every process it ran: steadier than wall time on a
        busy machine, and a second pytest run would still double it."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, cwd=kit_copy, capture_output=True, text=True, timeout=60,
                              env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert done.returncode == 0, done.stderr
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    bare_seconds = min(cpu_in_kit(bare) for _ in range(3))
    check_seconds = min(cpu_in_kit(check) for _ in range(3))
    # One pytest run plus the timer's own start-up (a fair share of this tiny suite's run); a
    # second pytest run would double it.
    assert check_seconds < 1.8 * bare_seconds, (check_seconds, bare_seconds)


@pytest.mark.edge
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_enter_on_the_terminal_wakes_the_clock_and_end_of_input_stops_the_watch():
    from katakit.clock import KeyboardWait
    controller, terminal = os.openpty()
    with open(terminal, encoding="utf-8") as keyboard:
        wait = KeyboardWait(keyboard)
        assert wait.keyboard is keyboard
        assert wait(0.01) is None, "no key: the timeout passes"
        os.write(controller, b"\n")
        assert wait(5) == "", "Enter: an empty line"
        os.write(controller, b"ls\n")
        assert wait(5) == "ls"
        os.close(controller)  # the terminal goes away: end of input
        assert wait(0.01) is None and wait.keyboard is None
    assert KeyboardWait(io.StringIO()).keyboard is None, "not a terminal: plain sleeping"


@pytest.mark.core
def test_timer_py_runs_as_a_script_on_the_real_kit(monkeypatch, capsys):
    import runpy
    monkeypatch.setattr(sys, "argv", ["timer.py", "list"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(ROOT / "timer.py"), run_name="__main__")
    assert exit_.value.code == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == sorted(p.stem for p in (ROOT / "katas").glob("*.py"))
