"""The command line: ``python timer.py COMMAND``; every failure is one line and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from . import change_request, history, invocation, phases
from .attach import attach, clock_attached
from .clock import KeyboardWait, clock_time, folder_stamp, local_time, system_now, time_left
from .context import Context, Setup
from .errors import StateError, TimerError, UsageError
from .feedback import compare_lines, followups_round, require_model, round_summary
from .followups import all_lines, ask
from .grading import Grade, Scope, require_grading_python
from .keeper import keep, launch
from .kit import BASE, FULL, Kit, Level, Problem, Size, unknown_kata_message
from .lifecycle import (
    SCORECARD,
    active_up_to_date,
    claim_grading,
    end_early,
    finalize,
    grading_elsewhere,
    introduce,
    open_session,
    record,
    refresh,
    say_events,
)
from .phases import Event
from .plan import STUDY_BOXES, plan_lines
from .report import FAILURES_SHOWN, cut, grade_lines, problems_table, status_lines
from .results import Case
from .session import (
    SESSION_ID,
    Mock,
    MockNext,
    PhaseName,
    Practice,
    Preset,
    RoleName,
    Session,
    Status,
    write_atomic,
)
from .terminal import Screen, is_tty

ROOT = Path(__file__).resolve().parent.parent
E = TypeVar("E", bound=StrEnum)
INTERVALS = (0.1, 60.0)  # seconds between watch's looks at the file


# --- sessions ----------------------------------------------------------------------------------


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    problems = ctx.kit.problems()
    if not problems:
        ctx.say(f"no katas in {ctx.kit.root / 'katas'}")
        return 0
    for line in problems_table(problems, ctx.records()):
        ctx.say(line)
    return 0


def cmd_start(ctx: Context, args: argparse.Namespace) -> int:
    if args.preset and args.boxes:
        raise UsageError(f"--preset {args.preset} sets the boxes ({STUDY_BOXES}): give --boxes "
                         f"or --preset, not both")
    problem = ctx.kit.problem(args.name)
    boxes = phases.parse_boxes(STUDY_BOXES if args.preset else args.boxes or
                               phases.DEFAULT_BOXES.get(problem.size, "15/60/15"))
    change_at = None if args.change_at is None else \
        change_request.checked_at(args.change_at, boxes[1], problem)
    ctx.kit.require_tests(problem)
    require_grading_python(ctx.kit.root)
    with _no_active_session(ctx):
        session = open_session(ctx, problem, boxes, args.level, change_at=change_at,
                               change=not args.no_change, preset=args.preset)
    ctx.keep(session)
    introduce(ctx, session)
    return attach(ctx, session)


@contextlib.contextmanager
def _no_active_session(ctx: Context) -> Iterator[None]:
    """Hold the lock to create a session, once sure that none is active (grading one whose last
    deadline has passed)."""
    if active_up_to_date(ctx) is not None:
        raise StateError(_already_active(ctx))
    ctx.practice.folder.mkdir(parents=True, exist_ok=True)
    with ctx.practice.locked():
        if ctx.practice.active_id() is not None:  # another terminal was quicker
            raise StateError(_already_active(ctx))
        yield


def _already_active(ctx: Context) -> str:
    session = ctx.practice.require_active()
    phase = session.current
    if phase is None and (grading := grading_elsewhere(ctx, session)) is not None:
        return (f"a session is already active: {session.id} ({grading}); its scorecard comes "
                f"in a moment, or {invocation.command('abort')} ends it")
    where = f"{phase.name} phase, {time_left(phase.deadline - ctx.now())} left" if phase else \
        "grading due"
    return (f"a session is already active: {session.id} ({where}); "
            f"{invocation.command('resume')} re-attaches its clock, "
            f"{invocation.command('abort')} ends it")


def _require_active(ctx: Context) -> Session:
    """The active session; StateError saying what became of the last one when there is none."""
    session = ctx.practice.active()
    if session is not None:
        return session
    last = _last_session(ctx)
    if last is None:
        raise StateError(f"no active session: start one with "
                         f"{invocation.command('start', 'NAME')}")
    scorecard = ctx.folder(last) / SCORECARD
    how = f"; its scorecard is {ctx.practice.shown(scorecard)}" if scorecard.is_file() else ""
    raise StateError(f"no active session: the last one, {last.id}, {_ending(last)}{how}")


def _ending(session: Session) -> str:
    return "was aborted" if session.status is Status.ABORTED else "has been graded"


def _last_session(ctx: Context) -> Session | None:
    sessions = ctx.practice.sessions(lambda _: None)
    return sessions[-1] if sessions else None


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    before = _require_active(ctx)
    session = active_up_to_date(ctx)
    if session is None and before.id not in ctx.graded:
        _require_active(ctx)  # graded meanwhile by its deadline keeper: say where to look
    if session is not None:
        for line in status_lines(session, ctx.practice.shown(ctx.folder(session)), ctx.now(),
                                 _clock_state(ctx, session), grading_elsewhere(ctx, session)):
            ctx.say(line)
    return 0


def _clock_state(ctx: Context, session: Session) -> str:
    clock, keeper = (ctx.practice.holder(role, session.id)
                     for role in (RoleName.CLOCK, RoleName.KEEPER))
    attached = "attached" if clock is not None else \
        f"not attached ({invocation.command('resume')} attaches it)"
    kept = "the deadline keeper takes each snapshot on time" if keeper is not None else \
        "no deadline keeper runs: each snapshot is taken when a command next looks"
    return f"{attached}; {kept}"


def cmd_next(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.practice.locked():
        session = _require_active(ctx)
        say_events(ctx, session, refresh(ctx, session))
    phase = session.current
    forward = change_request.brings_forward(session)
    if phase is not None and not args.yes:
        left = time_left(phase.deadline - ctx.now())
        does = "reveals the change request now, before it is due (the code phase goes on)" \
            if forward else f"ends the {phase.name} phase for good, with {left} left"
        if ctx.confirm is None:
            raise UsageError(f"next {does}: there is no terminal here to ask, so confirm with "
                             f"{invocation.command('next', '--yes')}")
        question = "Reveal the change request now, before it is due? The code phase goes on." \
            if forward else f"End the {phase.name} phase now, with {left} left?"
        if not ctx.confirm(f"{question} [y/N] "):
            ctx.say(f"not {'revealed' if forward else 'ended'}: the {phase.name} phase goes on")
            return 0
    with ctx.practice.locked():
        session = _require_active(ctx)
        if phase is not None and (session.current is None or session.current.name != phase.name):
            ctx.say(f"the {phase.name} phase had already ended: nothing more was ended")
            return 0
        events = end_early(ctx, session)
        ctx.practice.save(session)
        say_events(ctx, session, events)
        if session.current is not None:
            return 0
        grader = claim_grading(ctx, session)
        if grader is None:
            ctx.say(f"{session.id} is {grading_elsewhere(ctx, session) or 'being graded'}")
            return 0
    if finalize(ctx, session, grader) is not None:
        ctx.say(f"{invocation.command('resume')} attaches its clock")
    return 0


def cmd_resume(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.practice.active()
    if session is None:
        return _show_last_scorecard(ctx)
    before_id = session.id
    if (attached := clock_attached(ctx, session)) is not None:
        raise StateError(attached)
    ended_before = {p.name for p in session.phases if p.ending is not None}
    revealed_before = change_request.revealed(session)
    session = active_up_to_date(ctx)  # says what it catches up with itself
    if session is None:
        return 0  # its last deadline had passed: it has just been graded
    if session.current is None:
        raise StateError(f"{session.id} is {grading_elsewhere(ctx, session) or 'being graded'}",
                         f"{invocation.command('resume')} shows its scorecard once it is done")
    ctx.keep(session)
    meanwhile = [Event.ended(ended) for ended in session.phases if ended.name in ended_before]
    if revealed_before:
        meanwhile.append(change_request.past_event(session))
    if session.id == before_id:  # what the keeper or another command did meanwhile
        say_events(ctx, session, sorted(meanwhile, key=lambda event: event.at))
    phase = session.current
    ctx.say(f"resuming {session.id}: {phase.name} phase, {time_left(phase.deadline - ctx.now())} "
            f"left")
    return attach(ctx, session, announce=False)


def _show_last_scorecard(ctx: Context) -> int:
    """``resume`` with nothing active: the last session's scorecard, when it has one (the
    deadline keeper grades a session no clock was attached to at its end)."""
    last = _last_session(ctx)
    scorecard = ctx.folder(last) / SCORECARD if last is not None else None
    if scorecard is None or not scorecard.is_file():
        _require_active(ctx)
    ctx.say(f"no active session: the last one, {last.id}, {_ending(last)}; its scorecard "
            f"({ctx.practice.shown(scorecard)}):")
    ctx.say(scorecard.read_text(encoding="utf-8", errors="replace").rstrip())
    return 0


def cmd_abort(ctx: Context, args: argparse.Namespace) -> int:
    """End the active session unscored. The documented way out, so it works on any broken state:
    what cannot be read is forgotten."""
    with ctx.practice.locked():
        try:
            session_id = ctx.practice.active_id()
        except StateError:
            ctx.practice.deactivate()
            ctx.say(f"forgot the active session: {ctx.practice.shown(ctx.practice.pointer)} was "
                    f"corrupt")
            return 0
        if session_id is None:
            raise StateError("no active session to abort")
        try:
            session = ctx.practice.load(session_id)
        except StateError as exc:
            ctx.practice.deactivate()
            _release_files(ctx, ctx.practice.session_dir(session_id))
            ctx.say(f"forgot session {session_id}: {exc.what}")
            return 0
        for warning in phases.abort(session, ctx.folder(session), ctx.now()):
            ctx.warn(warning)
        record(ctx, session, history.SessionRecord.of(session, None))
        _stop_keeper(ctx, session)
    ctx.say(f"aborted {session.id}: recorded unscored in "
            f"{ctx.practice.shown(ctx.practice.history)}; its files are writable again")
    return 0


def _stop_keeper(ctx: Context, session: Session) -> None:
    """Tell the session's deadline keeper that there is nothing left to keep (it would notice
    within a second anyway). Only a process that holds the keeper's lock is signalled."""
    pid = ctx.practice.holder(RoleName.KEEPER, session.id)
    if pid and pid != os.getpid() and hasattr(signal, "SIGTERM"):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def _release_files(ctx: Context, folder: Path) -> None:
    """Make a broken session's own files writable by their owner again (its snapshots stay
    read-only, and nothing that is a link or lies elsewhere is touched)."""
    with contextlib.suppress(OSError, StateError):
        ctx.practice.own(folder)
        for path in folder.iterdir():
            if not path.is_symlink() and path.is_file() and not path.name.startswith(".") \
                    and path.suffix in (".py", ".md"):
                mode = stat.S_IMODE(path.stat().st_mode)
                if not mode & stat.S_IWUSR:
                    os.chmod(path, mode | stat.S_IWUSR)


