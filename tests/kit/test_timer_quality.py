"""The code-quality review: ruff with the kit's rules on the candidate's code beside the reference,
in check, watch, the scorecard, the history and the report; and without ruff installed."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from katakit import grading, quality
from katakit.quality import Reviewing, ReviewRecord, ReviewRun, family, quality_lines
from sample_kit import (ADDER_SOLUTION, FAST, Terminal, build_kit, detach, history_lines,
                        only_session, run, start, write)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"
CASES = "\n".join(f"    elif kind == {n}:\n        if n > {n}:\n            return {n}\n"
                  f"        return -{n}" for n in range(2, 15))
MESSY = f'''def messy(kind, n):
    if kind == 1:
        return 1
{CASES}
    return 0


def tidy(x):
    return x + 1
'''


def review(tmp_path: Path, source: str, name: str = "mine.py"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    reference = ROOT / "solutions" / "lru_cache.py"
    reviews = ReviewRun([path, reference], CONFIG).result()
    return reviews[path], reviews[reference]


@pytest.mark.core
def test_a_function_of_nested_ifs_over_14_cases_is_flagged_by_name(tmp_path):
    mine, reference = review(tmp_path, MESSY)
    lines = quality_lines(mine, reference)
    assert lines[0].startswith("quality (ruff, not scored): "), lines
    flagged = [line for line in lines if "C901 in messy" in line or "PLR0912 in messy" in line]
    assert flagged, f"the ladder of ifs is not flagged by name: {lines}"
    assert any(line.startswith("  longest function: messy, ") and "(reference " in line
               for line in lines), lines
    assert any(line.startswith("  highest complexity: messy, ") for line in lines), lines
    assert len(lines) <= 8, f"{len(lines)} lines: {lines}"


@pytest.mark.core
def test_the_reference_solution_is_clean_and_its_numbers_are_shown_beside_yours(tmp_path):
    _, reference = review(tmp_path, "def f():\n    return 1\n")
    assert reference.findings == [], reference.findings
    assert reference.longest and reference.most_complex, reference


@pytest.mark.edge
def test_the_most_important_findings_come_first_bugs_before_style(tmp_path):
    source = "def getValue(x=[]):\n    try:\n        return x\n    except:\n        pass\n"
    mine, _ = review(tmp_path, source)
    codes = [f.code for f in mine.top()]
    assert codes[:2] == ["B006", "E722"] and "N802" in codes, codes
    assert {f.function for f in mine.top()} == {"getValue"}, mine.top()


@pytest.mark.edge
def test_the_history_keeps_the_numbers(tmp_path):
    mine, _ = review(tmp_path, MESSY)
    record = mine.to_record()
    assert record.findings == len(mine.findings) and record.longest[0] == "messy", record
    assert record.families["complexity"] >= 1, record
    assert ReviewRecord.from_json(record.to_json(), "quality") == record, "read back as written"


@pytest.mark.edge
def test_methods_are_named_with_their_class_and_code_outside_functions_at_module_level(tmp_path):
    source = "import os\n\n\nclass Cache:\n    def Get(self):\n        return 1\n"
    mine, _ = review(tmp_path, source)
    assert quality_lines(mine, None)[1:3] == [
        "  N802 in Cache.Get (line 5): Function name `Get` should be lowercase",
        "  F401 at module level (line 1): `os` imported but unused"]
    assert mine.longest == ("Cache.Get", 2), mine.longest


@pytest.mark.errors
def test_a_file_that_does_not_parse_is_reported_in_one_line(tmp_path):
    mine, reference = review(tmp_path, "def broken(:\n")
    assert quality_lines(mine, reference) == [f"quality: not reviewed: {mine.error}"], mine
    assert "SyntaxError" in mine.error, mine.error


@pytest.mark.edge
@pytest.mark.parametrize("code, name", [("B006", "likely bugs"), ("E722", "likely bugs"),
                                        ("C901", "complexity"), ("PLR0912", "complexity"),
                                        ("N802", "naming"), ("F401", "unused code"),
                                        ("SIM108", "simpler forms")])
def test_each_rule_belongs_to_one_family(code, name):
    assert family(code) == name, f"family({code!r}) is {family(code)!r}, expected {name!r}"


# --- in check, watch, the scorecard, the history and the report --------------------------------

ADDER_CASES = "\n".join(f"    elif a == {n}:\n        if b > {n}:\n            return {n} + b\n"
                        f"        return b + {n}" for n in range(2, 15))
MESSY_ADDER = f'''def add(a, b):
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError("numbers only")
    if a == 1:
        if b > 1:
            return 1 + b
        return b + 1
{ADDER_CASES}
    return a + b


def total(numbers):
    return sum(numbers)
'''


def block(out: str) -> list[str]:
    """The quality block of a command's output: from its first line to the end of the grade."""
    lines = out.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("quality")), len(lines))
    return lines[first:first + 1] + [line for line in lines[first + 1:] if line.startswith("  ")]


