"""timer.py around a session: compare with the solution, watch, the history report and skill-gap
sheet, mock interviews and hints. Same temporary kit and fake clock as tests/test_timer.py."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from katakit.kit import Kit
from katakit.history import SessionRecord
from katakit.review import pick_least_practised
from sample_kit import (ADDER_CORE_ONLY, ADDER_SOLUTION, FAST, Terminal, build_kit, detach,
                        failing_grade,
                        history_lines, once, one_line_error, only_session, run, start, ticking,
                        write)


def finished_session(kit: Path, practice: Path, clock, code: str = ADDER_CORE_ONLY,
                     level: str = "full") -> Path:
    """A graded adder session (fake grading) whose code snapshot is `code`."""
    start(kit, practice, clock, "adder", "--level", level)
    folder = practice / json.loads((practice / "active.json").read_text())["session"]
    run(kit, practice, "next", "--yes", now=clock)
    write(folder / "adder.py", code)
    run(kit, practice, "next", "--yes", now=clock)
    run(kit, practice, "next", "--yes", now=clock, **FAST)
    return folder


# --- compare -----------------------------------------------------------------------------------


@pytest.mark.extension
def test_compare_diffs_the_graded_snapshot_and_lists_what_only_the_reference_passes(
        kit, practice, wall):
    folder = finished_session(kit, practice, wall)
    write(folder / "adder.py", "edited after the session\n")
    result = run(kit, practice, "compare")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == f"{folder.name}: your adder.py at the code deadline against the reference " \
                       f"(code only)"
    assert lines[1] == f"--- yours: {folder / 'snapshots' / 'adder.py'}"
    assert lines[2] == "+++ reference: solutions/adder.py"
    assert "-    raise NotImplementedError" in lines and "+    return sum(numbers)" in lines
    assert "+    return a + b" not in lines, "the snapshot, not the later edit, is compared"
    table = lines[lines.index("Tests the reference passes and your snapshot failed (1):"):]
    assert table[1:4] == ["  extension", "    test_total_sums_a_list", "      boom"]
    sizes = {line.split()[0]: line.split()[-2:] for line in table[5:]}
    assert sizes["SIZE"] == ["YOURS", "REFERENCE"]
    assert sizes["lines"] == ["8", "13"] and sizes["classes"] == ["0", "0"]


@pytest.mark.extension
def test_compare_in_the_tests_phase_grades_the_code_snapshot_there_and_then(kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "adder.py", ADDER_CORE_ONLY)
    run(kit, practice, "next", "--yes", now=wall)
    result = run(kit, practice, "compare", "adder", now=wall)
    assert result.code == 0, result
    assert "Tests the reference passes and your snapshot failed (1):" in result.out
    assert "    test_total_sums_a_list\n      NotImplementedError" in result.out


@pytest.mark.edge
def test_compare_of_a_snapshot_that_passes_everything_says_so(kit, practice, wall):
    finished_session(kit, practice, wall, code=ADDER_SOLUTION, level="base")
    lines = run(kit, practice, "compare").out.splitlines()
    assert "(the code of the snapshot is identical to the reference's)" in lines
    assert "Every test the reference passes, your snapshot passes too." in lines


@pytest.mark.edge
def test_compare_picks_the_session_named_or_the_latest_of_a_kata(kit, practice, wall):
    first = finished_session(kit, practice, wall)
    wall.advance(10)
    second = finished_session(kit, practice, wall, code=ADDER_SOLUTION)
    assert run(kit, practice, "compare", first.name).out.startswith(f"{first.name}: ")
    assert run(kit, practice, "compare", "adder").out.startswith(f"{second.name}: ")
    assert run(kit, practice, "compare").out.startswith(f"{second.name}: ")


@pytest.mark.edge
def test_compare_colours_the_diff_on_a_terminal_only(kit, practice, wall):
    finished_session(kit, practice, wall)
    out = Terminal()
    assert run(kit, practice, "compare", out=out, environ={"TERM": "xterm"}).code == 0
    assert "\033[32m+    return sum(numbers)\033[0m" in out.getvalue()
    assert "\033[" not in run(kit, practice, "compare").out


@pytest.mark.edge
def test_compare_shows_code_only_never_the_problem_card(kit, practice, wall):
    card = (kit / "katas" / "adder.py").read_text().split('"""')[1]
    folder = finished_session(kit, practice, wall,
                              code=f'"""{card}"""\n\n\n' + ADDER_SOLUTION.split('"""', 2)[2]
                              .lstrip().replace("return sum(numbers)", "return 0"))
    result = run(kit, practice, "compare")
    assert result.code == 0, result
    diff = result.out.split("Tests the reference passes")[0]
    assert "Add numbers, strictly." not in diff and "Hints" not in diff, "no card in the diff"
    changed = [line for line in diff.splitlines()[3:] if line.startswith(("+", "-"))]
    assert changed == ["-    return 0", "+    return sum(numbers)"], diff
    sizes = {line.split()[0]: line.split()[-2:] for line in result.out.splitlines()
             if line.startswith("  ") and line.split()[-1].isdigit()}
    assert sizes["code"] == ["6", "6"], "docstrings are not code"
    assert folder.name in result.out


