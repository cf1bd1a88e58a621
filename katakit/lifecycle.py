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

import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import change_request, history, invocation, phases
from .clock import clock_time, duration, seconds_to_next_tick
from .context import Context
from .errors import StateError
from .feedback import check_design, followups_offer
from .grading import Grade, OwnTests, Scope, require_grading_python
from .kit import Level, Problem
from .phases import Event, EventKind
from .report import event_text, live_line, scorecard
from .session import (
    Mock,
    PhaseName,
    Preset,
    Role,
    RoleName,
    Session,
    Status,
    inside,
    write_atomic,
)
from .templates import write_session_files
from .terminal import Screen, Style
from .verdict import Verdict

WARNINGS = (300, 60)  # seconds left in a phase that ring the bell
CONFIRM = 5.0  # seconds in which a second Enter confirms ending the phase early
GRADER_POLL = 0.5  # seconds between the clock's looks at a session another process grades
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
        verdict = _grade_session(ctx, session, problem)
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


def _grade_session(ctx: Context, session: Session, problem: Problem) -> Verdict:
    """The strict suite, the user's tests and the code review of the session's snapshots, what
    the change request cost, and the keyword check of the design: everything slow about the end
    of a session."""
    folder = ctx.folder(session)
    design, code, tests = (_snapshot_path(folder, phase) for phase in session.phases)
    review = ctx.review(code, problem.solution, ctx.kit.root) if ctx.review and code else None
    ctx.say(f"grading the {session.kata}.py snapshot and your test_mine.py ...")
    scope = Scope(session.level, change=change_request.revealed(session))
    try:
        result, own_result = grade_both(ctx, problem, code, tests, scope)
    except BaseException:
        if review is not None:
            review.cancel()
        raise
    return Verdict(result, own_result, review.result() if review is not None else None,
                   change_request.cost(session, folder), check_design(problem, design))


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


def grade_both(ctx: Context, problem: Problem, code: Path | None, tests: Path | None,
               scope: Scope) -> tuple[Grade, OwnTests]:
    """The strict suite and the user's tests side by side; on a terminal, one line redrawn with
    how far each has got. Ctrl-C stops both, leaving no process behind."""
    screen = Screen(ctx.out, ctx.live, ctx.style)
    cancel = threading.Event()
    done = {"strict": (0, 0), "own": (0, 0)}

    def counter(name: str) -> Callable[[int, int], None]:
        return lambda finished, total: done.__setitem__(name, (finished, total))

    results: dict[str, object] = {}
    finished = {"strict": threading.Event(), "own": threading.Event()}

    def run(name: str, work: Callable[..., object], *args: object) -> None:
        try:
            results[name] = work(*args, progress=counter(name), cancel=cancel)
        except BaseException as exc:  # handed to the main thread below
            results[name] = exc
        finally:
            finished[name].set()

    # Not daemons, and waited for through events rather than join(): a join interrupted by
    # Ctrl-C can take a running thread for ended, and a daemon would be cut off at exit
    # before killing its pytest.
    for name, args in (("strict", (ctx.grade, problem, code, scope)),
                       ("own", (ctx.own_tests, problem, code, tests))):
        threading.Thread(target=run, args=(name, *args)).start()
    started = time.monotonic()
    try:
        while pending := [event for event in finished.values() if not event.is_set()]:
            pending[0].wait(0.25)
            (s_done, s_total), (o_done, o_total) = done["strict"], done["own"]
            screen.status(f"grading: strict tests {s_done}/{s_total or '?'}, your tests "
                          f"{o_done}/{o_total or '?'}, {time.monotonic() - started:.0f} s")
    except BaseException:
        cancel.set()  # each run kills its processes and ends
        for event in finished.values():
            event.wait()
        raise
    finally:
        screen.close()
    for name in ("strict", "own"):
        if isinstance(results[name], BaseException):
            raise results[name]
    return results["strict"], results["own"]  # type: ignore[return-value]


def _snapshot_path(folder: Path, phase: phases.Phase) -> Path | None:
    return None if phase.snapshot is None else phase.snapshot.path(folder)


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


# --- the clock ---------------------------------------------------------------------------------


