"""What the timer prints: the problem list, status, events, grading results and the scorecard."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import change_request, invocation
from .clock import clock_time, duration, time_left
from .grading import Grade, OwnTests
from .history import SessionRecord
from .kit import Category, Problem
from .phases import Event, EventKind, phase_progress
from .results import Case, Outcome
from .session import Ending, LateEdit, Phase, Session
from .terminal import Style, bar, passed_colour, table
from .verdict import Verdict

FAILURES_SHOWN = 10  # failing tests listed after a grade; `check --all` lists every one
OWN_FAILURES_SHOWN = 5
SCORECARD_LINES = 40  # a scorecard fits on a screen


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def problems_table(problems: list[Problem], records: list[SessionRecord]) -> list[str]:
    """``list``: every problem with its attempts so far and best score (unverified sessions are
    attempts, but no best score), marked when it came from a study session."""
    rows = []
    for problem in problems:
        mine = [r for r in records if r.kata == problem.name]
        scores = [(r.share, r.study) for r in mine if r.counts]
        best = max(scores, key=lambda pair: (pair[0], not pair[1]), default=None)
        rows.append([problem.name, problem.title, problem.size, str(len(mine)),
                     "-" if best is None else percent(best[0]) + " (study)" * best[1]])
    return table(rows, ["NAME", "TITLE", "SIZE", "ATTEMPTS", "BEST"])


def phase_window(session: Session, now: float) -> list[tuple[str, float, float, str]]:
    """(phase, start, end, state) for each phase; later phases projected at their full box."""
    rows = []
    cursor = now
    for phase in session.phases:
        if phase.ending is not None:
            rows.append((phase.name, phase.start, phase.ended_at, _how_it_ended(phase)))
        elif phase.start is not None:
            rows.append((phase.name, phase.start, phase.deadline,
                         f"running: {time_left(phase.deadline - now)} left"))
            cursor = phase.deadline
        else:
            rows.append((phase.name, cursor, cursor + phase.box, "to come"))
            cursor += phase.box
    return rows


def _how_it_ended(phase: Phase) -> str:
    used = f"used {duration(phase.used)} of {duration(phase.box)}"
    if phase.ending is Ending.EARLY:
        return f"ended early: {used} ({duration(phase.saved)} saved)"
    if phase.ending is Ending.LATE:
        return f"ended late: {used}, {phase.file} changed {phase.snapshot.late_by:.0f} s after " \
               f"the deadline (unverified)"
    if phase.ending is Ending.ABORTED:
        return f"aborted: {used}"
    return f"ended at the deadline: {used}"


def status_lines(session: Session, folder: str, now: float, clock: str,
                 grading: str | None = None) -> list[str]:
    """``status``: the session, its phase and time left, its clock and keeper (`clock`), and its
    phases; `grading` says who grades it once they have all ended, when another process does."""
    phase = session.current
    lines = [f"session  {session.id}  ({folder})",
             f"kata     {session.kata}: {session.title} ({session.size}; graded at level "
             f"{session.level}{'; a study session' if session.preset else ''})"]
    if phase is not None:
        lines.append(f"phase    {phase.name}: {time_left(phase.deadline - now)} left, deadline "
                     f"{clock_time(phase.deadline)}, write {phase.file}")
    else:
        lines.append(f"phase    all phases ended: {grading or 'grading is due'}")
    lines.append(f"clock    {clock}")
    lines += table([[name, f"{clock_time(start)}-{clock_time(end)}", state]
                    for name, start, end, state in phase_window(session, now)], indent="  ")
    if (change := change_request.status_line(session, now)) is not None:
        lines.append(change)
    if session.late_edits:
        lines.append(f"late edits: {late_edit_summary(session.late_edits)} (never scored)")
    return lines


def late_edit_summary(edits: list[LateEdit]) -> str:
    """``design.md x2, adder.py x1``: each file edited late, with how often, in order."""
    counts = Counter(edit.file for edit in edits)
    return ", ".join(f"{name} x{n}" for name, n in counts.items())


def event_text(event: Event, session: Session) -> str:
    phase = session.phase(event.phase)
    if event.kind is EventKind.START:
        return (f"{phase.name} phase: {duration(phase.box)} to write {phase.file} "
                f"(deadline {clock_time(phase.deadline)})")
    if event.kind is EventKind.LATE_EDIT:
        return (f"late edit: {phase.file} changed after the {phase.name} phase ended "
                f"(recorded, never scored)")
    if event.kind is EventKind.CHANGE:
        return change_request.event_text(event, session)
    if event.kind is EventKind.ABORTED:
        return f"session aborted during the {phase.name} phase"
    return _ended_text(event, phase)


def _ended_text(event: Event, phase: Phase) -> str:
    """A phase's end, at its deadline, late or early, with the snapshot it took."""
    short = (event.snapshot.sha256 or "")[:12]
    taken = f"snapshot of {phase.file} (sha256 {short})" if short else \
        f"{phase.file} was missing: nothing to snapshot"
    if event.kind is EventKind.LATE:
        return (f"{phase.name}: the deadline {clock_time(event.at)} passed with nothing there "
                f"to take the snapshot, and {phase.file} changed {event.snapshot.late_by:.0f} s "
                f"after it; {taken}: the session is unverified")
    if event.kind is EventKind.EARLY:
        return (f"{phase.name} ended early: used {duration(phase.used)} of "
                f"{duration(phase.box)}, {duration(phase.saved)} saved; {taken}")
    return f"{phase.name}: time is up at {clock_time(event.at)}; {taken}"