# --- grading now: check and watch --------------------------------------------------------------


def _check_target(ctx: Context, args: argparse.Namespace) -> tuple[Problem, Path, str]:
    """What check and watch grade: --file, else the active session's code, and at what level."""
    session = None if args.file else active_up_to_date(ctx)
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"--file {args.file}: no such file")
        name = _problem_name_of(ctx, path)
    elif session is None:
        raise StateError("no active session: name a file with `--file PATH`")
    elif session.current is None:
        raise StateError(f"{session.id} is {grading_elsewhere(ctx, session) or 'being graded'}",
                         "its code is graded there; name a file with `--file PATH`")
    else:
        name, path = session.kata, ctx.folder(session) / f"{session.kata}.py"
    problem = ctx.kit.problem(name)
    ctx.kit.require_tests(problem)
    return problem, path, args.level or (session.level if session else FULL)


def _problem_name_of(ctx: Context, path: Path) -> str:
    name = ctx.kit.problem_of(path)
    if name is not None:
        return name
    active = ctx.practice.active()
    if active is not None:
        return active.kata
    raise UsageError(f"--file {path}: cannot tell which kata it implements; name it after one "
                     f"of: {', '.join(ctx.kit.names())}")


def _run_check(ctx: Context, problem: Problem, path: Path, scope: Scope, every: bool = False,
               fit: tuple[int, int] | None = None, again: tuple[str, ...] = ()) -> Grade:
    """Grade `path` and print the grade; `fit` (columns, rows) keeps it within a screen, and
    `again` are the options that grade the same file in the commands the grade suggests."""
    screen = Screen(ctx.out, ctx.live, ctx.style)
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        screen.status(f"grading {path.name}: {done}/{total} tests, "
                      f"{time.monotonic() - started:.0f} s")

    # ruff reviews the file while pytest grades it, and is read once the grade is in
    review = ctx.review(path, problem.solution, ctx.kit.root) if ctx.review else None
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        graded = path
        if path.name != f"{problem.name}.py":  # the kit tells the problem by the file's name
            graded = Path(scratch) / f"{problem.name}.py"
            shutil.copyfile(path, graded)
        try:
            result = ctx.grade(problem, graded.resolve(), scope, progress=progress)
        except BaseException:
            if review is not None:
                review.cancel()
            raise
        finally:
            screen.close()
    label = ctx.practice.shown(path)
    revealed = _revealed_in(ctx, problem) if scope.change else None
    if fit is not None and revealed is not None:
        fit = (fit[0], fit[1] - 1)  # room for the line that says the change tests are in
    lines = _grade_lines(ctx, result, label, every, fit, again)
    if review is not None:
        block = review.result().lines(grade_failed=result.error is not None)
        if fit is not None:  # the grade first: the review gets the rows it leaves
            block = [cut(line, fit[0]) for line in block[:max(0, fit[1] - len(lines))]]
        lines += block
    for line in lines:
        ctx.say(line)
    if revealed is not None:
        ctx.say(change_request.check_line(revealed))
    return result


