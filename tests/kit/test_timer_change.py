"""The change request: revealed during the code phase (by the clock, the deadline keeper or a
command catching up), graded apart, and what it cost: the code at the reveal against the code at
the deadline."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from katakit.change import change_cost
from katakit.commands import main
from katakit.context import Setup
from katakit.grading import Case, Grade, OwnRun, OwnTests, Scope
from sample_kit import (ADDER_KATA, ADDER_SOLUTION, ADDER_TESTS, PAIR_KATA, Terminal, build_kit,
                        detach, history_lines, one_line_error, once, only_session, run, sha,
                        start, state, ticking, typing, writable, write)

BEFORE = '''"""A cache."""


class Cache:
    def __init__(self, capacity):
        """An empty cache."""
        self.capacity = capacity
        self.items = {}

    def put(self, key, value):
        self.items[key] = value
        if len(self.items) > self.capacity:
            self._evict()

    def _evict(self):
        self.items.pop(next(iter(self.items)))


def helper():
    return 1
'''


@pytest.mark.core
def test_counts_lines_added_and_removed_and_the_existing_functions_modified():
    after = BEFORE.replace("        self.items.pop(next(iter(self.items)))",
                           "        victim = self.policy.victim(self.items)\n"
                           "        self.items.pop(victim)") \
                  .replace("def __init__(self, capacity):",
                           "def __init__(self, capacity, policy=None):")
    cost = change_cost(BEFORE, after)
    assert (cost.added, cost.removed) == (3, 2), cost
    assert cost.functions_before == 4 and cost.modified == ["Cache.__init__", "Cache._evict"], cost
    assert cost.line() == ("+3 -2 lines; 2 of 4 existing functions modified "
                           "(Cache.__init__, Cache._evict)"), cost.line()


@pytest.mark.edge
def test_new_functions_docstrings_and_formatting_do_not_count_as_modifications():
    after = BEFORE.replace('"""An empty cache."""', '"""An empty cache, sized."""') \
                  .replace("def helper():\n    return 1", "def helper():\n    return (1)") \
        + "\n\ndef added():\n    return 2\n"
    cost = change_cost(BEFORE, after)
    assert cost.modified == [] and cost.functions_before == 4, cost
    assert cost.added > 0, cost


@pytest.mark.errors
def test_code_that_does_not_parse_still_gets_its_line_counts():
    cost = change_cost(BEFORE, BEFORE + "def broken(:\n")
    assert cost.added == 1 and cost.error == "SyntaxError", cost
    assert cost.line() == "+1 -0 lines (functions not compared: SyntaxError)", cost.line()


# --- the reveal in a session -------------------------------------------------------------------
#
# This module's kit gives the made-up katas adder (full) and pair (short) a sealed change request:
# add takes a keyword `modulo`. Each graded suite gets two `change` tests, and the reference
# solution implements it.

REQUEST = """Change request:
add(a, b, *, modulo=None): when modulo is given, the sum is taken modulo it. modulo must be an
int (TypeError) of at least 1 (ValueError naming it)."""

CHANGE_TESTS = '''

@pytest.mark.change
def test_add_takes_the_sum_modulo_the_keyword_modulo(impl):
    assert impl.add(5, 4, modulo=7) == 2


@pytest.mark.change
def test_add_rejects_a_modulo_below_one(impl):
    with pytest.raises(ValueError):
        impl.add(1, 2, modulo=0)
'''

CHANGE_SOLUTION = ADDER_SOLUTION.replace('''def add(a, b):
    """a + b; TypeError unless both are numbers."""
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError(f"add needs numbers, got {a!r} and {b!r}")
    return a + b''', '''def add(a, b, *, modulo=None):
    """a + b, modulo `modulo` when given; TypeError unless both are numbers."""
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError(f"add needs numbers, got {a!r} and {b!r}")
    if modulo is None:
        return a + b
    if modulo < 1:
        raise ValueError(f"modulo must be at least 1, got {modulo!r}")
    return (a + b) % modulo''')

CODE_BEFORE = "def add(a, b):\n    return a + b\n\n\ndef total(numbers):\n    return sum(numbers)\n"
CODE_AFTER = CODE_BEFORE.replace("def add(a, b):\n    return a + b\n",
                       "def add(a, b, *, modulo=None):\n    if modulo is None:\n"
                       "        return a + b\n    return (a + b) % modulo\n")
MUTANT = '''"""The modulo is ignored."""

CAUGHT_BY = ["test_add_takes_the_sum_modulo_the_keyword_modulo"]

REPLACE = [("    return (a + b) % modulo", "    return a + b")]
'''


def with_request(card: str) -> str:
    return card.replace('   a function.\n"""', f'   a function.\n\n{REQUEST}\n"""', 1)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_kit(tmp_path_factory.mktemp("kit"))
    for name, kata in (("adder", ADDER_KATA), ("pair", PAIR_KATA)):
        (root / "katas" / f"{name}.py").write_text(with_request(kata), encoding="utf-8")
        (root / "solutions" / f"{name}.py").write_text(CHANGE_SOLUTION, encoding="utf-8")
        (root / "tests" / f"test_{name}.py").write_text(ADDER_TESTS + CHANGE_TESTS,
                                                          encoding="utf-8")
    (root / "solutions" / "adder.md").write_text(
        "# Design: Adder\n\n## API\n\nadd(a, b, *, modulo=None): modulo is the change request.\n",
        encoding="utf-8")
    (root / "tests" / "mutants" / "adder").mkdir(parents=True)
    (root / "tests" / "mutants" / "adder" / "change_modulo_ignored.py").write_text(MUTANT)
    return root


GRADED: list[Scope] = []


def grade(problem, impl, scope, **_):
    """The strict suite, imitated: add works when the code adds; modulo when it takes one."""
    GRADED.append(scope)
    text = impl.read_text(encoding="utf-8") if impl is not None and impl.is_file() else ""
    adds, modulo = "return a + b" in text, "% modulo" in text
    tests = [Case("test_add_adds", "core", "passed" if adds else "failed", None if adds else
                  "NotImplementedError")]
    if scope.change:
        tests += [Case("test_add_takes_the_sum_modulo_the_keyword_modulo", "change",
                       "passed" if modulo else "failed", None if modulo else "wrong sum"),
                  Case("test_add_rejects_a_modulo_below_one", "change", "failed",
                       "add(1, 2, modulo=0) did not raise ValueError")]
    return Grade(problem.name, scope, tests)


def own_tests(problem, code, tests, **_):
    return OwnTests(OwnRun(2), OwnRun(2), 90.0, 75.0)


FAKE = {"grade": grade, "own_tests": own_tests}


@pytest.fixture(autouse=True)
def _fresh_grades():
    GRADED.clear()


def change_of(practice: Path) -> dict:
    return state(practice)["change"]


def keep(kit, practice, wall, *hooks):
    """Run the deadline keeper to the session's end, each `on_wait` hook called as time passes."""
    def on_wait(now: float) -> None:
        for hook in hooks:
            hook(now)

    result = run(kit, practice, "keep", only_session(practice).name, now=wall,
                 wait=ticking(wall, on_wait), **FAKE)
    assert result.code == 0, result
    return result