@pytest.mark.core
def test_check_flags_a_ladder_of_nested_ifs_by_name_and_grades_exactly_as_without_review(
        kit, practice, tmp_path):
    folder = tmp_path / "elsewhere"  # outside the kit, with rules of its own that ruff must ignore
    folder.mkdir()
    (folder / "ruff.toml").write_text('[lint]\nselect = ["E501"]\n')
    messy = folder / "adder.py"
    messy.write_text(MESSY_ADDER)
    plain = run(kit, practice, "check", "--file", str(messy))
    reviewed = run(kit, practice, "check", "--file", str(messy), review=Reviewing)
    assert reviewed.code == plain.code == 0, (reviewed, plain)
    grade = plain.out.splitlines()
    lines = reviewed.out.splitlines()
    assert [line.split(", ")[0] for line in lines[:len(grade)]] == \
        [line.split(", ")[0] for line in grade], "the same grade (its seconds aside), first"
    quality = lines[len(grade):]
    assert quality[0].startswith("quality (ruff, not scored): 3 findings: complexity 3 "
                                 "(reference 0)"), quality
    assert [line.split(" (line")[0] for line in quality[1:4]] == [
        "  C901 in add", "  PLR0911 in add", "  PLR0912 in add"], quality
    assert quality[1].endswith("(line 1): `add` is too complex (30 > 10)"), quality
    assert quality[4:] == ["  longest function: add, 60 lines (reference 5)",
                           "  highest complexity: add, 30 (reference 2)"]


@pytest.mark.edge
def test_more_findings_than_three_say_how_to_see_them_all_in_at_most_eight_lines(
        kit, practice, tmp_path):
    mine = tmp_path / "adder.py"
    mine.write_text("import os\nimport sys\n\n\ndef add(a, b, c=[]):\n    try:\n"
                    "        return a + b\n    except:\n        return None\n\n\n"
                    "def Total(numbers):\n    return sum(numbers)\n")
    result = run(kit, practice, "check", "--file", str(mine), review=Reviewing)
    quality = block(result.out)
    assert quality[0] == "quality (ruff, not scored): 5 findings: likely bugs 2, naming 1, " \
                         "unused code 2 (reference 0)"
    assert quality[1:4] == ["  B006 in add (line 5): Do not use mutable data structures for "
                            "argument defaults",
                            "  E722 in add (line 8): Do not use bare `except`",
                            "  N802 in Total (line 12): Function name `Total` should be "
                            "lowercase"]
    assert quality[4] == f"  ... and 2 more: `python -m ruff check --config " \
                         f"{kit / 'pyproject.toml'} {mine}`"
    assert len(quality) <= 8 and "F401 at module level" not in result.out
    inside = kit / "attempts" / "adder.py"  # in the kit, ruff finds the kit's rules itself
    inside.parent.mkdir()
    try:
        inside.write_text(mine.read_text())
        result = run(kit, practice, "check", "--file", str(inside), review=Reviewing)
    finally:
        shutil.rmtree(inside.parent)
    assert block(result.out)[4] == f"  ... and 2 more: `python -m ruff check {inside}`"


