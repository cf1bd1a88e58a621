"""A session from start to scorecard: opening it, catching up, the attached clock, grading at the
end, and the second part of a mock interview.

Every read-modify-write of session state happens holding the practice folder's lock, so the clock
and commands typed in other terminals never undo each other's changes.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import history, phases
from .clock import Now, Wait, clock_time, duration, seconds_to_next_tick
from .errors import StateError
from .grading import Grade, OwnTests, grade, require_pytest, run_own_tests
from .kit import Kit, Problem
from .phases import Event
from .report import event_text, live_line, scorecard
from .review import mock_summary_lines
from .session import Practice, Session, write_atomic
from .templates import write_session_files
from .terminal import Screen, Style

WARNINGS = (300, 60)  # seconds left in a phase that ring the bell


@dataclass
class Context:
    """What every command works with; tests build one around a temporary kit and a fake clock."""

    kit: Kit
    practice: Practice
    now: Now
    wait: Wait
    out: TextIO
    err: TextIO
    style: Style
    live: bool  # stdout is a terminal: redraw one live line instead of printing event lines
    keyboard: bool  # Enter in this terminal ends a phase early
    grade: Callable[..., Grade] = grade
    own_tests: Callable[..., OwnTests] = run_own_tests

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(f"timer: warning: {text}", file=self.err, flush=True)

    def folder(self, session: Session) -> Path:
        return self.practice.session_dir(session.id)

    def records(self) -> list[history.Record]:
        return history.read(self.practice.history, self.warn)


# --- opening and catching up -------------------------------------------------------------------


def open_session(ctx: Context, problem: Problem, boxes: list[float], level: str,
                 mock: dict | None = None) -> Session:
    """Create, begin and activate a session; call holding the lock with none active."""
    now = ctx.now()
    folder = ctx.practice.new_session_dir(problem.name, now)
    session = phases.new_session(folder.name, problem, boxes, level, now)
    session.mock = mock
    write_session_files(folder, problem, session)
    phases.begin(session, folder, now)
    ctx.practice.save(session)
    ctx.practice.activate(session)
    return session


def introduce(ctx: Context, session: Session) -> None:
    ctx.say(ctx.style(f"{session.kata}: {session.title}", "bold"))
    ctx.say(f"session folder {ctx.practice.shown(ctx.folder(session))}/ (level {session.level})")
    for phase in session.phases:
        ctx.say(f"  {phase.name:<7}{duration(phase.box):>7}  {phase.file}")
    ctx.say("Each file is writable only during its phase; at each deadline it is snapshotted, "
            "and the snapshot is what counts.")
    if ctx.keyboard:
        ctx.say("Enter ends the current phase early. Ctrl-C detaches the clock; the session "
                "keeps running and `python timer.py resume` re-attaches.")


def refresh(ctx: Context, session: Session) -> list[Event]:
    """Catch up with missed deadlines and late edits; call it holding the lock."""
    events = phases.advance(session, ctx.folder(session), ctx.now())
    events += phases.detect_late_edits(session, ctx.folder(session), ctx.now())
    if events:
        ctx.practice.save(session)
    return events


def say_events(ctx: Context, session: Session, events: list[Event]) -> None:
    for event in events:
        ctx.say(f"{clock_time(event.at)} {event_text(event, session)}")


def active_up_to_date(ctx: Context) -> Session | None:
    """The active session after catching up (grading it if its last deadline has passed)."""
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is None:
            return None
        say_events(ctx, session, refresh(ctx, session))
        if session.current is not None:
            return session
        following = finalize(ctx, session)
        if following is not None:
            ctx.say("`python timer.py resume` attaches its clock")
        return following


# --- the end of a session ----------------------------------------------------------------------


def finalize(ctx: Context, session: Session) -> Session | None:
    """Grade a session whose phases have all ended, record it and print its scorecard.

    Returns the mock's second part when this was the first (it starts at once), else None.
    """
    require_pytest()
    folder = ctx.folder(session)
    problem = ctx.kit.problem(session.kata)
    code, tests = (_snapshot_path(folder, session.phase(name)) for name in ("code", "tests"))
    ctx.say(f"grading the {session.kata}.py snapshot and your test_mine.py ...")
    with ThreadPoolExecutor(max_workers=2) as pool:
        strict = pool.submit(ctx.grade, problem, code, session.level)
        own = pool.submit(ctx.own_tests, problem, code, tests)
        result, own_result = strict.result(), own.result()
    phases.detect_late_edits(session, folder, ctx.now())
    phases.finish(session, folder)
    record(ctx, session, history.build_record(session, result, own_result))
    for line in scorecard(session, result, own_result, ctx.style):
        ctx.say(line)
    ctx.say(f"history: {ctx.practice.shown(ctx.practice.history)}")
    return _continue_mock(ctx, session)


def _snapshot_path(folder: Path, phase: phases.Phase) -> Path | None:
    if phase.snapshot is None or phase.snapshot["file"] is None:
        return None
    return folder / phase.snapshot["file"]


def record(ctx: Context, session: Session, line: history.Record) -> None:
    """Append the history line once (a re-run after a crash finds it there), then close up."""
    if not any(r.get("session") == session.id for r in history.read(ctx.practice.history,
                                                                      lambda _: None)):
        history.append(ctx.practice.history, line)
    ctx.practice.save(session)
    ctx.practice.deactivate()


def _continue_mock(ctx: Context, session: Session) -> Session | None:
    mock = session.mock
    if not mock:
        return None
    following = mock.get("next")
    if following:
        ctx.say()
        ctx.say(ctx.style(f"Mock interview {mock['id']}, part 2 of 2 starts now", "bold"))
        problem = ctx.kit.problem(following["kata"])
        part = open_session(ctx, problem, following["boxes"], following["level"],
                            {"id": mock["id"], "part": 2, "seed": mock.get("seed")})
        introduce(ctx, part)
        return part
    lines = mock_summary_lines(mock["id"], [r for r in ctx.records()
                                            if r.get("mock") == mock["id"]])
    summary = ctx.practice.folder / f"{mock['id']}.md"
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
        self.shown = {(p.name, kind) for p in session.phases if p.start is not None
                      for kind in ("start", p.ending) if kind is not None}
        if announce and session.current is not None:
            self.shown.discard((session.current.name, "start"))
        self.warned: set[tuple[str, int]] = set()  # (phase, seconds left)

    def follows(self, session: Session | None) -> bool:
        """Whether `session` is this clock's, or its mock's next part begun in another terminal."""
        if session is None:
            return False
        mock_id = (session.mock or {}).get("id")
        if session.id != self.session_id:
            if self.mock_id is None or mock_id != self.mock_id:
                return False
            self.switch(session)
        self.mock_id = mock_id
        return True


def attach(ctx: Context, session: Session, announce: bool = True) -> int:
    """Run the clock in the foreground until the session ends; Ctrl-C detaches, nothing lost.

    `announce` the running phase first (False when re-attaching: the caller said where it is).
    """
    screen = Screen(ctx.out, ctx.live, ctx.style)
    clock = _Attached(session, announce)
    try:
        while True:
            with ctx.practice.locked():
                session = ctx.practice.active()
                if not clock.follows(session):
                    screen.close()
                    return _ended_elsewhere(ctx, clock.session_id)
                _announce(screen, session, refresh(ctx, session), clock.shown)
                if session.current is None:
                    screen.close()
                    following = finalize(ctx, session)
                    if following is None:
                        return 0
                    clock.switch(following)
                    continue
            phase = session.current
            left = phase.deadline - ctx.now()
            _warn(screen, phase, left, clock.warned)
            screen.status(live_line(session, ctx.now(), ctx.keyboard))
            if ctx.wait(seconds_to_next_tick(left)):
                _end_phase_from_keyboard(ctx, clock.session_id)
    except KeyboardInterrupt:
        screen.close()
        ctx.say(f"clock detached at {clock_time(ctx.now())}: the session keeps running "
                f"(deadlines are saved); `python timer.py resume` re-attaches")
        return 130


def _announce(screen: Screen, session: Session, events: list[Event],
              shown: set[tuple[str, str]]) -> None:
    """Show each phase change once, whether this clock or another command made it."""
    for phase in session.phases:
        for kind, at, detail in (("start", phase.start, {}),
                                 (phase.ending, phase.ended_at, phase.snapshot)):
            if kind is None or at is None or (phase.name, kind) in shown:
                continue
            shown.add((phase.name, kind))
            text = f"{clock_time(at)} {event_text(Event(kind, phase.name, at, detail), session)}"
            screen.banner(text) if kind == "start" else screen.say(text)
    for event in events:
        if event.kind == "late-edit":
            screen.say(f"{clock_time(event.at)} {event_text(event, session)}")


def _warn(screen: Screen, phase: phases.Phase, left: float, warned: set[tuple[str, int]]) -> None:
    for mark in WARNINGS:
        key = (phase.name, mark)
        # Announce a mark only when the clock is there as it passes, not when resuming after it.
        if phase.box > mark and mark - 1.5 < left <= mark and key not in warned:
            warned.add(key)
            screen.banner(f"{phase.name}: {duration(mark)} left ({phase.file})")


def _end_phase_from_keyboard(ctx: Context, session_id: str) -> None:
    with ctx.practice.locked():
        session = ctx.practice.active()
        if session is not None and session.id == session_id:
            phases.end_early(session, ctx.folder(session), ctx.now())
            ctx.practice.save(session)


def _ended_elsewhere(ctx: Context, session_id: str) -> int:
    try:
        status = ctx.practice.load(session_id).status
    except StateError:
        status = "ended"
    ctx.say(f"session {session_id} was {status} from another terminal")
    return 0