# --- a grade -------------------------------------------------------------------------------------


def bar_verdict(grade: Grade) -> str | None:
    """``core 9/9: the 60-minute bar is met``; None when no core test was graded."""
    passed, total = grade.category(Category.CORE)
    if grade.error or not total:
        return None
    return f"core {passed}/{total}: the 60-minute bar is {'met' if passed == total else 'not met'}"


@dataclass
class Group:
    """The failures of one test function: its parametrized cases folded together."""

    category: str
    function: str
    cases: int  # the function's cases in the run
    failed: list[Case]

    def heading(self) -> str:
        if self.cases == 1 and self.failed[0].name == self.function:
            return self.function
        first = self.failed[0].name[len(self.function):]
        return f"{self.function}: {len(self.failed)} of {self.cases} cases, e.g. {first}"


def failure_groups(grade: Grade, every_case: bool = False) -> list[Group]:
    """The failing tests by function, core first then the kit's category order, each function's
    cases folded into one group (or each case on its own with `every_case`)."""
    cases = Counter(test.function for test in grade.tests)
    groups: dict[str, Group] = {}
    for test in grade.failures:
        key = test.name if every_case else test.function
        group = groups.setdefault(key, Group(test.category, test.function,
                                             1 if every_case else cases[test.function], []))
        group.failed.append(test)
    return sorted(groups.values(), key=lambda g: Category.rank(g.category))


@dataclass(frozen=True)
class Listing:
    """How much of a grade is listed: up to `limit` failing tests (all of them with None), each
    case of a parametrized test on its own with `every_case`, the verdict on the 60-minute bar
    or not, lines cut at `width` when given. The line that counts the failures left out names
    `more` (by default the check that lists them all), and the check commands suggested repeat
    `again` (``--file PATH``)."""

    limit: int | None = FAILURES_SHOWN
    every_case: bool = False
    with_verdict: bool = True
    width: int | None = None
    more: str | None = None
    again: tuple[str, ...] = ()


def grade_lines(grade: Grade, label: str, style: Style,
                listing: Listing | None = None) -> list[str]:
    """The result of one strict run in at most about 35 lines: the summary, the categories, the
    verdict on the 60-minute bar, then the failing tests, each with the first line of its
    failure, as the `listing` says."""
    listing = listing or Listing()
    if grade.error:
        return [style(f"{label}: not graded: {grade.error}", "red")]
    if not grade.tests:
        return [f"{label}: no tests selected at level {grade.level}"]
    lines = _summary_lines(grade, label, style, listing)
    lines += _failure_lines(grade, style, listing)
    if Category.PERF in grade.scope.left_out():
        lines.append(f"perf not run: {invocation.command('check', *listing.again, '--perf')} "
                     f"runs it")
    return [cut(line, listing.width) for line in lines] if listing.width else lines


def _summary_lines(grade: Grade, label: str, style: Style, listing: Listing) -> list[str]:
    """How many passed, by category, the verdict, and whether the run was stopped."""
    colour = passed_colour(grade.all_passed, grade.passed > 0)
    counts = f"{grade.passed}/{grade.total} passed (level {grade.level}, {grade.seconds:.1f} s)"
    if listing.width and len(f"{label}: {counts}") > listing.width:
        label = label.replace("\\", "/").rsplit("/", 1)[-1]  # the counts matter more
    lines = [style(f"{label}: {counts}", "bold", colour)]
    rows = []
    for category, (passed, total) in grade.by_category().items():
        mark = style("ok", "green") if passed == total else style("FAIL", "red")
        rows.append([category, f"{passed}/{total}", mark])
    lines += table(rows, indent="  ")
    if listing.with_verdict and (said := bar_verdict(grade)) is not None:
        lines.append(style(said, "bold"))
    if grade.stopped_after is not None:
        not_run = sum(t.outcome is Outcome.NOT_RUN for t in grade.tests)
        lines.append(style(f"grading stopped after {grade.stopped_after:g} s, a test still "
                           f"running: {not_run} test{'s' * (not_run != 1)} not run", "red"))
    return lines


def _failure_lines(grade: Grade, style: Style, listing: Listing) -> list[str]:
    groups = failure_groups(grade, listing.every_case)
    if not groups:
        return []
    lines = ["failing:"]
    width = max(len(g.category) for g in groups)
    for group in groups[:listing.limit]:
        lines.append(f"  {group.category.ljust(width)}  {style(group.heading(), 'bold')}")
        lines.append(f"  {' ' * width}  {group.failed[0].message or group.failed[0].outcome}")
    if listing.limit is not None and len(groups) > listing.limit:
        more = listing.more or invocation.command('check', *listing.again, '--all')
        lines.append(f"  ... and {len(groups) - listing.limit} more: {more}")
    return lines


