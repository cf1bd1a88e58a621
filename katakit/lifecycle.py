"""A session from start to scorecard, every change to its state: opening it (a mock interview's
two parts included), catching up with what the deadlines did, ending a phase early, hints,
aborting, and grading it at its end. The attached clock (attach.py), the deadline keeper
(keeper.py) and the commands are built on these.

Every read-modify-write of session state happens holding the practice folder's lock, so the clock,
the keeper and commands typed in other terminals never undo each other's changes: whichever acts
first at a deadline takes its one snapshot, and the others find the phase ended.

Grading takes up to a minute, so it runs outside that lock: whoever finds the last phase ended
claims the session's grader role under the lock, grades, and records the result under the lock
again. Meanwhile every other command answers at once, and none grades the session a second time;
the role is a lock the kernel drops when its process ends, so a grading that dies leaves the
session to be graded by the next command that looks.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from . import change_request, history, invocation, phases
from .clock import clock_time, duration, folder_stamp, time_left
from .context import Context
from .errors import StateError
from .feedback import followups_offer
from .grading import require_grading_python
from .kit import Level, Problem, Size
from .phases import Event
from .report import event_text, scorecard
from .review import mock_summary_lines, pick_least_practised
from .scoring import grade_session
from .session import (
    Mock,
    MockNext,
    PhaseName,
    Preset,
    Role,
    RoleName,
    Session,
    Status,
    inside,
    kata_of,
    write_atomic,
)
from .templates import write_session_files
from .terminal import Style
from .verdict import Verdict

SCORECARD = "scorecard.txt"


# --- opening a session -------------------------------------------------------------------------


@dataclass
class SessionPlan:
    """What a new session is: its problem, boxes (seconds per phase) and level, the mock
    interview it is part of, and when the card's change request comes."""

    problem: Problem
    boxes: list[float]
    level: Level = Level.FULL
    mock: Mock | None = None
    change_at: float | None = None  # seconds into the code phase; None: two thirds of it
    change: bool = True  # False: the card's change request is left out
    preset: Preset | None = None


def start(ctx: Context, plan: SessionPlan) -> Session:
    """Open the session `plan` describes, once sure it can be graded and none is active, and
    say what it is; its deadline keeper starts."""
    ctx.kit.require_tests(plan.problem)
    require_grading_python(ctx.kit.root)
    with no_active_session(ctx):
        session = open_session(ctx, plan)
    ctx.keep(session)
    introduce(ctx, session)
    return session


def start_mock(ctx: Context, boxes: list[float], short_boxes: list[float],
               seed: int) -> Session:
    """A mock interview: the full kata practised least at `boxes`, then, as soon as it is
    graded, the short one practised least at `short_boxes`; `seed` breaks ties."""
    ready = [p for p in ctx.kit.problems() if p.tests.is_file() and p.solution.is_file()]
    full, short = ([p for p in ready if p.size is size] for size in (Size.FULL, Size.SHORT))
    if not full or not short:
        raise StateError(f"a mock needs a full and a short kata with tests; found full: "
                         f"{_names(full)}; short: {_names(short)}")
    require_grading_python(ctx.kit.root)
    records, rng = ctx.records(), random.Random(seed)
    first = pick_least_practised(full, records, rng)
    second = pick_least_practised(short, records, rng)
    with no_active_session(ctx):
        mock_id = f"mock-{folder_stamp(ctx.now())}"
        ctx.say(ctx.style(f"Mock interview {mock_id} (seed {seed}): {first.name} at "
                          f"{phases.boxes_text(boxes)}, then {second.name} at "
                          f"{phases.boxes_text(short_boxes)}, back to back", "bold"))
        mock = Mock(mock_id, 1, seed, MockNext(second.name, short_boxes, Level.FULL))
        session = open_session(ctx, SessionPlan(first, boxes, mock=mock))
    ctx.keep(session)
    introduce(ctx, session)
    return session


def _names(problems: list[Problem]) -> str:
    return ", ".join(p.name for p in problems) or "none"


@contextlib.contextmanager
def no_active_session(ctx: Context) -> Iterator[None]:
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