def _revealed_in(ctx: Context, problem: Problem) -> Session | None:
    """The active session of `problem` once its change request is revealed: from then on check
    and watch grade the change tests too (before, they neither run nor mention them)."""
    try:
        session = ctx.practice.active()
    except StateError:
        return None
    if session is None or session.kata != problem.name or not change_request.revealed(session):
        return None
    return session


def _grade_lines(ctx: Context, result: Grade, label: str, every: bool,
                 fit: tuple[int, int] | None, again: tuple[str, ...] = ()) -> list[str]:
    """The grade: every failure, or up to ten, or as many as fit (columns, rows)."""
    if every:
        return grade_lines(result, label, ctx.style, limit=None, every_case=True, again=again)
    if fit is None:
        return grade_lines(result, label, ctx.style, again=again)
    columns, rows = fit
    limit = FAILURES_SHOWN
    while True:
        lines = grade_lines(result, label, ctx.style, limit=limit, width=columns, again=again)
        if limit == 1 or len(lines) <= rows:
            return lines
        limit -= 1


def _file_option(args: argparse.Namespace) -> tuple[str, ...]:
    """``--file PATH`` when the command named one: the suggested commands must grade it too."""
    return ("--file", args.file) if args.file else ()


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """Exit 0 when every graded test passes, 1 when one does not, 2 when the file could not be
    graded at all."""
    require_grading_python(ctx.kit.root)
    problem, path, level = _check_target(ctx, args)
    scope = Scope(level, perf=args.perf, change=_revealed_in(ctx, problem) is not None)
    result = _run_check(ctx, problem, path, scope, every=args.all, again=_file_option(args))
    if result.error:
        return 2
    return 0 if result.all_passed else 1