class _Attached:
    """What one attached clock follows and has already announced."""

    def __init__(self, session: Session, announce: bool) -> None:
        self.mock_id: str | None = None
        self.switch(session, announce)

    def switch(self, session: Session, announce: bool = True) -> None:
        """Follow `session`. What ended before is history, not news; so is the running phase's
        start unless `announce`."""
        self.session_id = session.id
        self.shown: set[tuple[PhaseName, EventKind]] = {
            (p.name, EventKind(kind)) for p in session.phases if p.start is not None
            for kind in (EventKind.START, p.ending) if kind is not None}
        if change_request.revealed(session):
            self.shown.add((PhaseName.CODE, EventKind.CHANGE))
        if announce and session.current is not None:
            self.shown.discard((session.current.name, EventKind.START))
        self.warned: set[tuple[str, int]] = set()  # (phase, seconds left)
        self.confirm_until: float | None = None  # asked for a second Enter until then
        self.grading_seen = False  # said that another process grades it

    def follows(self, session: Session | None) -> bool:
        """Whether `session` is this clock's, or its mock's next part begun in another terminal."""
        if session is None:
            return False
        mock_id = session.mock.id if session.mock else None
        if session.id != self.session_id:
            if self.mock_id is None or mock_id != self.mock_id:
                return False
            self.switch(session)
        self.mock_id = mock_id
        return True


def clock_attached(ctx: Context, session: Session) -> str | None:
    """A line saying that a clock is attached to `session` in another terminal, or None."""
    pid = ctx.practice.holder(RoleName.CLOCK, session.id)
    if pid is None:
        return None
    return (f"a clock is already attached to {session.id}{f' (process {pid})' if pid else ''}: "
            f"it keeps the time in its own terminal; here, {invocation.command('status')}, "
            f"{invocation.command('next')} and {invocation.command('check')} work as usual")


def attach(ctx: Context, session: Session, announce: bool = True) -> int:
    """Run the clock in the foreground until the session ends; Ctrl-C detaches, nothing lost.

    `announce` the running phase first (False when re-attaching: the caller said where it is).
    """
    role = Role(ctx.practice, RoleName.CLOCK)
    if not role.take(session.id):
        raise StateError(clock_attached(ctx, session) or f"a clock is attached to {session.id}")
    screen = Screen(ctx.out, ctx.live, ctx.style)
    clock = _Attached(session, announce)
    try:
        while True:
            with ctx.practice.locked():
                session = ctx.practice.active()
                if not clock.follows(session):
                    screen.close()
                    return _ended_elsewhere(ctx, clock.session_id)
                role.take(session.id)
                _announce(screen, session, refresh(ctx, session), clock.shown)
                _announce_change(ctx, screen, session, clock.shown)
                ended = session.current is None
                grader = claim_grading(ctx, session) if ended else None
            if not ended:
                _tick(ctx, screen, session, clock)
            elif grader is None:
                _wait_for_grader(ctx, screen, session, clock)
            else:
                screen.close()
                following = finalize(ctx, session, grader)
                if following is None:
                    return 0
                clock.switch(following)
                role.take(following.id)
    except KeyboardInterrupt:
        screen.close()
        ctx.say(f"clock detached at {clock_time(ctx.now())}: the session keeps running and its "
                f"deadlines still hold; {invocation.command('resume')} re-attaches")
        return 130
    finally:
        role.release()


def _wait_for_grader(ctx: Context, screen: Screen, session: Session, clock: _Attached) -> None:
    """Another process grades the session: say so once, and look again in a moment (its
    scorecard is printed where it is graded)."""
    if not clock.grading_seen:
        clock.grading_seen = True
        doing = grading_elsewhere(ctx, session) or "being graded in another process"
        screen.say(f"{clock_time(ctx.now())} {session.id} is {doing}: its scorecard is shown "
                   f"there")
    screen.status(f"grading {session.kata} elsewhere ...")
    ctx.wait(GRADER_POLL)


def _tick(ctx: Context, screen: Screen, session: Session, clock: _Attached) -> None:
    """Show the live line, wait for the next second (or a key), and act on what was typed."""
    phase = session.current
    now = ctx.now()
    left = phase.deadline - now
    _warn(screen, phase, left, clock.warned)
    if clock.confirm_until is not None and now >= clock.confirm_until:
        clock.confirm_until = None
        screen.say(f"no second Enter: the {phase.name} phase goes on")
    screen.status(live_line(session, now, ctx.keyboard))
    pause = seconds_to_next_tick(left)
    if (change_due := change_request.due(session)) is not None and change_due > now:
        pause = min(pause, change_due - now)
    if clock.confirm_until is not None:
        pause = min(pause, max(0.01, clock.confirm_until - now))
    line = ctx.wait(pause)
    if not isinstance(line, str):
        return
    screen.typed()
    if clock.confirm_until is not None:
        clock.confirm_until = None
        if line.strip() == "":
            _end_phase_from_keyboard(ctx, clock.session_id, phase.name)
        else:
            screen.say(f"not ended: the {phase.name} phase goes on")
    elif line.strip() == "":
        clock.confirm_until = ctx.now() + CONFIRM
        what = "reveal the change request now (the code phase goes on)" \
            if change_request.brings_forward(session) else f"end the {phase.name} phase now"
        screen.say(f"press Enter again within {CONFIRM:.0f} s to {what}")
    else:
        screen.say(f"ignored {line.strip()[:30]!r}: this terminal is the clock's (Enter twice "
                   f"ends the {phase.name} phase early)")