def open_session(ctx: Context, plan: SessionPlan) -> Session:
    """Create, begin and activate the session `plan` describes; call it holding the lock, with
    none active."""
    now, problem = ctx.now(), plan.problem
    folder = ctx.practice.new_session_dir(problem.name, now)
    session = phases.new_session(folder.name, problem, plan.boxes, plan.level, now)
    session.mock, session.preset = plan.mock, plan.preset
    session.change = change_request.plan(problem, plan.boxes[1], plan.change_at, plan.change)
    write_session_files(folder, problem, session)
    phases.begin(session, folder, now)
    ctx.practice.save(session)
    ctx.practice.activate(session)
    return session


def introduce(ctx: Context, session: Session) -> None:
    ctx.say(ctx.style(f"{session.kata}: {session.title}", "bold"))
    study = ", a study session" if session.preset else ""
    ctx.say(f"session folder {ctx.practice.shown(ctx.folder(session))}/ (level {session.level}"
            f"{study})")
    for phase in session.phases:
        ctx.say(f"  {phase.name:<7}{duration(phase.box):>7}  {phase.file}")
    if (coming := change_request.intro_line(session)) is not None:
        ctx.say(coming)
    ctx.say("Each file is writable only during its phase; at each deadline it is snapshotted, "
            "and the snapshot is what counts.")
    if ctx.keyboard:
        ctx.say(f"Enter twice ends the current phase early. Ctrl-C detaches the clock: the "
                f"deadlines still hold, and {invocation.command('resume')} re-attaches it.")


# --- catching up -------------------------------------------------------------------------------


def refresh(ctx: Context, session: Session) -> list[Event]:
    """Catch up with missed deadlines and late edits; call it holding the lock."""
    events = phases.advance(session, ctx.folder(session), ctx.now())
    events += change_request.catch_up(session, ctx.folder(session), ctx.now(),
                                      request_of(ctx, session))
    events += phases.detect_late_edits(session, ctx.folder(session), ctx.now())
    if events:
        ctx.practice.save(session)
    return events


def request_of(ctx: Context, session: Session) -> change_request.Request:
    return change_request.problem_request(lambda: ctx.kit.problem(session.kata))


def say_events(ctx: Context, session: Session, events: list[Event]) -> None:
    for event in events:
        ctx.say(f"{clock_time(event.at)} {event_text(event, session)}")


def require_active(ctx: Context) -> Session:
    """The active session; StateError saying what became of the last one when there is none."""
    session = ctx.practice.active()
    if session is not None:
        return session
    last = last_session(ctx)
    if last is None:
        raise StateError(f"no active session: start one with "
                         f"{invocation.command('start', 'NAME')}")
    card = ctx.folder(last) / SCORECARD
    how = f"; its scorecard is {ctx.practice.shown(card)}" if card.is_file() else ""
    raise StateError(f"no active session: the last one, {last.id}, {ended_how(last)}{how}")


def last_session(ctx: Context) -> Session | None:
    sessions = ctx.practice.sessions(lambda _: None)
    return sessions[-1] if sessions else None


def ended_how(session: Session) -> str:
    return "was aborted" if session.status is Status.ABORTED else "has been graded"


def caught_up(ctx: Context) -> Session:
    """The active session once caught up with its deadlines (saying what happened), not graded
    even when its last deadline has passed; StateError when there is none."""
    with ctx.practice.locked():
        session = require_active(ctx)
        say_events(ctx, session, refresh(ctx, session))
    return session


def active_up_to_date(ctx: Context) -> Session | None:
    """The active session after catching up. Once its last deadline has passed, this grades it
    (None after, or the mock's next part), unless another process is grading it: then it is
    the session as it stands, its phases all ended (``grading_elsewhere`` says who grades)."""
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is None:
            return None
        say_events(ctx, session, refresh(ctx, session))
        if session.current is not None:
            return session
        grader = claim_grading(ctx, session)
        if grader is None:
            return session
    following = finalize(ctx, session, grader)
    if following is not None:
        ctx.say(f"{invocation.command('resume')} attaches its clock")
    return following


def rejoin(ctx: Context, session: Session) -> Session | None:
    """Catch up the active `session` for a clock to attach to it again: say what the deadline
    keeper or another command did since, and make sure a keeper looks after it. None when its
    last deadline had passed (it has just been graded); StateError while another process
    grades it."""
    ended_before = {p.name for p in session.phases if p.ending is not None}
    revealed_before = change_request.revealed(session)
    clock_left = Role(ctx.practice, RoleName.CLOCK).left_at(session.id) or 0.0
    current = active_up_to_date(ctx)  # says what it catches up with itself
    if current is None:
        return None
    if current.current is None:
        raise StateError(f"{current.id} is {grading_elsewhere(ctx, current) or 'being graded'}",
                         f"{invocation.command('resume')} shows its scorecard once it is done")
    ctx.keep(current)
    if current.id == session.id:  # what happened since the clock last let go of the session
        meanwhile = [Event.ended(p) for p in current.phases if p.name in ended_before]
        if revealed_before:
            meanwhile.append(change_request.past_event(current))
        say_events(ctx, current, sorted((event for event in meanwhile if event.at >= clock_left),
                                        key=lambda event: event.at))
    return current