@pytest.mark.core
def test_the_request_comes_two_thirds_into_the_code_box_with_its_file_and_snapshot(
        kit, practice, wall):
    t0 = wall.now
    started = start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    assert "A change request comes 2:00 into the code phase" in started.out
    folder = only_session(practice)
    code = folder / "adder.py"
    assert REQUEST.splitlines()[1] not in code.read_text() + (folder / "design.md").read_text(), \
        "sealed: the session's copies of the card leave the request out"
    seen = {}
    result = keep(kit, practice, wall,
                  once(lambda now: now >= t0 + 100, lambda: write(code, CODE_BEFORE)),
                  once(lambda now: now >= t0 + 179,
                       lambda: seen.update(before=run(kit, practice, "status", now=wall).out)),
                  once(lambda now: now >= t0 + 181,
                       lambda: seen.update(after=run(kit, practice, "status", now=wall).out)),
                  once(lambda now: now >= t0 + 200, lambda: write(code, CODE_AFTER)))
    change = change_of(practice)
    assert change["revealed_at"] == t0 + 60 + 120, "the keeper woke for it: exactly 2:00 in"
    snapshot = folder / change["snapshot"]["file"]
    assert snapshot.name == "adder.before-change.py" and snapshot.read_text() == CODE_BEFORE
    assert change["snapshot"]["sha256"] == sha(snapshot) and not writable(snapshot)
    assert (folder / "snapshots" / "adder.py").read_text() == CODE_AFTER
    request = (folder / "change_request.md").read_text()
    assert "add(a, b, *, modulo=None): when modulo is given" in request
    assert "2:00 into the code phase, with 1:00 left" in request
    assert "`python timer.py check` grades the change request's tests" in request
    assert "change   comes at " in seen["before"] and "2:00 into the code phase (in 0:01)" \
        in seen["before"]
    assert "change   revealed at " in seen["after"] and "read change_request.md" in seen["after"]
    assert "change request revealed 2:00 into the code phase; read change_request.md; the code " \
           "as it stood is kept as snapshots/adder.before-change.py (sha256 " in result.out
    card = (folder / "scorecard.txt").read_text().splitlines()
    assert "strict tests on the adder.py snapshot: 1/1 passed (level full, 0.0 s)" in card
    at = card.index("change request: 1/2 passed (revealed 2:00 into the code phase)")
    assert card[at + 1:at + 4] == [
        "  cost: +4 -2 lines; 1 of 2 existing functions modified (add)",
        "  failing: test_add_rejects_a_modulo_below_one",
        "    add(1, 2, modulo=0) did not raise ValueError"]
    (line,) = history_lines(practice)
    assert line["score"] == {"passed": 1, "total": 1}, "the score leaves the change out"
    assert line["change"] == {"state": "revealed", "after": 120.0, "revealed_after": 120.0,
                              "late_by": 0.0, "passed": 1, "total": 2,
                              "cost": {"added": 4, "removed": 2, "functions_before": 2,
                                       "modified": ["add"], "error": None}}
    assert [t["category"] for t in line["tests"]].count("change") == 2, "both kept in the tests"
    assert GRADED[-1].change, "the deadline grading included the change tests"