def cmd_watch(ctx: Context, args: argparse.Namespace) -> int:
    require_grading_python(ctx.kit.root)
    problem, path, level = _check_target(ctx, args)
    screen = Screen(ctx.out, ctx.live, ctx.style)
    seen: tuple[tuple[int, int], bool] | None = None
    try:
        while True:
            change = _revealed_in(ctx, problem) is not None  # a reveal is worth a new check
            stamp = (_stamp(path), change)
            if stamp != seen:
                seen = stamp
                screen.close()
                fit = _fit(ctx)
                if ctx.live:
                    ctx.out.write("\033[2J\033[H")  # a clear screen for each result
                ctx.say(f"{clock_time(ctx.now())} checking {ctx.practice.shown(path)}")
                _run_check(ctx, problem, path, Scope(level, perf=args.perf, change=change),
                           fit=fit, again=_file_option(args))
                ctx.say(f"{_phase_left(ctx)}watching for saves; Ctrl-C stops")
            screen.status(f"{_phase_left(ctx)}watching {path.name} (Ctrl-C stops)")
            ctx.wait(args.interval)
    except KeyboardInterrupt:
        screen.close()
        ctx.say("stopped watching")
        return 0


def _fit(ctx: Context) -> tuple[int, int] | None:
    """On a terminal, the columns and rows a grade may take so that the summary and the verdict
    never scroll away (the lines around it in watch take three rows); elsewhere None."""
    if not ctx.live:
        return None
    columns, rows = shutil.get_terminal_size((80, 24))
    return max(20, columns - 1), max(8, rows - 3)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)


def _phase_left(ctx: Context) -> str:
    """``code phase: 42:13 left; `` for the active session, empty without one."""
    try:
        session = ctx.practice.active()
    except StateError:
        return ""
    phase = session.current if session else None
    return f"{phase.name} phase: {time_left(phase.deadline - ctx.now())} left; " if phase else ""


# --- looking back: compare and report ----------------------------------------------------------


def cmd_compare(ctx: Context, args: argparse.Namespace) -> int:
    from .compare import diff_lines, missed_lines, size_lines
    if args.design:
        return _compare_design(ctx, args.target)
    session = _session_to_compare(ctx, args.target)
    folder = ctx.folder(session)
    problem = ctx.kit.problem(session.kata)
    code = session.phase(PhaseName.CODE).snapshot.path(folder)
    if not problem.solution.is_file():
        raise StateError(f"there is no reference to compare with: "
                         f"{ctx.practice.shown(problem.solution)} is missing")
    mine, reference = (p.read_text(encoding="utf-8", errors="replace")
                       for p in (code, problem.solution))
    lines = [ctx.style(f"{session.id}: your {session.kata}.py at the code deadline against the "
                       f"reference (code only)", "bold")]
    lines += diff_lines(mine, reference, f"yours: {ctx.practice.shown(code)}",
                        f"reference: solutions/{problem.name}.py", ctx.style)
    lines += ["", *missed_lines(_missed_tests(ctx, session, problem, code), ctx.style), ""]
    lines += size_lines(mine, reference)
    lines += change_request.compare_lines(session, folder, problem, ctx.style, ctx.practice.shown)
    _page(ctx, lines)
    return 0


def _page(ctx: Context, lines: list[str]) -> None:
    """Print `lines`, through $PAGER (default ``less -R``) when on a terminal they would not fit
    on one screen; never when the output goes to a pipe or a file."""
    rows = shutil.get_terminal_size((80, 24)).lines
    if ctx.live and len(lines) >= rows:
        command = shlex.split(ctx.environ.get("PAGER") or "less -R")
        with contextlib.suppress(OSError, ValueError, IndexError):
            subprocess.run(command, input="\n".join(lines) + "\n", text=True, check=False)
            return
    for line in lines:
        ctx.say(line)