@pytest.mark.edge
def test_watch_shows_the_review_in_the_rows_the_grade_leaves(kit, practice, tmp_path,
                                                             monkeypatch, wall):
    messy = tmp_path / "adder.py"
    messy.write_text(MESSY_ADDER)
    screens = {}
    monkeypatch.setenv("COLUMNS", "100")
    for rows in ("40", "14"):
        monkeypatch.setenv("LINES", rows)
        out = Terminal()
        result = run(kit, practice, "watch", "--file", str(messy), now=wall, out=out, live=True,
                     wait=detach, review=Reviewing, environ={"NO_COLOR": "1"}, **FAST)
        assert result.code == 0, result
        screens[rows] = out.getvalue().split("\033[2J\033[H")[1].split("\r")[0].splitlines()
    assert len(block("\n".join(screens["40"]))) == 6, "room for the whole block"
    small = screens["14"]
    assert len(small) + 1 <= 14, "with the live line below, nothing scrolls away"
    assert "core 1/1: the 60-minute bar is met" in small and small[-2].startswith("  C901 in add")
    assert small[-3].startswith("quality (ruff, not scored): 3 findings"), small


@pytest.mark.core
def test_the_scorecard_shows_the_review_of_the_snapshot_and_the_history_keeps_its_numbers(
        kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "adder.py", MESSY_ADDER)
    run(kit, practice, "next", "--yes", now=wall)
    write(folder / "adder.py", ADDER_SOLUTION)  # a late edit: the snapshot is what is reviewed
    result = run(kit, practice, "next", "--yes", now=wall, review=Reviewing, **FAST)
    assert result.code == 0, result
    lines = result.out.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("quality (ruff")))
    assert lines[first - 2:first] == ["  extension  test_total_sums_a_list",
                                      "             boom"], "the review follows the strict tests"
    assert lines[first + 1].startswith("  C901 in add (line 1)"), lines
    assert lines[first + 4:first + 6] == ["  longest function: add, 60 lines (reference 5)",
                                          "  highest complexity: add, 30 (reference 2)"], lines
    assert lines[first + 6].startswith("own tests: "), lines
    assert "  C901 in add (line 1)" in (folder / "scorecard.txt").read_text()
    (line,) = history_lines(practice)
    assert line["quality"] == {
        "findings": 3, "families": {"complexity": 3}, "longest": ["add", 60],
        "complexity": ["add", 30],
        "reference": {"findings": 0, "families": {}, "longest": ["add", 5],
                      "complexity": ["add", 2]}}, line["quality"]
    assert run(kit, practice, "list").code == 0 and "history.jsonl" not in \
        run(kit, practice, "report").err, "the line reads back"


@pytest.mark.core
def test_report_shows_the_quality_trend_per_kata_a_column_per_session_and_a_sheet_line(
        kit, practice, wall, tmp_path):
    for code in (MESSY_ADDER, ADDER_SOLUTION):
        start(kit, practice, wall, "adder")
        folder = only_session(practice)
        run(kit, practice, "next", "--yes", now=wall)
        write(folder / "adder.py", code)
        run(kit, practice, "next", "--yes", now=wall)
        run(kit, practice, "next", "--yes", now=wall, review=Reviewing, **FAST)
        (folder / "session.json").rename(folder / "graded.json")  # one session folder at a time
        wall.advance(60)
    start(kit, practice, wall, "pair")
    run(kit, practice, "abort", now=wall)
    sheet = tmp_path / "skills.md"
    result = run(kit, practice, "report", "--markdown", str(sheet))
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[1].split()[-1] == "QUALITY"
    assert [line.split()[-1] for line in lines[2:5]] == ["3/60/30", "0/5/2", "-"]
    assert lines[5] == "  (QUALITY: ruff findings / the longest function's lines / the highest " \
                       "complexity in your code; never scored)"
    title = lines.index("Code quality per kata (ruff, not scored; first / latest, the "
                        "reference's in brackets):")
    header, trend, after = lines[title + 1:title + 4]
    assert [cell.strip() for cell in header.split("  ") if cell] == [
        "KATA", "REVIEWED", "FINDINGS", "LONGEST FUNCTION", "HIGHEST COMPLEXITY"], header
    assert trend.split() == ["adder", "2", "3", "/", "0", "60", "/", "5", "(5)", "30", "/", "2",
                             "(2)"], trend
    assert after == "", "an aborted session, never reviewed, has no trend"
    text = sheet.read_text()
    assert "\nCode quality (ruff, not scored): 2 reviewed sessions, 3 findings in the first and " \
           "0 in the latest; found most: complexity (3 of 3).\n" in text
    assert "| Quality |" in text and "| 3/60/30 |" in text