@pytest.mark.core
def test_change_at_moves_the_request_to_that_minute_of_the_code_phase(kit, practice, wall):
    t0 = wall.now
    started = start(kit, practice, wall, "adder", "--boxes", "1/3/1", "--change-at", "0.5",
                    **FAKE)
    assert "A change request comes 0:30 into the code phase" in started.out
    keep(kit, practice, wall)
    assert change_of(practice)["revealed_at"] == t0 + 60 + 30
    assert history_lines(practice)[0]["change"]["revealed_after"] == 30


@pytest.mark.errors
@pytest.mark.parametrize("args, fragment", [
    (["--change-at", "3"], "--change-at 3: the change request comes within the code box, more "
                           "than 0 and less than 3 minutes into it"),
    (["--change-at", "0"], "more than 0 and less than 3"),
    (["--change-at", "-1"], "--change-at -1: the change request comes within the code box"),
    (["--change-at", "nan"], "expected a number of minutes, got 'nan'"),
    (["--change-at", "inf"], "expected a number of minutes, got 'inf'"),
    (["--change-at", "soon"], "expected a number of minutes, got 'soon'"),
    (["--change-at", "1", "--no-change"], "not allowed with argument --change-at"),
])
def test_change_at_must_lie_within_the_code_box(kit, practice, args, fragment):
    result = run(kit, practice, "start", "adder", "--boxes", "1/3/1", *args)
    one_line_error(result, 2, fragment)
    assert not practice.exists() or not any(practice.iterdir()), "nothing was created"


@pytest.mark.errors
def test_a_card_without_a_change_request_has_none(kit_copy, practice, wall):
    one_line_error(run(kit_copy, practice, "start", "adder", "--change-at", "10"), 2,
                   "--change-at: adder's card has no change request")
    started = start(kit_copy, practice, wall, "adder", "--boxes", "1/3/1")
    assert "change request" not in started.out
    assert state(practice)["change"] is None
    wall.advance(200)
    assert "change " not in run(kit_copy, practice, "status", now=wall).out
    wall.advance(100)
    ended = run(kit_copy, practice, "status", now=wall, grade=grade, own_tests=own_tests)
    assert "change request" not in ended.out and not GRADED[-1].change
    assert history_lines(practice)[0]["change"] is None


