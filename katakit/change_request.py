"""The card's sealed change request, revealed during the code phase as an interviewer would: by
default two thirds into the code box, or when the candidate says they are done with the code
before then (``next``: the request is brought forward instead of ending the phase).

At the reveal the code as it stands is snapshotted as ``snapshots/NAME.before-change.py``
(read-only and hashed, like the phase snapshots), ``change_request.md`` is written into the
session folder, and from then on every grading includes the ``change`` tests. Whoever refreshes
the session first at that moment (the clock, the deadline keeper or a command, each holding the
practice folder's lock) reveals it, once. A session caught up later, still in its code phase,
reveals it then and records how late; one caught up only after its code deadline never saw the
request, and its change tests are not graded.

The state lives in ``session.change``, a ``session.ChangeRequest`` (None when the card has none).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import math
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import fields, invocation
from .change import ChangeCost, change_cost
from .clock import clock_time, duration, time_left
from .compare import diff_lines
from .errors import TimerError, UsageError
from .grading import Grade
from .kit import Category, Mutant, Problem
from .phases import GRACE, Event, EventKind, store_copy
from .session import SNAPSHOTS, ChangeRequest, PhaseName, Session, Snapshot, inside, write_atomic
from .terminal import Style, passed_colour

SHARE = 2 / 3  # of the code box, when the request comes by default (minute 40 of 60)
FILE = "change_request.md"
FAILURES_SHOWN = 3


class ChangeState(StrEnum):
    """Where a session's change request stands."""

    NONE = "none"  # the card has none
    OFF = "off"  # left out with --no-change
    PENDING = "pending"  # still to come in the running code phase (or one still to start)
    REVEALED = "revealed"
    MISSED = "missed"  # the code phase ended before anything could reveal it


NONE, OFF, PENDING, REVEALED, MISSED = ChangeState


# --- the plan, set when a session opens --------------------------------------------------------


def plan(problem: Problem, code_box: float, at: float | None = None,
         enabled: bool = True) -> ChangeRequest | None:
    """The change request's state for a new session: None when the card has none, `after` None
    when it is left out, else `at` seconds into the code phase (two thirds of it by default)."""
    if not problem.change_request:
        return None
    return ChangeRequest((code_box * SHARE if at is None else at) if enabled else None)


def checked_at(minutes: float, code_box: float, problem: Problem) -> float:
    """``--change-at MINUTES`` as seconds into the code phase; UsageError unless the card has a
    change request and the moment lies within the code box."""
    if not problem.change_request:
        raise UsageError(f"--change-at: {problem.name}'s card has no change request")
    if not 0 < minutes * 60 < code_box:
        raise UsageError(f"--change-at {minutes:g}: the change request comes within the code box, "
                         f"more than 0 and less than {code_box / 60:g} minutes into it")
    return minutes * 60


