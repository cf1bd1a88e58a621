"""What the timer prints: the problem list, status, events, grading results and the scorecard."""

from __future__ import annotations

from .clock import clock_time, duration, time_left
from .grading import Grade, OwnTests
from .history import Record, score_of
from .kit import Problem
from .phases import Event, progress
from .session import Session
from .terminal import Style, bar, table

SCORECARD_FAILURES = 10  # failures listed in a scorecard; compare and check list them all


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def problems_table(problems: list[Problem], records: list[Record]) -> list[str]:
    """``list``: every problem with its attempts so far and best score."""
    rows = []
    for problem in problems:
        mine = [r for r in records if r.get("kata") == problem.name]
        scores = [s for s in map(score_of, mine) if s is not None]
        rows.append([problem.name, problem.title, problem.size, str(len(mine)),
                     percent(max(scores)) if scores else "-"])
    return table(rows, ["NAME", "TITLE", "SIZE", "ATTEMPTS", "BEST"])


def phase_window(session: Session, now: float) -> list[tuple[str, float, float, str]]:
    """(phase, start, end, state) for each phase; later phases projected at their full box."""
    rows = []
    cursor = now
    for phase in session.phases:
        if phase.ending is not None:
            used = f"used {duration(phase.used)} of {duration(phase.box)}"
            state = {"early": f"ended early: {used} ({duration(phase.saved)} saved)",
                     "late": f"ended late: {used}, {phase.file} changed "
                             f"{phase.snapshot['late_by']:.0f} s after the deadline",
                     "aborted": f"aborted: {used}"}.get(phase.ending, f"ended at the deadline: "
                                                                       f"{used}")
            rows.append((phase.name, phase.start, phase.ended_at, state))
        elif phase.start is not None:
            rows.append((phase.name, phase.start, phase.deadline,
                         f"running: {time_left(phase.deadline - now)} left"))
            cursor = phase.deadline
        else:
            rows.append((phase.name, cursor, cursor + phase.box, "to come"))
            cursor += phase.box
    return rows


def status_lines(session: Session, folder: str, now: float) -> list[str]:
    phase = session.current
    lines = [f"session  {session.id}  ({folder})",
             f"kata     {session.kata}: {session.title} ({session.size}; graded at level "
             f"{session.level})"]
    if phase is not None:
        lines.append(f"phase    {phase.name}: {time_left(phase.deadline - now)} left, deadline "
                     f"{clock_time(phase.deadline)}, write {phase.file}")
    else:
        lines.append("phase    all phases ended: grading is due")
    lines += table([[name, f"{clock_time(start)}-{clock_time(end)}", state]
                    for name, start, end, state in phase_window(session, now)], indent="  ")
    if session.late_edits:
        lines.append(f"late edits: {late_edit_summary(session.late_edits)} (never scored)")
    return lines


def late_edit_summary(edits: list[dict]) -> str:
    counts: dict[str, int] = {}
    for edit in edits:
        counts[edit["file"]] = counts.get(edit["file"], 0) + 1
    return ", ".join(f"{name} x{n}" for name, n in counts.items())


def event_text(event: Event, session: Session) -> str:
    phase = session.phase(event.phase)
    snapshot = event.detail
    short = (snapshot.get("sha256") or "")[:12]
    taken = f"snapshot of {phase.file} (sha256 {short})" if short else \
        f"{phase.file} was missing: nothing to snapshot"
    if event.kind == "start":
        return (f"{phase.name} phase: {duration(phase.box)} to write {phase.file} "
                f"(deadline {clock_time(phase.deadline)})")
    if event.kind == "deadline":
        return f"{phase.name}: time is up at {clock_time(event.at)}; {taken}"
    if event.kind == "late":
        return (f"{phase.name}: the deadline {clock_time(event.at)} passed with no clock "
                f"attached and {phase.file} changed {snapshot['late_by']:.0f} s after it; "
                f"{taken}, marked late")
    if event.kind == "early":
        return (f"{phase.name} ended early: used {duration(phase.used)} of "
                f"{duration(phase.box)}, {duration(phase.saved)} saved; {taken}")
    if event.kind == "late-edit":
        return (f"late edit: {phase.file} changed after the {phase.name} phase ended "
                f"(recorded, never scored)")
    return f"session aborted during the {phase.name} phase"