def _sessions_named(ctx: Context, target: str | None) -> list[Session]:
    """Every session, or the one named, or those of a kata, oldest first; an error naming what
    is there when there is none."""
    sessions = [s for s in ctx.practice.sessions(ctx.warn)
                if target in (None, s.id, s.kata)]
    if not sessions:
        if target is None:
            raise StateError(f"no sessions in {ctx.practice.shown(ctx.practice.folder)} yet")
        raise UsageError(f"no session or kata named {target!r} in "
                         f"{ctx.practice.shown(ctx.practice.folder)}: name a session folder "
                         f"(KATA-YYYYMMDD-HHMMSS) or a kata that has sessions")
    return sessions


def _session_to_compare(ctx: Context, target: str | None) -> Session:
    """The latest session with a code snapshot, or the one named, or the latest of a kata."""
    sessions = _sessions_named(ctx, target)
    with_code = [s for s in sessions if (code := s.phase(PhaseName.CODE).snapshot) is not None
                 and code.file is not None]
    if not with_code:
        raise StateError(f"{sessions[-1].id} has no code snapshot yet: compare works once the "
                         f"code phase has ended")
    return with_code[-1]


def _missed_tests(ctx: Context, session: Session, problem: Problem, code: Path) -> list[Case]:
    """The snapshot's failures (from the history, else graded now) that the reference passes."""
    line = next((r for r in ctx.records() if r.session == session.id), None)
    scope = Scope(session.level, change=change_request.revealed(session))
    if line is not None and line.score is not None:
        failed = [Case(t.name, t.category, t.outcome, t.message)
                  for t in line.tests if t.outcome.is_failure]
    else:
        require_grading_python(ctx.kit.root)
        ctx.kit.require_tests(problem)
        graded = ctx.grade(problem, code, scope)
        if graded.error:
            raise StateError(f"the snapshot cannot be graded: {graded.error}")
        failed = graded.failures
    if not failed:
        return []
    reference = ctx.grade(problem, problem.solution, scope, only=[c.name for c in failed])
    passing = {case.name for case in reference.tests if case.passed}
    return [case for case in failed if case.name in passing]


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    from .feedback import since
    from .review import markdown_sheet, report_lines
    found = history.read(ctx.practice.history, ctx.warn)
    records = found.sessions
    if args.kata:
        known = sorted(set(ctx.kit.names()) | {r.kata for r in records})
        if args.kata not in known:
            raise UsageError(unknown_kata_message(args.kata, known))
        records = [r for r in records if r.kata == args.kata]
    records = records[-args.last:] if args.last else records
    if not records:
        ctx.say(f"No practice sessions{f' of {args.kata}' if args.kata else ''} yet: "
                f"{invocation.command('start', 'NAME')} begins one.")
        return 0
    rounds = [r for r in found.rounds if args.kata in (None, r.kata)]
    for line in report_lines(records, rounds=since(rounds, records) if args.last else rounds):
        ctx.say(line)
    if args.markdown:
        write_atomic(Path(args.markdown), markdown_sheet(records, ctx.kit.problems()))
        ctx.say(f"\nskill-gap sheet written to {args.markdown}")
    return 0


# --- a mock interview, and hints ---------------------------------------------------------------


def cmd_mock(ctx: Context, args: argparse.Namespace) -> int:
    from .review import pick_least_practised
    boxes = phases.parse_boxes(args.boxes or phases.DEFAULT_BOXES[Size.FULL])
    short_boxes = phases.parse_boxes(args.short_boxes or phases.DEFAULT_BOXES[Size.SHORT])
    ready = [p for p in ctx.kit.problems() if p.tests.is_file() and p.solution.is_file()]
    full, short = ([p for p in ready if p.size is size] for size in (Size.FULL, Size.SHORT))
    if not full or not short:
        raise StateError(f"a mock needs a full and a short kata with tests; found full: "
                         f"{_names(full)}; short: {_names(short)}")
    require_grading_python(ctx.kit.root)
    seed = args.seed if args.seed is not None else random.randrange(10_000)
    records, rng = ctx.records(), random.Random(seed)
    first = pick_least_practised(full, records, rng)
    second = pick_least_practised(short, records, rng)
    with _no_active_session(ctx):
        mock_id = f"mock-{folder_stamp(ctx.now())}"
        ctx.say(ctx.style(f"Mock interview {mock_id} (seed {seed}): {first.name} at "
                          f"{phases.boxes_text(boxes)}, then {second.name} at "
                          f"{phases.boxes_text(short_boxes)}, back to back", "bold"))
        session = open_session(ctx, first, boxes, FULL,
                               Mock(mock_id, 1, seed, MockNext(second.name, short_boxes, FULL)))
    ctx.keep(session)
    introduce(ctx, session)
    return attach(ctx, session)