# --- changes a command asks for ----------------------------------------------------------------


def end_early(ctx: Context, session: Session) -> list[Event]:
    """End the running phase now (or, in the code phase before the change request, reveal it)."""
    return change_request.end_early(session, ctx.folder(session), ctx.now(),
                                    request_of(ctx, session), phases.end_early)


def end_phase_now(ctx: Context, meant: PhaseName | None) -> None:
    """``next``: end the phase `meant` now (or reveal the change request it would bring
    forward), and grade the session when that was its last phase. Nothing happens when `meant`
    has ended meanwhile; None means a session whose phases had all ended already."""
    with ctx.practice.locked():
        session = require_active(ctx)
        if meant is not None and (session.current is None or session.current.name != meant):
            ctx.say(f"the {meant} phase had already ended: nothing more was ended")
            return
        events = end_early(ctx, session)
        ctx.practice.save(session)
        say_events(ctx, session, events)
        if session.current is not None:
            return
        grader = claim_grading(ctx, session)
        if grader is None:
            ctx.say(f"{session.id} is {grading_elsewhere(ctx, session) or 'being graded'}")
            return
    if finalize(ctx, session, grader) is not None:
        ctx.say(f"{invocation.command('resume')} attaches its clock")


def take_hint(ctx: Context, problem: Problem, number: int | None) -> tuple[int, int | None]:
    """The hint to show (`number`, else the one after those taken in the running session of
    `problem`), and how many that session has now taken (None without one, or for another
    problem): a hint counts only while a phase of its session runs."""
    hints = len(problem.hints)
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is not None:
            refresh(ctx, session)
        if session is None or session.kata != problem.name or session.current is None:
            return number or 1, None
        number = number or min(hints, session.hints + 1)
        if number > session.hints:
            session.hints = number
            ctx.practice.save(session)
        return number, session.hints


def abort(ctx: Context) -> str:
    """End the active session unscored: the documented way out, so it works on any broken state
    (what cannot be read is forgotten). Says what became of it."""
    with ctx.practice.locked():
        try:
            session_id = ctx.practice.active_id()
        except StateError:
            ctx.practice.deactivate()
            return (f"forgot the active session: {ctx.practice.shown(ctx.practice.pointer)} was "
                    f"corrupt")
        if session_id is None:
            raise StateError("no active session to abort")
        try:
            session = ctx.practice.load(session_id)
        except StateError as exc:
            ctx.practice.deactivate()
            _release_files(ctx, session_id)
            return f"forgot session {session_id}: {exc.what}"
        for warning in phases.abort(session, ctx.folder(session), ctx.now()):
            ctx.warn(warning)
        record(ctx, session, history.SessionRecord.of(session, None))
        _stop_keeper(ctx, session)
    return (f"aborted {session.id}: recorded unscored in "
            f"{ctx.practice.shown(ctx.practice.history)}; its files are writable again")


def _stop_keeper(ctx: Context, session: Session) -> None:
    """Tell the session's deadline keeper that there is nothing left to keep (it would notice
    within a second anyway). Only a process that holds the keeper's lock is signalled."""
    pid = ctx.practice.holder(RoleName.KEEPER, session.id)
    if pid and pid != os.getpid() and hasattr(signal, "SIGTERM"):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def _release_files(ctx: Context, session_id: str) -> None:
    """Make the phase files of a session that cannot be read writable by their owner again
    (its snapshots stay read-only, and nothing that is a link or lies elsewhere is touched)."""
    folder = ctx.practice.session_dir(session_id)
    with contextlib.suppress(OSError, StateError):
        ctx.practice.own(folder)
        for path in (folder / name.file(kata_of(session_id)) for name in PhaseName):
            if not path.is_symlink() and path.is_file():
                mode = stat.S_IMODE(path.stat().st_mode)
                if not mode & stat.S_IWUSR:
                    os.chmod(inside(path, folder), mode | stat.S_IWUSR)