def minutes(text: str) -> float:
    """argparse type of ``--change-at``: a finite number of minutes."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a number of minutes, got {text!r}")
    return value


# --- where it stands ---------------------------------------------------------------------------


def state(session: Session) -> ChangeState:
    change = session.change
    if change is None:
        return NONE
    if change.revealed_at is not None:
        return REVEALED
    if change.after is None:
        return OFF
    return PENDING if session.phase(PhaseName.CODE).ending is None else MISSED


def revealed(session: Session) -> bool:
    return state(session) == REVEALED


def moment(session: Session) -> float | None:
    """When the request is (or was) due: `after` seconds into the code phase, once it started."""
    change, code = session.change, session.phase(PhaseName.CODE)
    if change is None or change.after is None or code.start is None:
        return None
    return code.start + change.after


def due(session: Session) -> float | None:
    """The moment of a request still to be revealed in a running code phase, else None."""
    return moment(session) if state(session) == PENDING else None


def into_code(session: Session, at: float) -> float:
    return at - session.phase(PhaseName.CODE).start


# --- the reveal --------------------------------------------------------------------------------


Request = Callable[[], str]  # the request's text, read from the kit only when it is revealed


def catch_up(session: Session, folder: Path, now: float, request: Request) -> list[Event]:
    """Reveal the request if its moment has come in the running code phase; call it holding the
    lock, after the phases have caught up (a code phase that ended first never saw it)."""
    when = due(session)
    if when is None or now < when or session.current is not session.phase(PhaseName.CODE):
        return []
    return reveal(session, folder, now, request)


def end_early(session: Session, folder: Path, now: float, request: Request,
              end: Callable[[Session, Path, float], list[Event]]) -> list[Event]:
    """What ending the running phase early means: in the code phase, before the change request,
    it brings the request forward and the phase goes on; otherwise `end` (phases.end_early)."""
    if due(session) is not None and session.current is session.phase(PhaseName.CODE) and \
            now < session.current.deadline:
        return reveal(session, folder, now, request)
    return end(session, folder, now)


def brings_forward(session: Session) -> bool:
    """Whether ending the running phase now would reveal the change request instead."""
    return due(session) is not None and session.current is session.phase(PhaseName.CODE)


def reveal(session: Session, folder: Path, now: float, request: Request) -> list[Event]:
    change = session.change
    change.snapshot = _snapshot(folder, session, now)
    change.revealed_at = now
    target = inside(folder / FILE, folder)
    write_atomic(target, request_markdown(session, request(), now))
    return [past_event(session)]


def past_event(session: Session) -> Event:
    """The reveal as an event (for the clock, the keeper's log, and resume's account)."""
    change = session.change
    return Event(EventKind.CHANGE, PhaseName.CODE, change.revealed_at, change.snapshot)


def _snapshot(folder: Path, session: Session, now: float) -> Snapshot:
    """The code as it stands, copied read-only to snapshots/NAME.before-change.py and hashed;
    late when nothing was there to reveal the request at its moment."""
    code = session.phase(PhaseName.CODE)
    late_by = max(0.0, now - (moment(session) or now))
    late_by = 0.0 if late_by <= GRACE else round(late_by, 3)
    snapshot = store_copy(folder, inside(folder / code.file, folder),
                          ChangeRequest.file(session.kata), now)
    snapshot.on_time, snapshot.late_by = late_by == 0, late_by
    return snapshot


def request_markdown(session: Session, text: str, now: float) -> str:
    code, before = session.phase(PhaseName.CODE), ChangeRequest.file(session.kata)
    todo = [f"Change `{code.file}` to meet it before the code deadline. Everything the card "
            f"asked for still holds.",
            f"{invocation.command('check')} grades the change request's tests from now on "
            f"(category `{Category.CHANGE}`); the scorecard reports them apart.",
            f"The code as it stood now is kept in `{SNAPSHOTS}/{before}`. The "
            f"scorecard measures what the change cost from there: lines added and removed, and "
            f"how many of the functions that existed were modified. The fewer, the better your "
            f"design was prepared for it."]
    return "\n".join([
        f"# Change request: {session.kata}", "",
        *textwrap.wrap(f"Revealed at {clock_time(now)}, {duration(into_code(session, now))} "
                       f"into the code phase, with {time_left(code.deadline - now)} left (code "
                       f"deadline {clock_time(code.deadline)}).", 100), "",
        text or f"(the request could not be read from katas/{session.kata}.py)", "",
        "## What to do", "",
        *(line for item in todo for line in textwrap.wrap(item, 100, initial_indent="- ",
                                                         subsequent_indent="  ")), ""])


# --- what it cost, and how it was graded ---------------------------------------------------------


def cost(session: Session, folder: Path) -> ChangeCost | None:
    """The before-change snapshot against the code snapshot; None when either is missing."""
    change, code = session.change, session.phase(PhaseName.CODE)
    if not revealed(session) or code.snapshot is None:
        return None
    files = [change.snapshot.file, code.snapshot.file]
    if None in files:
        return None
    try:
        before, after = (inside(folder / f, folder).read_text(encoding="utf-8", errors="replace")
                         for f in files)
    except OSError:
        return None
    return change_cost(before, after)


def split(grade: Grade) -> tuple[Grade, Grade]:
    """The grade without the change tests, and the change tests alone: the scorecard and the
    history report them apart, so scores stay comparable with sessions that had no change."""
    def only(keep: Callable[[str], bool]) -> Grade:
        return dataclasses.replace(grade, tests=[t for t in grade.tests if keep(t.category)])

    return only(lambda c: c != Category.CHANGE), only(lambda c: c == Category.CHANGE)


# --- what the timer says -----------------------------------------------------------------------


def _when(session: Session) -> str:
    """``40:00 into the code phase`` with how it came: on time, late or early."""
    at = session.change.revealed_at
    planned, late_by = moment(session), session.change.snapshot.late_by
    into = f"{duration(into_code(session, at))} into the code phase"
    if late_by:
        return f"{duration(late_by)} late, {into}: nothing was running at {clock_time(planned)} " \
               f"to reveal it"
    if planned is not None and at < planned - GRACE:
        return f"early, {into} (due at {duration(into_code(session, planned))})"
    return into


def event_text(event: Event, session: Session) -> str:
    short = (event.snapshot.sha256 or "")[:12]
    kept = f"the code as it stood is kept as {event.snapshot.file} (sha256 {short})" if short \
        else f"{session.phase(PhaseName.CODE).file} was missing: nothing to snapshot"
    if event.snapshot.late_by:
        kept = "the before-change snapshot is late: it holds the code as of now" + \
            (f" (sha256 {short})" if short else "")
    return f"change request revealed {_when(session)}; read {FILE}; {kept}"


def announcement(session: Session, text: str) -> tuple[str, list[str]]:
    """The clock's banner at the reveal, and the lines under it: the request itself."""
    at = session.change.revealed_at
    lines = [line.rstrip() for line in text.splitlines()]
    lines += [f"This is in {FILE}; the code as it stood is kept as {SNAPSHOTS}/"
              f"{ChangeRequest.file(session.kata)}.",
              f"{invocation.command('check')} grades the change request's tests from now on."]
    return f"{clock_time(at)} change request: the requirements change", lines


