"""A session from start to scorecard: opening it, catching up, the attached clock, the deadline
keeper, grading at the end, and the second part of a mock interview.

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

from . import change_request, history, invocation, phases
from .clock import clock_time, duration
from .context import Context
from .feedback import followups_offer
from .grading import require_grading_python
from .kit import Level, Problem
from .phases import Event
from .report import event_text, scorecard
from .scoring import grade_session
from .session import (
    Mock,
    Preset,
    Role,
    RoleName,
    Session,
    Status,
    inside,
    write_atomic,
)
from .templates import write_session_files
from .terminal import Style
from .verdict import Verdict

SCORECARD = "scorecard.txt"


# --- opening and catching up -------------------------------------------------------------------


def open_session(ctx: Context, problem: Problem, boxes: list[float], level: Level,
                 mock: Mock | None = None, change_at: float | None = None,
                 change: bool = True, preset: Preset | None = None) -> Session:
    """Create, begin and activate a session; call holding the lock with none active. The card's
    change request comes `change_at` seconds into the code phase (default two thirds of it), or
    not at all without `change`."""
    now = ctx.now()
    folder = ctx.practice.new_session_dir(problem.name, now)
    session = phases.new_session(folder.name, problem, boxes, level, now)
    session.mock, session.preset = mock, preset
    session.change = change_request.plan(problem, boxes[1], change_at, change)
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


def end_early(ctx: Context, session: Session) -> list[Event]:
    """End the running phase now (or, in the code phase before the change request, reveal it)."""
    return change_request.end_early(session, ctx.folder(session), ctx.now(),
                                    request_of(ctx, session), phases.end_early)


def say_events(ctx: Context, session: Session, events: list[Event]) -> None:
    for event in events:
        ctx.say(f"{clock_time(event.at)} {event_text(event, session)}")


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
        problem = ctx.kit.problem(following.kata)
        part = open_session(ctx, problem, following.boxes, following.level,
                            Mock(mock.id, 2, mock.seed))
        ctx.keep(part)
        introduce(ctx, part)
        return part
    from .review import mock_summary_lines
    lines = mock_summary_lines(mock.id, [r for r in ctx.records() if r.mock == mock.id])
    summary = ctx.practice.own(ctx.practice.folder / f"{mock.id}.md")
    write_atomic(summary, "\n".join(lines) + "\n")
    ctx.say()
    for line in lines:
        ctx.say(line)
    ctx.say(f"mock summary saved as {ctx.practice.shown(summary)}")
    return None