def grade_lines(grade: Grade, label: str, style: Style, limit: int | None = None) -> list[str]:
    """The compact result of one strict run: per category, then each failure's first line (the
    first `limit` failures when given)."""
    if grade.error:
        return [style(f"{label}: not graded: {grade.error}", "red")]
    if not grade.tests:
        return [f"{label}: no tests selected at level {grade.level}"]
    colour = "green" if grade.passed == grade.total else "yellow" if grade.passed else "red"
    lines = [style(f"{label}: {grade.passed}/{grade.total} passed (level {grade.level}, "
                   f"{grade.seconds:.1f} s)", "bold", colour)]
    rows = []
    for category, (passed, total) in grade.by_category().items():
        mark = style("ok", "green") if passed == total else style("FAIL", "red")
        rows.append([category, f"{passed}/{total}", mark])
    lines += table(rows, indent="  ")
    if grade.failures:
        lines.append("failing:")
        width = max(len(t.category) for t in grade.failures)
        for test in grade.failures[:limit]:
            lines.append(f"  {test.category.ljust(width)}  {style(test.name, 'bold')}")
            lines.append(f"  {' ' * width}  {test.message or test.outcome}")
        if limit is not None and len(grade.failures) > limit:
            lines.append(f"  ... and {len(grade.failures) - limit} more: `python timer.py "
                         f"compare` lists every one")
    return lines


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
        lines += [f"  fails on yours: {name}: {message}" for name, message in mine.failed.items()]
    if reference.error:
        lines.append(f"against the reference: {reference.error}")
    elif own.valid:
        lines.append(f"against the reference: valid, all {reference.total} pass")
    elif reference.total == 0:
        lines.append("against the reference: no tests, so nothing is checked")
    else:
        lines.append(f"against the reference: {len(reference.failed)} of {reference.total} "
                     f"fail there (a wrong expectation):")
        lines += [f"  {name}: {message}" for name, message in reference.failed.items()]
    return lines


def time_lines(session: Session) -> list[str]:
    rows = []
    for phase in session.phases:
        used = "-" if phase.used is None else duration(phase.used)
        how = phase.ending or "not started"
        if phase.ending == "early":
            how += f", {duration(phase.saved)} saved"
        elif phase.ending == "late":
            how += f", {phase.file} changed {phase.snapshot['late_by']:.0f} s after the deadline"
        rows.append([phase.name, f"{used} of {duration(phase.box)}", how])
    return table(rows, indent="  ")


def scorecard(session: Session, grade: Grade, own: OwnTests, style: Style) -> list[str]:
    lines = [style(f"Scorecard: {session.kata} ({session.id})", "bold")]
    lines += grade_lines(grade, f"strict tests on the {session.kata}.py snapshot", style,
                         limit=SCORECARD_FAILURES)
    lines += own_test_lines(own)
    lines.append("time per phase:")
    lines += time_lines(session)
    lines.append(f"late edits: {late_edit_summary(session.late_edits)} (recorded, never scored)"
                 if session.late_edits else "late edits: none")
    return lines


def live_line(session: Session, now: float, enter_hint: bool) -> str:
    """The clock's one line: phase, time left, progress over the whole session, kata."""
    phase = session.current
    share = progress(session, now)
    line = (f"{phase.name.upper():<6} {time_left(phase.deadline - now)} left  "
            f"{bar(share, 16)} {share:4.0%}  {session.kata}")
    return line + ("  (Enter: next phase)" if enter_hint else "")