def cut(line: str, width: int) -> str:
    """`line` no wider than `width` columns (colour codes take none)."""
    visible = len(_plain(line))
    if visible <= width:
        return line
    return _plain(line)[:max(1, width - 3)] + "..."


def _plain(line: str) -> str:
    return re.sub(r"\033\[[0-9;]*m", "", line)


def own_test_lines(own: OwnTests) -> list[str]:
    mine, reference = own.mine, own.reference
    if mine.error and reference.error == mine.error:
        return [f"own tests: {mine.error}"]
    lines = []
    if mine.error:
        lines.append(f"own tests: {mine.error}")
    else:
        coverage = "coverage not measured" if own.line is None else \
            f"coverage {own.line:.0f}% lines, {own.branch:.0f}% branches"
        lines.append(f"own tests: {mine.passed}/{mine.total} pass on your code; {coverage}")
        lines += _listed("  fails on yours: ", mine.failed)
    if reference.error:
        lines.append(f"against the reference: {reference.error}")
    elif own.valid:
        lines.append(f"against the reference: valid, all {reference.total} pass")
    elif reference.total == 0:
        lines.append("against the reference: no tests, so nothing is checked")
    else:
        lines.append(f"against the reference: {len(reference.failed)} of {reference.total} "
                     f"fail there (a wrong expectation):")
        lines += _listed("  ", reference.failed)
    return lines


def _listed(prefix: str, failed: dict[str, str]) -> list[str]:
    items = list(failed.items())
    lines = [f"{prefix}{name}: {message}" for name, message in items[:OWN_FAILURES_SHOWN]]
    if len(items) > OWN_FAILURES_SHOWN:
        lines.append(f"{prefix}... and {len(items) - OWN_FAILURES_SHOWN} more")
    return lines


def time_lines(session: Session) -> list[str]:
    rows = []
    for phase in session.phases:
        used = "-" if phase.used is None else duration(phase.used)
        how = phase.ending or "not started"
        if phase.ending is Ending.EARLY:
            how += f", {duration(phase.saved)} saved"
        elif phase.ending is Ending.LATE:
            how += f", {phase.file} changed {phase.snapshot.late_by:.0f} s after the deadline"
        rows.append([phase.name, f"{used} of {duration(phase.box)}", how])
    return table(rows, indent="  ")


def scorecard(session: Session, verdict: Verdict, hints: int, style: Style,
              offer: str | None = None) -> list[str]:
    """The end of a session in at most SCORECARD_LINES lines, led by the verdict on the
    60-minute bar; the failures listed are as many as fit. The change request's tests are
    reported apart, with what the change cost; the code-quality review, when there is one,
    follows, then the user's own tests and the keyword check of the design; `offer` is the last
    line (the follow-up questions). `hints` is how many the card has."""
    grade, change = change_request.split(verdict.grade)
    quality = verdict.quality
    study = ", a study session" if session.preset else ""
    head = [style(f"Scorecard: {session.kata} ({session.id}{study})", "bold")]
    if (said := bar_verdict(grade)) is not None:
        head.append(style(said, "bold"))
    if session.unverified:
        late = ", ".join(p.file for p in session.phases if p.ending is Ending.LATE)
        head.append(style(f"unverified: {late} changed after its deadline before its snapshot "
                          f"was taken, so this session counts in no best score", "yellow"))
    tail = change_request.scorecard_lines(session, change, verdict.cost, style)
    tail += quality.lines(grade_failed=grade.error is not None) if quality else []
    tail += own_test_lines(verdict.own)
    tail += verdict.design.lines() if verdict.design else []
    tail.append("time per phase:")
    tail += time_lines(session)
    tail.append(f"hints used: {session.hints} of {hints}")
    tail.append(f"late edits: {late_edit_summary(session.late_edits)} (recorded, never scored)"
                if session.late_edits else "late edits: none")
    tail += [offer] if offer else []
    label = f"strict tests on the {session.kata}.py snapshot"
    unlimited = grade_lines(grade, label, style, Listing(limit=None, with_verdict=False))
    room = SCORECARD_LINES - len(head) - len(tail)
    limit = FAILURES_SHOWN
    while limit > 1 and len(grade_lines(grade, label, style,
                                        Listing(limit=limit, with_verdict=False))) > room:
        limit -= 1
    body = unlimited if len(unlimited) <= room else \
        grade_lines(grade, label, style, Listing(limit=limit, with_verdict=False,
                                                 more=invocation.command("compare")))
    return head + body + tail


def live_line(session: Session, now: float, enter_hint: bool) -> str:
    """The clock's one line: phase, time left, how much of the phase's box is used, kata."""
    phase = session.current
    share = phase_progress(phase, now)
    line = (f"{phase.name.upper():<6} {time_left(phase.deadline - now)} left  "
            f"{bar(share, 16)} {share:4.0%}  {session.kata}")
    return line + ("  (Enter twice: next phase)" if enter_hint else "")