@pytest.mark.edge
def test_compare_pages_long_output_on_a_terminal_and_never_when_piped(kit, practice, wall,
                                                                     tmp_path, monkeypatch):
    finished_session(kit, practice, wall)
    paged = tmp_path / "paged.txt"
    environ = {"PAGER": f"sh -c 'cat > {paged}'", "TERM": "xterm"}
    monkeypatch.setenv("LINES", "5")
    out = Terminal()
    assert run(kit, practice, "compare", out=out, live=True, environ=environ).code == 0
    assert out.getvalue() == "" and "+    return sum(numbers)" in paged.read_text()
    paged.unlink()
    piped = run(kit, practice, "compare", environ=environ)
    assert "+    return sum(numbers)" in piped.out and not paged.exists()


@pytest.mark.errors
def test_compare_says_why_there_is_nothing_to_compare(kit, practice, wall):
    one_line_error(run(kit, practice, "compare"), 1, "no sessions in")
    start(kit, practice, wall, "adder")
    one_line_error(run(kit, practice, "compare", now=wall), 1, "has no code snapshot yet",
                   "once the code phase has ended")
    one_line_error(run(kit, practice, "compare", "pair", now=wall), 2,
                   "no session or kata named 'pair'")


# --- watch -------------------------------------------------------------------------------------


def counting_grade(calls: list[str]):
    from sample_kit import fake_grade

    def grade(problem, impl, scope, **kwargs):
        calls.append(impl.read_text())
        return fake_grade(problem, impl, scope, **kwargs)
    return grade


@pytest.mark.extension
def test_watch_rechecks_on_every_save_and_ctrl_c_leaves_it_cleanly(kit, practice, wall, tmp_path):
    mine = tmp_path / "adder.py"
    mine.write_text(ADDER_CORE_ONLY.replace("return a + b", "return a - b"))
    graded: list[str] = []
    polls = []

    def wait(seconds: float) -> bool:
        polls.append(seconds)
        if len(polls) == 2:
            write(mine, ADDER_CORE_ONLY, mtime=time.time() + 5)  # saved in an editor
        if len(polls) == 4:
            raise KeyboardInterrupt
        return False

    result = run(kit, practice, "watch", "--file", str(mine), "--interval", "0.2", now=wall,
                 wait=wait, grade=counting_grade(graded))
    assert result.code == 0, result
    assert len(graded) == 2 and "return a - b" in graded[0] and "return a + b" in graded[1]
    assert polls == [0.2] * 4
    assert result.out.count(f"checking {mine}") == 2
    assert "0/3 passed" in result.out and "2/3 passed" in result.out
    assert result.out.rstrip().endswith("stopped watching")


@pytest.mark.edge
def test_watch_follows_the_session_code_and_shows_the_time_left(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "0.1/60/15")
    wall.advance(6)
    out = Terminal()
    result = run(kit, practice, "watch", now=wall, out=out, live=True, wait=detach, **FAST)
    assert result.code == 0, result
    text = out.getvalue()
    assert "\033[2J\033[H" in text, "the screen is cleared for each result"
    assert f"checking {only_session(practice) / 'adder.py'}" in text
    assert "code phase: 1:00:00 left; watching for saves" in text
    assert "\rcode phase: 1:00:00 left; watching adder.py (Ctrl-C stops)" in text