def _announce(screen: Screen, session: Session, events: list[Event],
              shown: set[tuple[PhaseName, EventKind]]) -> None:
    """Show each phase change once, whether this clock or another process made it."""
    for phase in session.phases:
        if phase.start is None:
            continue
        if (phase.name, EventKind.START) not in shown:
            shown.add((phase.name, EventKind.START))
            started = Event(EventKind.START, phase.name, phase.start)
            screen.banner(f"{clock_time(phase.start)} {event_text(started, session)}")
        if phase.ending is not None and (phase.name, EventKind(phase.ending)) not in shown:
            shown.add((phase.name, EventKind(phase.ending)))
            screen.say(f"{clock_time(phase.ended_at)} {event_text(Event.ended(phase), session)}")
    for event in events:
        if event.kind is EventKind.LATE_EDIT:
            screen.say(f"{clock_time(event.at)} {event_text(event, session)}")


def _announce_change(ctx: Context, screen: Screen, session: Session,
                     shown: set[tuple[PhaseName, EventKind]]) -> None:
    """The bell and a banner once the change request is revealed, whoever revealed it, with
    the request under it."""
    if not change_request.revealed(session) or (PhaseName.CODE, EventKind.CHANGE) in shown:
        return
    shown.add((PhaseName.CODE, EventKind.CHANGE))
    banner, lines = change_request.announcement(session, request_of(ctx, session)())
    screen.banner(banner)
    for line in lines:
        screen.say(line)


def _warn(screen: Screen, phase: phases.Phase, left: float, warned: set[tuple[str, int]]) -> None:
    for mark in WARNINGS:
        key = (phase.name, mark)
        # Announce a mark only when the clock is there as it passes, not when resuming after it.
        if phase.box > mark and mark - 1.5 < left <= mark and key not in warned:
            warned.add(key)
            screen.banner(f"{phase.name}: {duration(mark)} left ({phase.file})")


def _end_phase_from_keyboard(ctx: Context, session_id: str, name: str) -> None:
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is not None and session.id == session_id and session.current is not None \
                and session.current.name == name:
            end_early(ctx, session)
            ctx.practice.save(session)


def _ended_elsewhere(ctx: Context, session_id: str) -> int:
    try:
        status = ctx.practice.load(session_id).status
    except StateError:
        status = "ended"
    ctx.say(f"session {session_id} was {status} from another terminal")
    return 0


# --- the deadline keeper -----------------------------------------------------------------------


KEEPER_POLL = 1.0  # seconds between the keeper's looks at the session between deadlines


def keep(ctx: Context, session_id: str) -> int:
    """Take each snapshot of `session_id` at its deadline, whether or not a clock is attached,
    until the session ends or is aborted; grade it at the end when no clock is there to (or
    when the clock that was is detached before it has graded).

    Runs in a detached process of its own (see katakit/keeper.py); one per session.
    """
    role = Role(ctx.practice, RoleName.KEEPER)
    try:
        if not role.take(session_id):
            return 0  # another keeper looks after it
        ctx.say(f"{clock_time(ctx.now())} keeping the deadlines of {session_id}")
        while True:
            pause = _keep_once(ctx, session_id)
            if pause is None:
                return 0
            ctx.wait(pause)
    except KeyboardInterrupt:
        return 0
    finally:
        role.release()


def _keep_once(ctx: Context, session_id: str) -> float | None:
    """One look at the session: seconds to sleep before the next, None once the keeper is done."""
    with ctx.practice.locked():
        try:
            session = ctx.practice.active()
        except StateError as exc:
            ctx.warn(str(exc))
            return None
        if session is None or session.id != session_id or session.status is not Status.ACTIVE:
            ctx.say(f"{clock_time(ctx.now())} {session_id} is over: the keeper stops")
            return None
        try:
            say_events(ctx, session, refresh(ctx, session))
        except (StateError, OSError) as exc:
            ctx.warn(f"{exc}; trying again in {KEEPER_POLL:g} s")
            return KEEPER_POLL
        if session.current is not None:
            wake = min(session.current.deadline, change_request.due(session) or math.inf)
            return max(0.0, min(wake - ctx.now(), KEEPER_POLL))
        if ctx.practice.holder(RoleName.CLOCK, session.id) is not None:
            return KEEPER_POLL  # the attached clock grades, unless it is detached before
        grader = claim_grading(ctx, session)
        if grader is None:
            return KEEPER_POLL  # another process grades it, unless it dies before
    finalize(ctx, session, grader)
    return None