def _names(problems: list[Problem]) -> str:
    return ", ".join(p.name for p in problems) or "none"


def cmd_hint(ctx: Context, args: argparse.Namespace) -> int:
    problem = ctx.kit.problem(args.name)
    hints = problem.hints
    if not hints:
        raise StateError(f"katas/{problem.name}.py has no numbered hints in its card")
    if args.number is not None and args.number > len(hints):
        raise UsageError(f"{problem.name} has {len(hints)} hints, not {args.number}")
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is not None:
            refresh(ctx, session)
        counted = session is not None and session.kata == problem.name and \
            session.current is not None
        number = args.number or min(len(hints), session.hints + 1 if counted else 1)
        if counted and number > session.hints:
            session.hints = number
            ctx.practice.save(session)
    ctx.say(f"Hint {number} of {len(hints)} for {problem.name}: {hints[number - 1]}")
    if counted:
        ctx.say(f"hints used in this session: {session.hints} of {len(hints)}")
    elif number < len(hints):
        ctx.say(f"{invocation.command('hint', problem.name, number + 1)} shows the next one")
    return 0


# --- after the design phase: the model design, the follow-ups, the week plan ---------------------


def _compare_design(ctx: Context, target: str | None) -> int:
    """``compare --design``: a session's design snapshot beside the model design. Never while
    the design phase of a session of that kata runs: the model would be a hint."""
    active = active_up_to_date(ctx)  # a design deadline may have passed with nothing there
    sessions = _sessions_named(ctx, target)
    problem = ctx.kit.problem(sessions[-1].kata)
    model_text, _ = require_model(problem)
    if active is not None and active.kata == problem.name and \
            (design := active.phase(PhaseName.DESIGN)).ending is None:
        raise StateError(f"the model design of {problem.name} is shown once the design phase of "
                         f"{active.id} has ended: at {clock_time(design.deadline)}, in "
                         f"{time_left(design.deadline - ctx.now())}")
    if active is not None and active.kata == problem.name and \
            change_request.state(active) == change_request.PENDING:
        # The model design handles the card's change request too: it stays sealed until then.
        when = change_request.moment(active)
        at = f": at {clock_time(when)}, in {time_left(when - ctx.now())}" if when else ""
        raise StateError(f"the model design of {problem.name} also answers the sealed change "
                         f"request: it is shown once {active.id} reveals it{at}")
    ended = [s for s in sessions if s.phase(PhaseName.DESIGN).snapshot is not None]
    if not ended:
        last = sessions[-1]
        why = "was aborted during its design phase" if last.status is Status.ABORTED else \
            "has no design snapshot yet"
        raise StateError(f"{last.id} {why}: compare --design works once a design phase has "
                         f"ended")
    session = ended[-1]
    path = session.phase(PhaseName.DESIGN).snapshot.path(ctx.folder(session))
    yours = path.read_text(encoding="utf-8", errors="replace") if path else ""
    missing = "" if path else " (there was none: design.md was missing)"
    title = f"{session.id}: your design.md at the design deadline{missing}, then the model " \
            f"design, heading by heading"
    _page(ctx, compare_lines(title, yours, problem, model_text, ctx.style))
    return 0


def cmd_followups(ctx: Context, args: argparse.Namespace) -> int:
    """The interviewer's follow-up questions: asked one at a time and self-rated on a terminal
    (the ratings go into the history), all printed with their answers elsewhere."""
    problem = ctx.kit.problem(args.name)
    _, model = require_model(problem)
    if not model.follow_ups:
        raise StateError(f"solutions/{problem.name}.md has no follow-up questions")
    active = active_up_to_date(ctx)
    if active is not None and active.kata == problem.name and active.current is not None:
        phase = active.current
        raise StateError(f"your {problem.name} session {active.id} is still running ("
                         f"{phase.name} phase, {time_left(phase.deadline - ctx.now())} left): the "
                         f"interviewer asks the follow-ups once the code works, so ask for them "
                         f"after it")
    if not (ctx.live and ctx.keyboard and ctx.read):
        for line in all_lines(model.follow_ups):
            ctx.say(line)
        ctx.say(f"On a terminal, {invocation.command('followups', problem.name)} asks them one "
                f"at a time and keeps your ratings.")
        return 0
    ctx.say(ctx.style(f"{problem.name}: {len(model.follow_ups)} follow-up questions, as an "
                      f"interviewer asks them once the code works.", "bold"))
    ctx.say("Answer each aloud or on paper, then rate your answer against the model's, 1 to 5.")
    ctx.say("Ctrl-D or Ctrl-C ends the round; the ratings given are kept.")
    ratings = ask(model.follow_ups, ctx.read, ctx.say, lambda text: ctx.style(text, "bold"))
    ctx.say()
    ctx.say(f"{problem.name}: {round_summary(ratings, len(model.follow_ups))}")
    if all(rating is None for rating in ratings):
        ctx.say("nothing rated, so nothing recorded")
        return 0
    latest = next((r.session for r in reversed(ctx.records()) if r.kata == problem.name), None)
    with ctx.practice.locked():
        history.append(ctx.practice.own(ctx.practice.history), followups_round(
            problem, local_time(ctx.now()), latest, model.follow_ups, ratings))
    ctx.say(f"ratings saved in {ctx.practice.shown(ctx.practice.history)}; "
            f"{invocation.command('report')} sums them up")
    return 0


