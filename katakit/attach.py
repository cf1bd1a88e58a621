"""The attached clock: a session's countdown in the foreground of a terminal, one live line
redrawn each second, a bell and a banner at each phase change, Enter twice to end a phase early.

It follows the session as whoever acts first changes it (the deadline keeper, a command typed in
another terminal), announcing each change once, and grades the session at its end unless another
process is grading it. Ctrl-C detaches it: the deadlines still hold.
"""

from __future__ import annotations

from . import change_request, invocation
from .clock import clock_time, duration, seconds_to_next_tick
from .context import Context
from .errors import StateError
from .lifecycle import (
    claim_grading,
    end_early,
    finalize,
    grading_elsewhere,
    refresh,
    request_of,
)
from .phases import Event, EventKind
from .report import event_text, live_line
from .session import Phase, PhaseName, Role, RoleName, Session
from .terminal import Screen

WARNINGS = (300, 60)  # seconds left in a phase that ring the bell
CONFIRM = 5.0  # seconds in which a second Enter confirms ending the phase early
GRADER_POLL = 0.5  # seconds between the clock's looks at a session another process grades


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


def clock_state(ctx: Context, session: Session) -> str:
    """``status``'s clock line: whether a clock is attached and a deadline keeper runs."""
    clock, keeper = (ctx.practice.holder(role, session.id)
                     for role in (RoleName.CLOCK, RoleName.KEEPER))
    attached = "attached" if clock is not None else \
        f"not attached ({invocation.command('resume')} attaches it)"
    kept = "the deadline keeper takes each snapshot on time" if keeper is not None else \
        "no deadline keeper runs: each snapshot is taken when a command next looks"
    return f"{attached}; {kept}"


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


def _warn(screen: Screen, phase: Phase, left: float, warned: set[tuple[str, int]]) -> None:
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