# --- the end of a session ----------------------------------------------------------------------


def claim_grading(ctx: Context, session: Session) -> Role | None:
    """Mark `session`, whose phases have all ended, as this process's to grade; call it holding
    the practice folder's lock. None when another process is grading it."""
    grader = Role(ctx.practice, RoleName.GRADER)
    return grader if grader.take(session.id) else None


def grading_elsewhere(ctx: Context, session: Session) -> str | None:
    """``being graded by its deadline keeper, process 4242`` (or its clock, or a process in
    another terminal); None when no process is grading `session`."""
    pid = ctx.practice.holder(RoleName.GRADER, session.id)
    if pid is None:
        return None
    if not pid:
        return "being graded by another process"
    role = next((role for role in (RoleName.KEEPER, RoleName.CLOCK)
                 if ctx.practice.holder(role, session.id) == pid), None)
    if role is None:
        return f"being graded by process {pid} in another terminal"
    return f"being graded by its {'deadline keeper' if role is RoleName.KEEPER else role}, " \
           f"process {pid}"


def finalize(ctx: Context, session: Session, grader: Role) -> Session | None:
    """Grade a session whose phases have all ended, record it, print its scorecard and keep it
    in the session folder. Call it without the practice folder's lock, holding the `grader`
    role (claim_grading), which it lets go of: the grading runs outside the lock, and only its
    result is recorded under it, unless the session was aborted meanwhile.

    Returns the mock's second part when this was the first (it starts at once), else None.
    """
    try:
        require_grading_python(ctx.kit.root)
        problem = ctx.kit.problem(session.kata)
        verdict = grade_session(ctx, session, problem)
        with ctx.practice.locked():
            current = ctx.practice.active()
            if current is None or current.id != session.id or \
                    current.status is not Status.ACTIVE:
                ctx.say(f"{session.id} was aborted while it was being graded: its grade is not "
                        f"recorded")
                return None
            _record_grade(ctx, current, problem, verdict)
            return _continue_mock(ctx, current)
    finally:
        grader.release()


def _record_grade(ctx: Context, session: Session, problem: Problem, verdict: Verdict) -> None:
    """Close the session with its verdict: the history line, the files' modes, the scorecard."""
    folder = ctx.folder(session)
    phases.detect_late_edits(session, folder, ctx.now())
    for warning in phases.finish(session, folder):
        ctx.warn(warning)
    record(ctx, session, history.SessionRecord.of(session, verdict))
    ctx.graded.append(session.id)
    offer = followups_offer(problem)
    lines = scorecard(session, verdict, len(problem.hints), ctx.style, offer)
    plain = scorecard(session, verdict, len(problem.hints), Style(False), offer)
    saved = inside(folder / SCORECARD, folder)
    write_atomic(saved, "\n".join(plain) + "\n")
    for line in lines:
        ctx.say(line)
    ctx.say(f"scorecard saved as {ctx.practice.shown(saved)}; history: "
            f"{ctx.practice.shown(ctx.practice.history)}")


def record(ctx: Context, session: Session, line: history.SessionRecord) -> None:
    """Append the history line once (a re-run after a crash finds it there), then close up."""
    if not any(r.session == session.id
               for r in history.read(ctx.practice.history, lambda _: None).sessions):
        history.append(ctx.practice.own(ctx.practice.history), line)
    ctx.practice.save(session)
    ctx.practice.deactivate()


def _continue_mock(ctx: Context, session: Session) -> Session | None:
    mock = session.mock
    if not mock:
        return None
    following = mock.next
    if following:
        ctx.say()
        ctx.say(ctx.style(f"Mock interview {mock.id}, part 2 of 2 starts now", "bold"))
        part = open_session(ctx, SessionPlan(ctx.kit.problem(following.kata), following.boxes,
                                             following.level, Mock(mock.id, 2, mock.seed)))
        ctx.keep(part)
        introduce(ctx, part)
        return part
    lines = mock_summary_lines(mock.id, [r for r in ctx.records() if r.mock == mock.id])
    summary = ctx.practice.own(ctx.practice.folder / f"{mock.id}.md")
    write_atomic(summary, "\n".join(lines) + "\n")
    ctx.say()
    for line in lines:
        ctx.say(line)
    ctx.say(f"mock summary saved as {ctx.practice.shown(summary)}")
    return None