@pytest.mark.edge
def test_watch_keeps_the_summary_and_the_verdict_on_a_small_screen(kit, practice, wall, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("LINES", "16")
    mine = tmp_path / "adder.py"
    mine.write_text(ADDER_CORE_ONLY)
    tests = [(f"test_{i}_" + "x" * 60, "core" if i < 3 else "edge", "failed") for i in range(30)]
    out = Terminal()
    result = run(kit, practice, "watch", "--file", str(mine), now=wall, out=out, live=True,
                 wait=detach, grade=lambda *args, **kwargs: failing_grade(tests),
                 environ={"NO_COLOR": "1"})
    assert result.code == 0, result
    screen = out.getvalue().split("\033[2J\033[H")[1].split("\r")[0].splitlines()
    assert len(screen) + 1 <= 16, "with the live line below, nothing scrolls away"
    assert screen[1].startswith("adder.py: 0/30 passed"), "a long path gives way to the counts"
    assert "core 0/3: the 60-minute bar is not met" in screen
    assert all(len(line) <= 59 for line in screen[2:]), "long lines are cut, never wrapped"


def lines_until(process: subprocess.Popen, text: str) -> list[str]:
    """The child's output lines up to the first one holding `text` (the test's timeout bounds
    the wait)."""
    lines = []
    for output in iter(process.stdout.readline, ""):
        lines.append(output)
        if text in output:
            return lines
    raise AssertionError(f"the output ended without {text!r}: {lines}")


@pytest.mark.concurrency
@pytest.mark.timeout(60)
def test_watch_in_a_child_process_sees_saves_made_elsewhere(kit_copy, tmp_path):
    mine = tmp_path / "adder.py"
    mine.write_text(ADDER_CORE_ONLY)
    watcher = subprocess.Popen(
        [sys.executable, str(kit_copy / "timer.py"), "watch", "--file", str(mine), "--interval",
         "0.1", "--dir", str(tmp_path / "practice")], cwd=kit_copy, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        before = lines_until(watcher, "watching for saves")
        write(mine, ADDER_SOLUTION, mtime=time.time() + 5)
        after = lines_until(watcher, "watching for saves")
        watcher.send_signal(signal.SIGINT)
        rest, err = watcher.communicate(timeout=20)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.communicate()
    assert watcher.returncode == 0, err
    assert any("3/4 passed" in output for output in before), before
    assert any("4/4 passed" in output for output in after), after
    assert rest.strip().endswith("stopped watching")


# --- report ------------------------------------------------------------------------------------


WHOLE_BOXES = ((900, "deadline"), (3600, "deadline"), (900, "deadline"))


def synthetic(kata: str, day: int, passed: dict[str, str] | None, uses=WHOLE_BOXES, *,
              late_edits=(), aborted=False, coverage=(80.0, 50.0), level="full",
              hints: int = 0) -> dict:
    """A synthetic history line: `passed` maps test name to 'category outcome'."""
    tests = [{"name": name, "category": value.split()[0], "outcome": value.split()[1],
              "message": None if value.endswith("passed") else "AssertionError: no"}
             for name, value in (passed or {}).items()]
    return {
        "session": f"{kata}-2025010{day}-120000", "kata": kata, "size": "full", "level": level,
        "start": f"2025-01-0{day}T12:00:00+00:00", "boxes": "15/60/15",
        "phases": [{"name": name, "planned": planned, "used": used, "ending": ending,
                    "saved": planned - used if ending == "early" else 0, "late_by": 0,
                    "sha256": "0" * 64}
                   for (name, planned), (used, ending) in zip(
                       (("design", 900), ("code", 3600), ("tests", 900)), uses)],
        "score": None if aborted or passed is None else {
            "passed": sum(t["outcome"] == "passed" for t in tests), "total": len(tests)},
        "grade_error": None, "tests": [] if aborted else tests,
        "own_tests": None if aborted else {"coverage": {"line": coverage[0],
                                                        "branch": coverage[1]}},
        "late_edits": [{"phase": phase, "file": "design.md", "sha256": None,
                        "seconds_after_end": 5} for phase in late_edits],
        "hints": hints, "aborted": aborted, "mock": None}


SYNTHETIC = [
    synthetic("adder", 1, {"a": "core failed", "b": "edge failed", "c": "errors passed"},
              uses=((600, "early"), (3600, "deadline"), (900, "deadline")),
              late_edits=("design",)),
    synthetic("adder", 2, {"a": "core passed", "b": "edge failed", "c": "errors passed"},
              hints=2),
    synthetic("docstore", 3, {"d": "core passed", "e": "perf failed", "f": "errors passed"},
              uses=((900, "late"), (1800, "early"), (900, "deadline"))),
    synthetic("adder", 4, None, uses=((300, "aborted"), (None, None), (None, None)),
              aborted=True),
    synthetic("adder", 5, {"a": "core passed", "b": "edge passed", "c": "errors passed"}),
]


def write_history(practice: Path, records: list[dict], extra: str = "") -> None:
    practice.mkdir(exist_ok=True)
    (practice / "history.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records) + extra)


def section(out: str, title: str) -> list[str]:
    """The lines of the report's section starting with `title`, up to the next blank line."""
    lines = out.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(title))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start + 1:end]


@pytest.mark.extension
def test_report_lists_sessions_trends_time_use_and_ranked_skill_gaps(kit, practice):
    write_history(practice, SYNTHETIC)
    result = run(kit, practice, "report")
    assert result.code == 0, result
    sessions = section(result.out, "Sessions (5, oldest first)")
    assert sessions[0].split() == ["DATE", "KATA", "LEVEL", "DESIGN", "CODE", "TESTS", "PASSED",
                                   "OWN", "COV", "HINTS", "LATE", "DECISIONS"]
    assert sessions[1].split() == ["2025-01-01", "12:00", "adder", "full", "10:00/15:00",
                                   "early", "1:00:00/1:00:00", "15:00/15:00", "1/3", "33%",
                                   "80%/50%", "0", "1", "-"]
    assert sessions[2].split()[-3:-1] == ["2", "0"], "hints used, per session"
    assert sessions[3].split()[5:7] == ["late", "30:00/1:00:00"]
    assert sessions[3].split()[9:12] == ["2/3", "67%", "unverified"], "shown, marked"
    assert sessions[4].split()[-5:] == ["aborted", "-", "0", "0", "-"]
    assert section(result.out, "Per kata") == ["  adder  3  33% / 100% / 100%"], \
        "an unverified session counts in no score"
    use = {row.split()[0]: row for row in section(result.out, "Time use")}
    assert "92% of the box on average" in use["design"], "(600 + 900 * 3) / (900 * 4)"
    assert "ran over 1 of 4" in use["design"] and "ended early 1 of 4" in use["design"], \
        "a phase ended early and edited later did not run over"
    assert "88% of the box" in use["code"] and "ended early 1 of 4" in use["code"]
    assert "ran over 0 of 4" in use["tests"]
    assert section(result.out, "Skill gaps") == [
        "  edge    2/3  67%", "  core    1/3  33%", "  errors  0/3  0%"]
    assert section(result.out, "Tests failed most often") == ["  adder  b  failed 2 of 3"], \
        "three graded sessions: a test failed only once is left out"


@pytest.mark.edge
def test_tests_failed_most_often_rank_by_count_then_most_recent(kit, practice):
    days = [{"x": "core failed", "y": "core passed", "z": "edge passed"},
            {"x": "core failed", "y": "core failed", "z": "edge passed"},
            {"x": "core passed", "y": "core failed", "z": "edge failed"}]
    write_history(practice, [synthetic("adder", day, tests) for day, tests in
                             enumerate(days, 1)])
    assert section(run(kit, practice, "report").out, "Tests failed most often") == [
        "  adder  y  failed 2 of 3", "  adder  x  failed 2 of 3"]
    two = run(kit, practice, "report", "--last", "2").out
    assert section(two, "Tests failed most often") == [
        "  adder  y  failed 2 of 2", "  adder  z  failed 1 of 2", "  adder  x  failed 1 of 2"], \
        "with two sessions a single failure still shows, the latest first"


@pytest.mark.edge
def test_an_old_level_core_reads_as_base_everywhere(kit, practice, wall):
    write_history(practice, [synthetic("adder", 1, {"a": "core passed"}, level="core")])
    sessions = section(run(kit, practice, "report").out, "Sessions (1, oldest first)")
    assert sessions[1].split()[3] == "base"
    start(kit, practice, wall, "adder")
    path = only_session(practice) / "session.json"
    path.write_text(path.read_text().replace('"level": "full"', '"level": "core"'))
    assert "graded at level base" in run(kit, practice, "status", now=wall).out


@pytest.mark.edge
def test_report_narrows_to_a_kata_and_to_the_last_sessions(kit, practice):
    write_history(practice, SYNTHETIC)
    only = run(kit, practice, "report", "--kata", "docstore")
    assert "Sessions (1, oldest first)" in only.out and "adder" not in only.out
    last = run(kit, practice, "report", "--last", "2")
    assert "Sessions (2, oldest first)" in last.out
    assert [row.split()[2] for row in section(last.out, "Sessions")[1:]] == ["adder", "adder"]


@pytest.mark.edge
def test_report_skips_a_corrupt_history_line_and_says_so(kit, practice):
    write_history(practice, SYNTHETIC[:2], extra="{oops\n")
    result = run(kit, practice, "report")
    assert result.code == 0 and "Sessions (2, oldest first)" in result.out
    assert "history.jsonl line 3 is corrupt" in result.err


@pytest.mark.extension
def test_report_markdown_writes_a_skill_gap_sheet(kit, practice, tmp_path):
    write_history(practice, SYNTHETIC)
    sheet = tmp_path / "skills.md"
    result = run(kit, practice, "report", "--markdown", str(sheet))
    assert result.code == 0 and f"skill-gap sheet written to {sheet}" in result.out
    text = sheet.read_text()
    assert text.startswith("# Skill-gap sheet\n\nFrom 5 practice sessions, 2025-01-01 to "
                           "2025-01-05")
    for heading in ("## Strengths", "## Gaps", "## Time use", "## Sessions",
                    "## Next katas to practise"):
        assert f"\n{heading}\n" in text
    strengths = text.split("## Strengths")[1].split("##")[0]
    assert "- **errors**: 3 of 3 tests passed (100%)" in strengths and "edge" not in strengths
    assert "| edge | 2 | 3 | 67% |" in text and "| adder | `b` | 2 | 3 |" in text
    next_up = text.split("## Next katas to practise\n\n")[1].splitlines()
    assert next_up == ["1. **docstore**: no verified graded session yet",
                       "2. **pair**: not attempted yet"]


@pytest.mark.edge
def test_an_empty_history_gets_a_friendly_line_and_no_sheet(kit, practice, tmp_path):
    sheet = tmp_path / "skills.md"
    result = run(kit, practice, "report", "--markdown", str(sheet))
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("No practice sessions yet") and not sheet.exists()


@pytest.mark.errors
def test_report_options_are_checked(kit, practice):
    one_line_error(run(kit, practice, "report", "--last", "0"), 2, "--last",
                   "expected a positive number, got '0'")
    one_line_error(run(kit, practice, "report", "--kata", "addr"), 2, "unknown kata 'addr'",
                   "did you mean 'adder'?")


# --- mock --------------------------------------------------------------------------------------


@pytest.mark.extension
def test_mock_runs_a_full_then_a_short_kata_and_records_both_with_a_summary(kit, practice, wall):
    result = run(kit, practice, "mock", "--seed", "3", "--boxes", "1/2/1", "--short-boxes",
                 "0.5/1/0.5", now=wall, wait=ticking(wall), **FAST)
    assert result.code == 0, result
    first = result.out.splitlines()[0]
    assert first.startswith("Mock interview mock-") and "(seed 3)" in first
    assert "at 1/2/1, then pair at 0.5/1/0.5, back to back" in first
    parts = history_lines(practice)
    assert [p["kata"] for p in parts][1] == "pair" and parts[0]["kata"] in ("adder", "docstore")
    assert parts[0]["mock"] == parts[1]["mock"] == first.split()[2]
    assert [p["boxes"] for p in parts] == ["1/2/1", "0.5/1/0.5"]
    assert "part 2 of 2 starts now" in result.out
    summary = practice / f"{parts[0]['mock']}.md"
    text = summary.read_text()
    assert text.startswith(f"# Mock interview {parts[0]['mock']}")
    assert "| 2 | pair | 0.5/1/0.5 | 0:30/0:30 | 1:00/1:00 | 0:30/0:30 |" in text
    assert "Time used: 6:00 of 6:00 planned (100%)." in text
    assert text.rstrip() in result.out


@pytest.mark.edge
def test_mock_picks_the_least_attempted_katas_and_a_seed_settles_ties(kit, practice):
    problems = Kit(kit).problems()
    full = [p for p in problems if p.size == "full"]
    picks = {pick_least_practised(full, [], random.Random(seed)).name for seed in range(20)}
    assert picks == {"adder", "docstore"}, "both tied katas come up across seeds"
    for seed in range(5):
        again = [pick_least_practised(full, [], random.Random(seed)).name for _ in range(2)]
        assert again[0] == again[1], "the same seed, the same pick"
    tried = [SessionRecord("docstore")]
    assert {pick_least_practised(full, tried, random.Random(s)).name for s in range(20)} == \
        {"adder"}


@pytest.mark.edge
def test_mock_with_the_same_seed_starts_the_same_problem(kit, tmp_path, wall):
    firsts = []
    for attempt in range(2):
        practice = tmp_path / f"p{attempt}"
        result = run(kit, practice, "mock", "--seed", "11", now=wall, wait=detach)
        assert result.code == 130, result
        firsts.append(result.out.splitlines()[0].split(": ", 1)[1])
    assert firsts[0] == firsts[1]


@pytest.mark.edge
def test_a_mock_left_alone_starts_its_second_part_when_the_first_runs_out(kit, practice, wall):
    run(kit, practice, "mock", "--seed", "1", "--boxes", "1/1/1", now=wall, wait=detach)
    wall.advance(200)
    result = run(kit, practice, "status", now=wall, **FAST)
    assert result.code == 0, result
    assert "part 2 of 2 starts now" in result.out and "`python timer.py resume`" in result.out
    active = json.loads((practice / "active.json").read_text())["session"]
    assert active.startswith("pair-")
    assert len(history_lines(practice)) == 1


@pytest.mark.errors
def test_a_mock_needs_a_full_and_a_short_kata(tmp_path):
    lonely = build_kit(tmp_path / "kit")
    (lonely / "katas" / "pair.py").unlink()
    result = run(lonely, tmp_path / "p", "mock")
    one_line_error(result, 1, "a mock needs a full and a short kata", "short: none")


# --- hints -------------------------------------------------------------------------------------


@pytest.mark.extension
def test_hint_hands_out_the_next_hint_and_the_session_counts_them(kit, practice, wall):
    start(kit, practice, wall, "adder")
    first = run(kit, practice, "hint", "adder", now=wall)
    assert first.out.splitlines() == [
        "Hint 1 of 2 for adder: Python has an operator for it.",
        "hints used in this session: 1 of 2"]
    second = run(kit, practice, "hint", "adder", now=wall)
    assert second.out.splitlines()[0] == \
        "Hint 2 of 2 for adder: For total, the standard library has a function."
    third = run(kit, practice, "hint", "adder", now=wall)
    assert third.out.splitlines()[0].startswith("Hint 2 of 2"), "no third hint to give"
    for _ in range(3):
        last = run(kit, practice, "next", "--yes", now=wall, **FAST)
    assert history_lines(practice)[0]["hints"] == 2
    assert "hints used: 2 of 2" in last.out.splitlines(), "in the scorecard too"


@pytest.mark.edge
def test_hints_outside_the_session_kata_are_shown_but_not_counted(kit, practice, wall):
    start(kit, practice, wall, "adder")
    result = run(kit, practice, "hint", "pair", "2", now=wall)
    assert result.out.startswith("Hint 2 of 2 for pair: ")
    outside = run(kit, practice.parent / "elsewhere", "hint", "adder")
    assert outside.out.splitlines() == ["Hint 1 of 2 for adder: Python has an operator for it.",
                                        "`python timer.py hint adder 2` shows the next one"]
    run(kit, practice, "abort", now=wall)
    assert history_lines(practice)[0]["hints"] == 0


@pytest.mark.errors
def test_hint_errors_name_the_kata_and_the_hints_it_has(kit, practice):
    one_line_error(run(kit, practice, "hint", "adder", "3"), 2, "adder has 2 hints, not 3")
    one_line_error(run(kit, practice, "hint", "addr"), 2, "did you mean 'adder'?")
    one_line_error(run(kit, practice, "hint", "adder", "x"), 2, "expected a positive number")


@pytest.mark.concurrency
def test_the_attached_clock_follows_a_mock_into_its_second_part_begun_elsewhere(
        kit, practice, wall):
    t0 = wall.now

    def other_terminal() -> None:
        for _ in range(3):
            run(kit, practice, "next", "--yes", now=wall, **FAST)

    result = run(kit, practice, "mock", "--seed", "2", "--boxes", "1/1/1", "--short-boxes",
                 "1/1/1", now=wall, wait=ticking(wall, once(lambda now: now >= t0 + 30,
                                                            other_terminal)), **FAST)
    assert result.code == 0, result
    assert result.out.count("design phase: 1:00 to write design.md") == 2, "both parts shown"
    assert "code phase: 1:00 to write pair.py" in result.out
    assert "mock summary saved as" in result.out, "the clock graded part 2 and summed up"
    assert [line["kata"] for line in history_lines(practice)][1] == "pair"
    assert wall.now == t0 + 30 + 180, "part 2 ran its three boxes under the attached clock"