def cmd_plan(ctx: Context, args: argparse.Namespace) -> int:
    for line in plan_lines(ctx.records(), ctx.practice.folder,
                           ctx.practice.shown(ctx.practice.folder), args.hours):
        ctx.say(line)
    return 0


def _design_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    followups = command("followups", cmd_followups,
                        "a kata's follow-up questions, asked one at a time and self-rated")
    followups.add_argument("name", metavar="NAME", help="the kata")
    week = command("plan", cmd_plan, "the week plan, marked from your history, and what to run "
                                     "today")
    week.add_argument("--hours", type=int, choices=(4, 6), default=4,
                      help="4: the core requirements each day (default); 6: each day's "
                           "extension too")


def cmd_keep(ctx: Context, args: argparse.Namespace) -> int:
    if not SESSION_ID.match(args.session):
        raise UsageError(f"{args.session!r} is not a session folder name")
    return keep(ctx, args.session)


# --- parsing and running -----------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line instead of printing the whole usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.split()[-1] if " " in self.prog else ""
        words = [command, "--help"] if command else ["--help"]
        raise UsageError(f"{message} (see {invocation.command(*words)})")


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value
    parse.__name__ = kind.__name__
    return parse


def _interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    low, high = INTERVALS
    if not (math.isfinite(value) and low <= value <= high):
        raise argparse.ArgumentTypeError(f"expected seconds from {low:g} to {high:g}, got "
                                         f"{text!r}")
    return value


def _member_of(kind: type[E]) -> Callable[[str], E]:
    """argparse type of an option whose values are the members of `kind`."""
    def parse(text: str) -> E:
        if text not in kind.__members__.values():
            raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from "
                                             f"{', '.join(repr(m.value) for m in kind)})")
        return kind(text)
    parse.__name__ = kind.__name__
    return parse


def _level(text: str) -> Level:
    if text == "core":
        raise argparse.ArgumentTypeError(
            f"'core' is now '{BASE}': everything but the extensions ('{FULL}' grades them too); "
            f"the core category alone is the 60-minute bar, shown on every grade's verdict line")
    return _member_of(Level)(text)


def build_parser(default_dir: Path) -> Parser:
    parser = Parser(prog="timer.py", description="Time-boxed practice sessions for the kata kit: "
                    "15 minutes design, 60 code, 15 tests, graded at the deadline.")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--dir", type=Path, default=default_dir, metavar="DIR",
                       help=f"the practice folder (default: {default_dir})")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable[[Context, argparse.Namespace], int],
                text: str | None) -> argparse.ArgumentParser:
        extra = {"help": text} if text else {}
        sub = commands.add_parser(name, parents=[where], description=text, **extra)
        sub.set_defaults(handler=handler)
        return sub

    command("list", cmd_list, "every problem: title, size, attempts, best score")
    start = command("start", cmd_start, "start a session and run its clock")
    start.add_argument("name", metavar="NAME", help="the kata (see `list`)")
    start.add_argument("--boxes", metavar="D/C/T",
                       help="minutes for design/code/tests (default 15/60/15, short katas "
                            "10/40/10; decimals allowed; each at most 480)")
    start.add_argument("--level", type=_level, default=FULL, metavar="full|base",
                       help="base: grade without the extension tests (default full)")
    change = start.add_mutually_exclusive_group()
    change.add_argument("--change-at", type=change_request.minutes, metavar="MINUTES",
                        help="reveal the card's change request this many minutes into the code "
                             "phase (default: two thirds of the code box)")
    change.add_argument("--no-change", action="store_true",
                        help="leave the card's change request out of this session")
    start.add_argument("--preset", type=_member_of(Preset), metavar=f"{{{','.join(Preset)}}}",
                       help=f"study: the week plan's long blocks, {STUDY_BOXES} (not with --boxes)")
    command("status", cmd_status, "the active session: phase, time left, deadlines")
    following = command("next", cmd_next,
                        "end the current phase now, after a y/N question (the time saved is "
                        "recorded)")
    following.add_argument("--yes", action="store_true", help="do not ask")
    for name, handler, text in (
            ("check", cmd_check, "grade the session's code (or --file) right now; exit 0 when "
                                 "every test passes, 1 when one fails, 2 when it cannot be "
                                 "graded"),
            ("watch", cmd_watch, "re-check the session's code (or --file) on every save")):
        sub = command(name, handler, text)
        sub.add_argument("--level", type=_level, metavar="full|base",
                         help="default: the session's, else full")
        sub.add_argument("--file", metavar="PATH", help="grade this file instead")
        sub.add_argument("--perf", action="store_true",
                         help="also run the perf tests (slower; the deadline grading runs them)")
        if name == "check":
            sub.add_argument("--all", action="store_true", help="list every failing test")
        else:
            sub.add_argument("--interval", type=_interval, default=0.5, metavar="S",
                             help="seconds between looks at the file (default 0.5, from 0.1 "
                                  "to 60)")
    command("resume", cmd_resume, "re-attach the clock of the active session")
    command("abort", cmd_abort, "end the active session unscored (works on any broken state)")
    compare = command("compare", cmd_compare,
                      "diff a session's graded code against the reference solution")
    compare.add_argument("target", nargs="?", metavar="SESSION|NAME",
                         help="a session folder name or a kata (default: the latest session)")
    compare.add_argument("--design", action="store_true",
                         help="the design snapshot beside the model design, heading by heading")
    report = command("report", cmd_report, "time use, trends and skill gaps across sessions")
    report.add_argument("--kata", metavar="NAME", help="only this kata's sessions")
    report.add_argument("--last", type=_positive(int), metavar="N", help="only the last N")
    report.add_argument("--markdown", metavar="FILE", help="also write a skill-gap sheet")
    mock = command("mock", cmd_mock, "a mock interview: a full kata, then a short one")
    mock.add_argument("--seed", type=int, help="ties between katas broken by this seed")
    mock.add_argument("--boxes", metavar="D/C/T", help="the full kata's boxes (default 15/60/15)")
    mock.add_argument("--short-boxes", metavar="D/C/T",
                      help="the short kata's boxes (default 10/40/10)")
    hint = command("hint", cmd_hint, "the next hint from a kata's card (counted in a session)")
    hint.add_argument("name", metavar="NAME", help="the kata")
    hint.add_argument("number", nargs="?", type=_positive(int), metavar="N",
                      help="this hint instead of the next one")
    _design_commands(command)
    keeper = command("keep", cmd_keep, None)  # the deadline keeper's own process
    keeper.add_argument("session")
    return parser