@pytest.mark.errors
def test_without_ruff_check_and_the_scorecard_say_so_in_one_line_and_grade_the_same(
        kit, practice, wall, monkeypatch, tmp_path):
    monkeypatch.setattr(quality, "available", lambda: False)
    copy = tmp_path / "adder.py"
    copy.write_text(MESSY_ADDER)
    plain = run(kit, practice, "check", "--file", str(copy))
    without = run(kit, practice, "check", "--file", str(copy), review=Reviewing)
    grade = plain.out.splitlines()
    *same, note = without.out.splitlines()
    assert without.code == plain.code and len(same) == len(grade), (without, plain)
    assert note == "quality: not reviewed: ruff is not installed; `python -m pip install " \
                   "ruff==0.17.5` installs it"
    start(kit, practice, wall, "adder")
    for _ in range(3):
        result = run(kit, practice, "next", "--yes", now=wall, review=Reviewing, **FAST)
    assert result.code == 0 and note in result.out.splitlines(), result
    assert history_lines(practice)[-1]["quality"] is None


@pytest.mark.errors
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="builds a site folder of links")
def test_a_python_without_ruff_grades_as_before_with_one_line_on_what_to_install(
        kit_copy, tmp_path, run_cli):
    site = Path(pytest.__file__).parent.parent
    partial = tmp_path / "site"  # everything the kit needs but ruff
    partial.mkdir()
    for entry in site.iterdir():
        if not entry.name.startswith("ruff") and not entry.name.endswith(".pth"):
            (partial / entry.name).symlink_to(entry)
    mine = tmp_path / "adder.py"
    mine.write_text(MESSY_ADDER)
    command = ["check", "--file", mine, "--dir", tmp_path / "p"]
    done = run_cli("-S", kit_copy / "timer.py", *command, cwd=kit_copy,
                   env={"PYTHONPATH": str(partial)})
    full = run_cli(kit_copy / "timer.py", *command, cwd=kit_copy)
    assert done.returncode == full.returncode == 0 and done.stderr == "", done
    *grade, note = done.stdout.splitlines()
    assert note == f"quality: not reviewed: ruff is not installed; `{sys.executable} -m pip " \
                   f"install ruff==0.17.5` installs it"
    assert full.stdout.splitlines()[len(grade)].startswith("quality (ruff, not scored): 3 "), full
    assert [line.split(", ")[0] for line in full.stdout.splitlines()[:len(grade)]] == \
        [line.split(", ")[0] for line in grade], "the same grade"


@pytest.mark.errors
def test_a_file_that_cannot_be_graded_is_not_also_said_to_be_unreviewable(kit, practice,
                                                                         tmp_path):
    broken = tmp_path / "adder.py"
    broken.write_text("def add(a, b) return a + b\n")
    result = run(kit, practice, "check", "--file", str(broken), review=Reviewing)
    assert result.code == 2 and len(result.out.splitlines()) == 1, result


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_the_review_adds_little_to_the_check_it_goes_with(practice, timed):
    """ruff runs beside pytest and is read after it: what it adds to `check` is small beside the
    grading itself (the real kit's largest suite, perf tests left out, as check runs it)."""
    spent: list[float] = []
    graded: list[float] = []

    class Timed(Reviewing):
        def __init__(self, *args: Path) -> None:
            started = time.perf_counter()
            super().__init__(*args)
            spent.append(time.perf_counter() - started)

        def result(self) -> quality.Quality:
            started = time.perf_counter()
            try:
                return super().result()
            finally:
                spent.append(time.perf_counter() - started)

    def grade(*args, **kwargs):
        result = grading.grade(*args, **kwargs)
        graded.append(result.seconds)
        return result

    def check(review) -> None:
        result = run(ROOT, practice, "check", "--file", "solutions/docstore.py", review=review,
                     grade=grade)
        assert result.code == 0, result

    ratio = timed.ratio(lambda: check(Timed), lambda: check(None), at_most=1.3, repeats=5)
    waited = [a + b for a, b in zip(spent[::2], spent[1::2], strict=True)]
    assert min(w / g for w, g in zip(waited, graded[::2], strict=True)) < 0.1, (waited, graded)
    assert ratio < 1.3, f"check with the review took {ratio:.2f} times as long as without"