@pytest.mark.core
def test_no_change_leaves_the_request_out_and_the_history_says_so(kit, practice, wall):
    started = start(kit, practice, wall, "adder", "--boxes", "1/3/1", "--no-change", **FAKE)
    assert "The card's change request is left out (--no-change)." in started.out
    wall.advance(230)
    status = run(kit, practice, "status", now=wall)
    assert "change   left out (--no-change)" in status.out
    check = run(kit, practice, "check", now=wall, **FAKE)
    assert "change " not in check.out and not GRADED[-1].change
    folder = only_session(practice)
    assert not (folder / "change_request.md").exists()
    assert not (folder / "snapshots" / "adder.before-change.py").exists()
    wall.advance(100)
    ended = run(kit, practice, "status", now=wall, **FAKE)
    assert "change request: left out (--no-change)" in ended.out and not GRADED[-1].change
    assert history_lines(practice)[0]["change"]["state"] == "off"


@pytest.mark.extension
def test_a_mock_reveals_the_request_two_thirds_into_the_code_box_of_each_problem(
        kit, practice, wall):
    result = run(kit, practice, "mock", "--seed", "1", "--boxes", "1/3/1", "--short-boxes",
                 "1/1.5/1", now=wall, wait=ticking(wall), **FAKE)
    assert result.code == 0, result
    parts = history_lines(practice)
    assert [p["kata"] for p in parts][1] == "pair", "docstore or adder first: both have one"
    assert [(p["change"]["state"], p["change"]["revealed_after"]) for p in parts] == [
        ("revealed", 120.0), ("revealed", 60.0)], "3:00 and 1:30 code boxes, two thirds in"
    assert result.out.count("change request: the requirements change") == 2


@pytest.mark.concurrency
def test_whoever_comes_first_reveals_it_and_the_others_find_it_revealed(kit, practice, wall):
    t0 = wall.now
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    wall.advance(60 + 120)
    first = run(kit, practice, "status", now=wall)
    assert first.out.count("change request revealed") == 1
    revealed = change_of(practice)
    assert revealed["revealed_at"] == t0 + 180
    wall.advance(1)
    assert run(kit, practice, "status", now=wall).out.count("revealed at") == 1
    result = keep(kit, practice, wall)
    assert "change request revealed" not in result.out, "the keeper found it revealed"
    assert change_of(practice) == revealed, "one reveal, one snapshot"