def _ask(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def terminal_setup(environ: Mapping[str, str] = os.environ) -> Setup:
    """The Setup of this process: its standard streams, the real clock, Enter on its terminal
    (when stdin is one) and deadline keepers started in the background."""
    keyboard = KeyboardWait(sys.stdin)
    typing = keyboard.keyboard is not None
    return Setup(out=sys.stdout, err=sys.stderr, now=system_now, wait=keyboard,
                 live=is_tty(sys.stdout), keyboard=typing, confirm=_ask if typing else None,
                 read=input if typing else None, environ=environ, launch_keeper=launch)


def main(argv: list[str] | None = None, *, root: Path = ROOT, prog: list[str] | None = None,
         setup: Setup | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 state error, 2 usage error, 130 Ctrl-C).

    `prog` is how the timer was run (``sys.orig_argv``), so that suggested commands match it;
    `setup` is what the command works with (tests give one with a fake clock), by default this
    process's terminal.
    """
    setup = setup or terminal_setup()
    out, err = setup.out, setup.err
    invocation.set_from(prog if prog is not None else _prog_from(setup.environ))
    parser = build_parser(Path(root) / "practice")
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"timer: {exc}", file=err)
        return exc.exit_code
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(out)
        return 2
    ctx = Context.of(setup, Kit(root), Practice(args.dir))
    with _signals_interrupt():
        try:
            return args.handler(ctx, args)
        except TimerError as exc:
            print(f"timer: {exc}", file=err)
            return exc.exit_code
        except KeyboardInterrupt:
            print(file=err)
            return 130
        except BrokenPipeError:  # the reader went away (``| head``): end quietly
            _silence(out)
            return 141
        except OSError as exc:
            where = exc.filename
            if where is None and _is_stdout(out):
                where = "standard output"
            print(f"timer: {where}: {exc.strerror or exc}" if where else
                  f"timer: {exc.strerror or exc}", file=err)
            _silence(out)
            return 1


def _prog_from(environ: Mapping[str, str]) -> list[str] | None:
    """The deadline keeper speaks as the command that started it."""
    with contextlib.suppress(ValueError, TypeError):
        argv = json.loads(environ.get("KATAKIT_PROG", "null"))
        if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
            return argv
    return getattr(sys, "orig_argv", None)


def _is_stdout(stream: object) -> bool:
    return stream is sys.stdout


def _silence(out: object) -> None:
    """After a failed write to standard output, point it at nothing, so that Python's own flush
    at exit does not fail a second time with a traceback."""
    if _is_stdout(out):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) end a command as Ctrl-C does: the clock detaches,
    and grading stops its child processes instead of leaving them behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {}

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in names:
        previous[name] = signal.signal(getattr(signal, name), interrupt)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)