def intro_line(session: Session) -> str | None:
    """What ``start`` says about the change request to come."""
    found = state(session)
    if found == OFF:
        return "The card's change request is left out (--no-change)."
    if found != PENDING:
        return None
    return (f"A change request comes {duration(session.change.after)} into the code phase: "
            f"the bell rings and {FILE} says what changes.")


def status_line(session: Session, now: float) -> str | None:
    found = state(session)
    if found == NONE:
        return None
    text = {OFF: "left out (--no-change)",
            MISSED: "never revealed: the code phase ended before anything could reveal it"}.get(
        found)
    if found == REVEALED:
        at = session.change.revealed_at
        text = f"revealed at {clock_time(at)} ({_when(session)}): read {FILE}; its tests are " \
               f"graded too"
    elif found == PENDING:
        after = duration(session.change.after)
        when = moment(session)
        if when is None:  # the code phase has not begun: at its deadline, if design runs its box
            design = session.phase(PhaseName.DESIGN)
            text = f"comes {after} into the code phase (about " \
                   f"{clock_time(design.deadline + session.change.after)})"
        else:
            text = f"comes at {clock_time(when)}, {after} into the code phase (in " \
                   f"{time_left(when - now)})"
    return f"change   {text}"


def check_line(session: Session) -> str:
    return (f"change request revealed at {clock_time(session.change.revealed_at)}: its tests "
            f"are graded too (category {Category.CHANGE}); read {FILE}")