@pytest.mark.errors
@pytest.mark.parametrize("review, problem", [
    ({"findings": "3"}, "quality findings is '3', expected a whole number of at least 0"),
    ({"findings": 1, "families": {"naming": -1}},
     "quality families naming is -1, expected a whole number of at least 0"),
    ({"findings": 1, "longest": "add"}, "quality longest is 'add', expected [name, count]"),
    ({"findings": 1, "complexity": ["add", 1.5]},
     "quality complexity is 1.5, expected a whole number of at least 0"),
    ({"findings": 1, "reference": {"longest": [1, 2]}},
     "quality reference longest is [1, 2], expected [name, count]"),
    ({"error": 7}, "quality error is 7, expected a string"),
    ([], "quality is [], expected an object")])
def test_a_history_line_with_a_review_of_the_wrong_shape_is_skipped_and_named(
        kit, practice, review, problem):
    practice.mkdir()
    good = {"kata": "adder", "score": {"passed": 4, "total": 4},
            "quality": {"error": "cannot review adder.py: SyntaxError"}}
    (practice / "history.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps({**good, "quality": review}) + "\n")
    result = run(kit, practice, "report")
    assert result.code == 0 and "QUALITY" not in result.out, result
    assert result.err == f"timer: warning: history.jsonl line 2 is corrupt ({problem}): " \
                         f"skipped\n"


@pytest.mark.concurrency
def test_ctrl_c_while_check_grades_leaves_no_ruff_behind(kit, practice, tmp_path):
    mine = tmp_path / "adder.py"
    mine.write_text(MESSY_ADDER)
    started: list[Reviewing] = []

    def reviewing(*args: object) -> Reviewing:
        started.append(Reviewing(*args))
        return started[-1]

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    result = run(kit, practice, "check", "--file", str(mine), review=reviewing,
                 grade=interrupted)
    assert result.code == 130 and result.out == "", result
    (review,) = started
    assert review.run.process.returncode is not None, "ruff was stopped and reaped"


@pytest.mark.errors
def test_a_kit_without_its_rules_says_so_in_one_line(tmp_path):
    kit = build_kit(tmp_path / "kit")
    (kit / "pyproject.toml").unlink()
    mine = tmp_path / "adder.py"
    mine.write_text(MESSY_ADDER)
    result = run(kit, tmp_path / "practice", "check", "--file", str(mine), review=Reviewing)
    assert result.code == 0, result
    assert result.out.splitlines()[-1] == "quality: not reviewed: the kit has no pyproject.toml " \
                                          "with its rules"


@pytest.mark.edge
def test_what_the_kata_hands_out_is_not_held_against_the_candidate(practice, tmp_path):
    """rate_limiter's card names its exception RateLimitExceeded (N818 wants an Error suffix):
    the candidate cannot rename it, so only what they wrote themselves is counted."""
    mine = tmp_path / "rate_limiter.py"
    mine.write_text((ROOT / "katas" / "rate_limiter.py").read_text(encoding="utf-8") +
                    "\n\ndef waitTime():\n    return 0\n")
    result = run(ROOT, practice, "check", "--file", str(mine), review=Reviewing,
                 grade=FAST["grade"])
    quality = block(result.out)
    assert quality[0] == "quality (ruff, not scored): 1 finding: naming 1 (reference 0)", quality
    assert quality[1].startswith("  N802 in waitTime (line "), quality


@pytest.mark.edge
def test_ruff_runs_as_python_m_ruff_when_its_binary_cannot_be_located(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ruff", None)  # the import fails
    mine = tmp_path / "mine.py"
    mine.write_text(MESSY)
    run_ = ReviewRun([mine], CONFIG)
    assert run_.process.args[:3] == [sys.executable, "-m", "ruff"], run_.process.args
    assert [f.code for f in run_.result()[mine].top()] == ["C901", "PLR0911", "PLR0912"]