@pytest.mark.edge
def test_a_session_caught_up_after_the_moment_reveals_then_and_records_it_late(
        kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    folder = only_session(practice)
    wall.advance(60)
    run(kit, practice, "status", now=wall)  # the code phase began; then nothing ran
    write(folder / "adder.py", CODE_BEFORE)
    wall.advance(150)  # 30 s after the moment, no clock and no keeper
    caught = run(kit, practice, "status", now=wall)
    assert "change request revealed 0:30 late, 2:30 into the code phase: nothing was running " \
           "at " in caught.out
    assert "the before-change snapshot is late: it holds the code as of now" in caught.out
    change = change_of(practice)
    assert change["snapshot"]["late_by"] == 30 and not change["snapshot"]["on_time"]
    assert (folder / "snapshots" / "adder.before-change.py").read_text() == CODE_BEFORE
    wall.advance(100)
    ended = run(kit, practice, "status", now=wall, **FAKE)
    assert "change request: 0/2 passed (revealed 0:30 late, 2:30 into the code phase" in ended.out
    assert history_lines(practice)[0]["change"]["late_by"] == 30


@pytest.mark.edge
def test_a_session_caught_up_after_the_code_deadline_never_saw_the_request(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    wall.advance(60 + 180 + 10)
    caught = run(kit, practice, "status", now=wall)
    assert "change request revealed" not in caught.out
    assert "change   never revealed: the code phase ended before anything could reveal it" in \
        caught.out
    assert not (only_session(practice) / "change_request.md").exists()
    wall.advance(60)
    ended = run(kit, practice, "status", now=wall, **FAKE)
    assert "change request: never revealed" in ended.out and not GRADED[-1].change
    assert history_lines(practice)[0]["change"]["state"] == "missed"


@pytest.mark.core
def test_the_attached_clock_rings_and_shows_the_request_at_its_moment(kit, practice, wall):
    t0 = wall.now
    out, err = Terminal(), io.StringIO()
    code = main(["start", "adder", "--boxes", "1/3/1", "--change-at", "1.25", "--dir",
                 str(practice)], root=kit, prog=["python", "timer.py"],
                setup=Setup(environ={"TERM": "dumb"}, out=out, err=err, now=wall,
                            wait=ticking(wall), live=True, keyboard=True, **FAKE))
    assert code == 0, err.getvalue()
    text = out.getvalue()
    banner = text.index("change request: the requirements change")
    assert text.rindex("\a", 0, banner) > text.index("code phase: 3:00"), "the bell rang"
    assert "add(a, b, *, modulo=None): when modulo is given" in text[banner:]
    assert "`python timer.py check` grades the change request's tests from now on." in text
    assert "\rCODE   1:45 left" in text and "\rCODE   1:44 left" in text
    assert change_of(practice)["revealed_at"] == t0 + 60 + 75, "at its moment, to the second"
    assert text.count("change request: the requirements change") == 1


@pytest.mark.edge
def test_ending_the_code_phase_before_the_request_brings_it_forward(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    wall.advance(60 + 50)
    asked = []
    declined = run(kit, practice, "next", now=wall,
                   confirm=lambda question: asked.append(question) and False)
    assert declined.out.splitlines()[-1] == "not revealed: the code phase goes on"
    assert asked == ["Reveal the change request now, before it is due? The code phase goes on. "
                     "[y/N] "]
    one_line_error(run(kit, practice, "next", now=wall), 2,
                   "next reveals the change request now, before it is due (the code phase "
                   "goes on)", "`python timer.py next --yes`")
    early = run(kit, practice, "next", "--yes", now=wall)
    assert "change request revealed early, 0:50 into the code phase (due at 2:00)" in early.out
    assert state(practice)["phases"][1]["ending"] is None, "the code phase goes on"
    ended = run(kit, practice, "next", "--yes", now=wall)
    assert "code ended early" in ended.out
    assert state(practice)["phases"][1]["ending"] == "early"


@pytest.mark.edge
def test_enter_twice_before_the_request_brings_it_forward_in_the_clock(kit, practice, wall):
    t0 = wall.now
    out = io.StringIO()
    code = main(["start", "adder", "--boxes", "1/3/1", "--dir", str(practice)], root=kit,
                prog=["python", "timer.py"],
                setup=Setup(out=out, err=io.StringIO(), now=wall,
                            wait=ticking(wall, typing({70: "", 71: ""})), keyboard=True, **FAKE))
    assert code == 0
    text = out.getvalue()
    assert "press Enter again within 5 s to reveal the change request now (the code phase goes " \
           "on)" in text
    assert "change request: the requirements change" in text
    assert change_of(practice)["revealed_at"] == t0 + 72, "typing counts from the first tick"
    assert state(practice)["phases"][1]["ending"] == "deadline"


@pytest.mark.core
def test_check_grades_the_change_tests_only_after_the_reveal_and_says_so(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    folder = only_session(practice)
    wall.advance(60 + 119)
    write(folder / "adder.py", CODE_AFTER)
    before = run(kit, practice, "check", now=wall, **FAKE)
    assert before.code == 0 and "change " not in before.out and not GRADED[-1].change
    wall.advance(1)
    after = run(kit, practice, "check", now=wall, **FAKE)
    assert after.code == 1, "a change test fails"
    lines = after.out.splitlines()
    assert "change request revealed 2:00 into the code phase" in lines[0]
    assert ["change", "1/2", "FAIL"] in [line.split() for line in lines]
    assert lines[-1].startswith("change request revealed at ") and lines[-1].endswith(
        ": its tests are graded too (category change); read change_request.md")
    assert GRADED[-1].change


@pytest.mark.core
def test_check_really_runs_the_change_tests_once_revealed(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    folder = only_session(practice)
    wall.advance(60 + 30)
    write(folder / "adder.py", CHANGE_SOLUTION)
    before = run(kit, practice, "check", now=wall)
    assert "4/4 passed" in before.out and "change " not in before.out
    wall.advance(90)
    after = run(kit, practice, "check", now=wall)
    assert after.code == 0, after
    assert "6/6 passed" in after.out and ["change", "2/2", "ok"] in \
        [line.split() for line in after.out.splitlines()]


@pytest.mark.edge
def test_resume_says_the_request_was_revealed_while_no_clock_was_attached(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    wall.advance(200)
    run(kit, practice, "status", now=wall)  # the keeper's part: the reveal at 2:00 in
    wall.advance(5)
    result = run(kit, practice, "resume", now=wall, wait=detach)
    lines = result.out.splitlines()
    assert "design: time is up" in lines[0]
    assert "change request revealed 0:20 late, 2:20 into the code phase" in lines[1]
    assert lines[2].startswith("resuming ")
    assert "change request: the requirements change" not in result.out, "no second banner"


@pytest.mark.core
def test_the_scorecard_reports_the_change_apart_folds_its_cases_and_fits(kit):
    from katakit import change_request, phases
    from katakit.change import ChangeCost
    from katakit.kit import Kit, Level
    from katakit.report import scorecard
    from katakit.session import Ending, Snapshot
    from katakit.terminal import Style
    from katakit.verdict import Verdict
    session = phases.new_session("adder-20250101-120000", Kit(kit).problem("adder"),
                                 [60, 180, 60], Level.FULL, 1000.0)
    session.change = change_request.plan(Kit(kit).problem("adder"), 180)
    for phase, (begun, ended) in zip(session.phases, [(1000, 1060), (1060, 1240), (1240, 1300)],
                                     strict=True):
        phase.start, phase.deadline, phase.ended_at = begun, ended, ended
        phase.ending = Ending.DEADLINE
    session.change.revealed_at, session.change.snapshot = 1180.0, Snapshot(None, None, 1180.0)
    tests = [Case(f"test_core_{i}", "core", "passed") for i in range(5)]
    tests += [Case(f"test_mod[{i}]", "change", "failed" if i else "passed", "wrong")
              for i in range(4)] + [Case(f"test_change_{i}", "change", "failed", "no")
                                    for i in range(4)]
    own = OwnTests(OwnRun(3), OwnRun(3), 80, 60)
    cost = ChangeCost(12, 3, 4, ["add"])
    lines = scorecard(session, Verdict(Grade("adder", Scope(change=True), tests), own, cost=cost),
                      2, Style(False))
    assert "strict tests on the adder.py snapshot: 5/5 passed (level full, 0.0 s)" in lines
    at = lines.index("change request: 1/8 passed (revealed 2:00 into the code phase)")
    assert lines[at + 1:at + 5] == ["  cost: +12 -3 lines; 1 of 4 existing functions modified "
                                    "(add)", "  failing: test_mod: 3 of 4 cases", "    wrong",
                                    "  failing: test_change_0"]
    assert lines[at + 8] == "  ... and 2 more: `python timer.py compare`", "5 failing, 3 shown"
    assert len(lines) <= 40


@pytest.mark.extension
def test_report_shows_the_change_pass_rate_and_cost_per_kata_over_time(kit, practice):
    def line(kata, start, change):
        return {"kata": kata, "session": f"{kata}-1", "start": start, "score": {"passed": 1,
                                                                                "total": 2},
                "phases": [], "tests": [], "change": change}

    cost = {"added": 9, "removed": 2, "functions_before": 5, "modified": ["a", "b"]}
    lines = [line("adder", "2026-12-01T10:00:00+00:00",
                  {"state": "revealed", "passed": 1, "total": 4, "cost": cost}),
             line("pair", "2026-12-01T11:00:00+00:00", {"state": "off"}),
             line("adder", "2026-12-02T10:00:00+00:00",
                  {"state": "revealed", "passed": 4, "total": 4,
                   "cost": {**cost, "added": 3, "modified": ["a"]}}),
             line("docstore", "2026-12-03T10:00:00+00:00", None)]
    practice.mkdir()
    (practice / "history.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    result = run(kit, practice, "report")
    assert result.code == 0 and result.err == "", result
    out = result.out.splitlines()
    at = out.index("Change requests (per kata, oldest first; COST is lines added and removed, "
                   "and the existing functions modified):")
    assert [row.split() for row in out[at + 1:at + 5]] == [
        ["KATA", "DATE", "PASSED", "COST"],
        ["adder", "2026-12-01", "10:00", "1/4", "25%", "+9", "-2,", "2", "of", "5", "modified"],
        ["adder", "2026-12-02", "10:00", "4/4", "100%", "+3", "-2,", "1", "of", "5", "modified"],
        ["pair", "2026-12-01", "11:00", "left", "out", "-"]]
    bad = {**lines[0], "change": {"state": "revealed", "passed": 5, "total": 4}}
    (practice / "history.jsonl").write_text(json.dumps(bad) + "\n")
    warned = run(kit, practice, "report")
    assert "line 1 is corrupt (change passed is more than its total): skipped" in warned.err


@pytest.mark.extension
def test_compare_shows_the_request_your_change_and_where_the_reference_solves_it(
        kit, practice, wall):
    t0 = wall.now
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    code = only_session(practice) / "adder.py"
    keep(kit, practice, wall, once(lambda now: now >= t0 + 100, lambda: write(code, CODE_BEFORE)),
         once(lambda now: now >= t0 + 200, lambda: write(code, CODE_AFTER)))
    result = run(kit, practice, "compare", **FAKE)
    assert result.code == 0, result
    out = result.out.splitlines()
    at = out.index("Change request (revealed 2:00 into the code phase):")
    assert out[at + 1] == "  add(a, b, *, modulo=None): when modulo is given, the sum is " \
                          "taken modulo it. modulo must be an"
    assert "Your change, from the reveal to the code deadline: +4 -2 lines; 1 of 2 existing " \
           "functions modified (add)" in out
    assert any(line.startswith("--- at the reveal: ") and line.endswith(
        "snapshots/adder.before-change.py") for line in out)
    assert "+def add(a, b, *, modulo=None):" in out
    assert out[-4:] == ["The reference's handling, in solutions/adder.py:",
                        "  its API for it: add takes modulo (line 4)",
                        "  where it is handled: add (line 4)",
                        "  the model design on it: solutions/adder.md line 5"]


@pytest.mark.errors
def test_change_request_state_that_does_not_agree_is_named(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    path = only_session(practice) / "session.json"
    data = json.loads(path.read_text())
    data["change"]["revealed_at"] = wall.now
    path.write_text(json.dumps(data))
    one_line_error(run(kit, practice, "status", now=wall), 1, "session.json is corrupt",
                   "the change request's reveal, moment and snapshot do not agree")
    data["change"] = {"after": 30, "revealed_at": None,
                      "snapshot": {"file": "../../elsewhere.py", "sha256": None}}
    path.write_text(json.dumps(data))
    one_line_error(run(kit, practice, "status", now=wall), 1, "snapshots/adder.before-change.py")
    assert run(kit, practice, "abort").code == 0


@pytest.mark.edge
def test_watch_checks_again_when_the_request_is_revealed_without_a_save(kit, practice, wall):
    start(kit, practice, wall, "adder", "--boxes", "1/3/1", **FAKE)
    wall.advance(60 + 100)
    run(kit, practice, "status", now=wall)  # the code phase runs; 20 s to the request
    looks = []

    def look(seconds: float) -> None:
        looks.append(seconds)
        if len(looks) == 2:  # meanwhile the keeper reveals it
            wall.advance(20)
            run(kit, practice, "status", now=wall)
        if len(looks) == 3:
            raise KeyboardInterrupt

    result = run(kit, practice, "watch", now=wall, wait=look, **FAKE)
    assert result.code == 0, result
    assert [scope.change for scope in GRADED] == [False, True], "no save, but a second check"
    assert result.out.count("checking ") == 2
    assert "its tests are graded too (category change)" in result.out.split("checking ")[2]