def scorecard_lines(session: Session, grade: Grade, spent: ChangeCost | None,
                    style: Style) -> list[str]:
    """The change request's block of the scorecard: its tests apart, and what it cost."""
    found = state(session)
    if found == NONE:
        return []
    if found == OFF:
        return ["change request: left out (--no-change)"]
    if found != REVEALED:
        return ["change request: never revealed: the code phase ended before anything could "
                "reveal it, so its tests were not graded"]
    when = f"(revealed {_when(session)})"
    if grade.error:
        return [style(f"change request: not graded {when}: {grade.error}", "red")]
    colour = passed_colour(grade.all_passed, grade.passed > 0)
    lines = [style(f"change request: {grade.passed}/{grade.total} passed", "bold", colour) +
             f" {when}"]
    if spent is None:
        lines.append(f"  cost: not measured: there was no {session.kata}.py at the reveal or at "
                     f"the deadline")
    else:
        lines.append(f"  cost: {spent.line()}")
    cases = Counter(test.function for test in grade.tests)
    failing: dict[str, list] = {}
    for case in grade.failures:  # a parametrized test's cases folded into one entry
        failing.setdefault(case.function, []).append(case)
    for function, failed in list(failing.items())[:FAILURES_SHOWN]:
        heading = function if cases[function] == 1 else \
            f"{function}: {len(failed)} of {cases[function]} cases"
        lines.append(f"  failing: {style(heading, 'bold')}")
        lines.append(f"    {failed[0].message or failed[0].outcome}")
    if len(failing) > FAILURES_SHOWN:
        lines.append(f"  ... and {len(failing) - FAILURES_SHOWN} more: "
                     f"{invocation.command('compare')}")
    return lines


@dataclass
class ChangeRecord:
    """What the history keeps of a session's change request: how it went, its tests apart from
    the score, and what the change cost."""

    state: ChangeState
    after: float | None = None  # seconds into the code phase it was due
    revealed_after: float | None = None  # seconds into the code phase it came
    late_by: float = 0.0
    passed: int | None = None  # its tests, when graded
    total: int | None = None
    cost: ChangeCost | None = None

    @classmethod
    def of(cls, session: Session, grade: Grade | None,
           spent: ChangeCost | None) -> ChangeRecord | None:
        """The record of `session`'s change request (None when the card has none)."""
        found = state(session)
        if found == NONE:
            return None
        change = session.change
        entry = cls(found, change.after)
        if found == REVEALED:
            entry.revealed_after = round(into_code(session, change.revealed_at), 3)
            entry.late_by = change.snapshot.late_by
            entry.cost = spent
            if grade is not None and not grade.error:
                _, tests = split(grade)
                entry.passed, entry.total = tests.passed, tests.total
        return entry

    @classmethod
    def from_json(cls, value: Any, what: str) -> ChangeRecord:
        """ValueError naming what is wrong."""
        data = fields.obj(value, what)
        entry = cls(fields.member(data.get("state"), f"{what} state", ChangeState),
                    fields.optional(fields.number, data.get("after"), f"{what} after"),
                    fields.optional(fields.number, data.get("revealed_after"),
                                    f"{what} revealed_after"),
                    fields.number(data.get("late_by", 0), f"{what} late_by"),
                    cost=fields.optional(ChangeCost.from_json, data.get("cost"), f"{what} cost"))
        if data.get("total") is not None:
            entry.total = fields.whole(data["total"], f"{what} total")
            entry.passed = fields.whole(data.get("passed"), f"{what} passed")
            if entry.passed > entry.total:
                raise ValueError(f"{what} passed is more than its total")
        return entry


# --- compare: your change beside the reference's --------------------------------------------------


def compare_lines(session: Session, folder: Path, problem: Problem, style: Style,
                  shown: Callable[[Path], str]) -> list[str]:
    """The request, your change from the reveal to the deadline, and where the reference solves
    it; one line when it was not revealed, nothing when the card has none."""
    found = state(session)
    if found == NONE:
        return []
    if found != REVEALED:
        why = "left out (--no-change)" if found == OFF else "never revealed in this session"
        return ["", f"Change request: {why}; the card's request, in katas/{problem.name}.py, is "
                    f"solved in solutions/{problem.name}.py"]
    lines = ["", style(f"Change request (revealed {_when(session)}):", "bold")]
    lines += [f"  {line}".rstrip() for line in problem.change_request.splitlines()]
    spent = cost(session, folder)
    before = session.change.snapshot.path(folder)
    code = session.phase(PhaseName.CODE).snapshot
    after = code.path(folder) if code is not None else None
    lines += ["", style(f"Your change, from the reveal to the code deadline: "
                        f"{spent.line() if spent else 'not measured'}", "bold")]
    if before is not None and after is not None:
        old, new = (p.read_text(encoding="utf-8", errors="replace") for p in (before, after))
        lines += diff_lines(old, new, f"at the reveal: {shown(before)}",
                            f"at the deadline: {shown(after)}", style) if old != new else \
            ["(the code did not change between the reveal and the deadline)"]
    lines += ["", *reference_lines(problem, style)]
    return lines


def reference_lines(problem: Problem, style: Style) -> list[str]:
    """Where the reference solves the change request: the API it adds over the kata, the
    functions holding the code its change mutants break, and the model design's lines on it."""
    lines = [style(f"The reference's handling, in solutions/{problem.name}.py:", "bold")]
    try:
        solution = problem.solution.read_text(encoding="utf-8")
        kata = problem.kata.read_text(encoding="utf-8")
        ours, theirs = _signatures(kata), _signatures(solution)
    except (OSError, SyntaxError, ValueError):
        return lines[:1] + ["  (it cannot be read)"]
    api = []
    for name, (params, line) in theirs.items():
        if _private(name):
            continue
        if name not in ours:
            api.append(f"{name} (line {line}, new)")
        elif params is not None and ours[name][0] is not None and \
                (added := [p for p in params if p not in ours[name][0]]):
            api.append(f"{name} takes {', '.join(added)} (line {line})")
    if api:
        lines.append(f"  its API for it: {'; '.join(api)}")
    if where := _mutated_functions(problem, solution):
        lines.append(f"  where it is handled: {', '.join(where)}")
    if design := _design_lines(problem):
        lines.append(f"  the model design on it: solutions/{problem.name}.md line"
                     f"{'s' * (len(design) > 1)} {', '.join(map(str, design))}")
    return lines


def _private(name: str) -> bool:
    parts = name.split(".")
    return any(p.startswith("_") for p in parts[:-1]) or \
        (parts[-1].startswith("_") and not parts[-1].endswith("__"))


def _signatures(source: str) -> dict[str, tuple[list[str] | None, int]]:
    """Each class and function by qualified name: its parameters (None for a class), its line."""
    found: dict[str, tuple[list[str] | None, int]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = child.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                found[prefix + child.name] = (names, child.lineno)
            elif isinstance(child, ast.ClassDef):
                found[prefix + child.name] = (None, child.lineno)
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(source), "")
    return found


def _mutated_functions(problem: Problem, solution: str) -> list[str]:
    """The functions of the reference that hold the code its change mutants break
    (tests/mutants/NAME/change_*.py), each with its line, in the order of the file."""
    tree = ast.parse(solution)
    functions = [(node, name) for node, name in _qualified(tree)]
    starts = [0]
    for line in solution.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: dict[str, int] = {}
    for path in sorted(problem.mutants.glob("change_*.py")):
        with contextlib.suppress(ValueError):
            for old, _ in Mutant.read(path).replace:
                offset = solution.find(old)
                if offset < 0:
                    continue
                line = next(i for i, start in enumerate(starts) if start > offset)
                around = [(n, name) for n, name in functions if n.lineno <= line <= n.end_lineno]
                if around:
                    node, name = min(around, key=lambda pair: pair[0].end_lineno - pair[0].lineno)
                    found.setdefault(name, node.lineno)
    return [f"{name} (line {line})" for name, line in sorted(found.items(), key=lambda i: i[1])]


def _qualified(tree: ast.Module):
    def visit(node: ast.AST, prefix: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield child, prefix + child.name
                yield from visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.")
    yield from visit(tree, "")


def _design_lines(problem: Problem) -> list[int]:
    try:
        text = problem.design.read_text(encoding="utf-8")
    except OSError:
        return []
    return [number for number, line in enumerate(text.splitlines(), 1)
            if re.search(r"change request", line, re.I)]


def problem_request(kit_problem: Callable[[], Problem]) -> Request:
    """The request's text, read from the kit when it is revealed; "" when it cannot be read."""
    def read() -> str:
        try:
            return kit_problem().change_request
        except TimerError:  # a kata gone meanwhile must not stop the reveal
            return ""
    return read
