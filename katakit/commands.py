"""The command line: ``python timer.py COMMAND``; every failure is one line and an exit code.

This module is the parser and one thin handler per command, each reading its arguments and
calling the part of katakit that does the work: lifecycle (a session's state), attach (the
clock), checking (check and watch), comparing, review (the report), feedback and followups (the
design phase), plan; keeper runs the deadline keeper's process.
"""

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
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TextIO, TypeVar

from . import change_request, checking, comparing, history, invocation, lifecycle, phases
from .attach import attach, clock_attached, clock_state
from .clock import KeyboardWait, system_now, time_left
from .context import Context, Setup
from .errors import StateError, TimerError, UsageError
from .feedback import require_model
from .followups import all_lines, interview
from .keeper import keep, launch
from .kit import Kit, Level, Size, unknown_kata_message
from .plan import STUDY_BOXES, plan_lines
from .report import problems_table, status_lines
from .review import markdown_sheet, report_lines, selected
from .session import SESSION_ID, Practice, Preset, Session, write_atomic
from .terminal import is_tty

ROOT = Path(__file__).resolve().parent.parent
E = TypeVar("E", bound=StrEnum)
INTERVALS = (0.1, 60.0)  # seconds between watch's looks at the file
Handler = Callable[[Context, argparse.Namespace], int]


# --- sessions ----------------------------------------------------------------------------------


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    problems = ctx.kit.problems()
    if not problems:
        ctx.say(f"no katas in {ctx.kit.katas}")
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
                               phases.default_boxes(problem.size))
    change_at = None if args.change_at is None else \
        change_request.checked_at(args.change_at, boxes[1], problem)
    session = lifecycle.start(ctx, lifecycle.SessionPlan(
        problem, boxes, args.level, change_at=change_at, change=not args.no_change,
        preset=args.preset))
    return attach(ctx, session)


def cmd_mock(ctx: Context, args: argparse.Namespace) -> int:
    boxes = phases.parse_boxes(args.boxes or phases.default_boxes(Size.FULL))
    short_boxes = phases.parse_boxes(args.short_boxes or phases.default_boxes(Size.SHORT))
    seed = args.seed if args.seed is not None else random.randrange(10_000)
    return attach(ctx, lifecycle.start_mock(ctx, boxes, short_boxes, seed))


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    before = lifecycle.require_active(ctx)
    session = lifecycle.active_up_to_date(ctx)
    if session is None and before.id not in ctx.graded:
        lifecycle.require_active(ctx)  # graded meanwhile by its deadline keeper: say where
    if session is not None:
        for line in status_lines(session, ctx.practice.shown(ctx.folder(session)), ctx.now(),
                                 clock_state(ctx, session),
                                 lifecycle.grading_elsewhere(ctx, session)):
            ctx.say(line)
    return 0


def cmd_next(ctx: Context, args: argparse.Namespace) -> int:
    session = lifecycle.caught_up(ctx)
    phase = session.current
    if phase is not None and not args.yes and not _next_confirmed(ctx, session):
        return 0
    lifecycle.end_phase_now(ctx, phase.name if phase else None)
    return 0


def _next_confirmed(ctx: Context, session: Session) -> bool:
    """Whether the user, asked y/N on a terminal, wants the running phase ended (or the change
    request it would bring forward revealed); UsageError without a terminal to ask."""
    phase, forward = session.current, change_request.brings_forward(session)
    left = time_left(phase.deadline - ctx.now())
    if ctx.confirm is None:
        does = "reveals the change request now, before it is due (the code phase goes on)" \
            if forward else f"ends the {phase.name} phase for good, with {left} left"
        raise UsageError(f"next {does}: there is no terminal here to ask, so confirm with "
                         f"{invocation.command('next', '--yes')}")
    question = "Reveal the change request now, before it is due? The code phase goes on." \
        if forward else f"End the {phase.name} phase now, with {left} left?"
    if ctx.confirm(f"{question} [y/N] "):
        return True
    ctx.say(f"not {'revealed' if forward else 'ended'}: the {phase.name} phase goes on")
    return False


def cmd_resume(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.practice.active()
    if session is None:
        return _show_last_scorecard(ctx)
    if (attached := clock_attached(ctx, session)) is not None:
        raise StateError(attached)
    session = lifecycle.rejoin(ctx, session)
    if session is None:
        return 0  # its last deadline had passed: it has just been graded
    phase = session.current
    ctx.say(f"resuming {session.id}: {phase.name} phase, {time_left(phase.deadline - ctx.now())} "
            f"left")
    return attach(ctx, session, announce=False)


def _show_last_scorecard(ctx: Context) -> int:
    """``resume`` with nothing active: the last session's scorecard, when it has one (the
    deadline keeper grades a session no clock was attached to at its end)."""
    last = lifecycle.last_session(ctx)
    card = ctx.folder(last) / lifecycle.SCORECARD if last is not None else None
    if card is None or not card.is_file():
        lifecycle.require_active(ctx)
    ctx.say(f"no active session: the last one, {last.id}, {lifecycle.ended_how(last)}; its "
            f"scorecard ({ctx.practice.shown(card)}):")
    ctx.say(card.read_text(encoding="utf-8", errors="replace").rstrip())
    return 0


def cmd_abort(ctx: Context, args: argparse.Namespace) -> int:
    ctx.say(lifecycle.abort(ctx))
    return 0


def cmd_hint(ctx: Context, args: argparse.Namespace) -> int:
    problem = ctx.kit.problem(args.name)
    hints = problem.hints
    if not hints:
        raise StateError(f"katas/{problem.name}.py has no numbered hints in its card")
    if args.number is not None and args.number > len(hints):
        raise UsageError(f"{problem.name} has {len(hints)} hints, not {args.number}")
    number, taken = lifecycle.take_hint(ctx, problem, args.number)
    ctx.say(f"Hint {number} of {len(hints)} for {problem.name}: {hints[number - 1]}")
    if taken is not None:
        ctx.say(f"hints used in this session: {taken} of {len(hints)}")
    elif number < len(hints):
        ctx.say(f"{invocation.command('hint', problem.name, number + 1)} shows the next one")
    return 0


def cmd_keep(ctx: Context, args: argparse.Namespace) -> int:
    if not SESSION_ID.match(args.session):
        raise UsageError(f"{args.session!r} is not a session folder name")
    return keep(ctx, args.session)


# --- grading now: check and watch --------------------------------------------------------------


def _check_asked(args: argparse.Namespace) -> checking.Check:
    return checking.Check(args.file, args.level, args.perf, getattr(args, "all", False))


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    return checking.check(ctx, _check_asked(args))


def cmd_watch(ctx: Context, args: argparse.Namespace) -> int:
    return checking.watch(ctx, _check_asked(args), args.interval)


# --- looking back: compare, report, the follow-ups, the week plan -------------------------------


def cmd_compare(ctx: Context, args: argparse.Namespace) -> int:
    if args.design:
        _page(ctx, comparing.design_lines(ctx, args.target))
    else:
        _page(ctx, comparing.code_lines(ctx, args.target))
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


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    found = history.read(ctx.practice.history, ctx.warn)
    if args.kata:
        known = sorted(set(ctx.kit.names()) | {r.kata for r in found.sessions})
        if args.kata not in known:
            raise UsageError(unknown_kata_message(args.kata, known))
    records, rounds = selected(found, args.kata, args.last)
    if not records:
        ctx.say(f"No practice sessions{f' of {args.kata}' if args.kata else ''} yet: "
                f"{invocation.command('start', 'NAME')} begins one.")
        return 0
    for line in report_lines(records, rounds=rounds):
        ctx.say(line)
    if args.markdown:
        write_atomic(Path(args.markdown), markdown_sheet(records, ctx.kit.problems(),
                                                         history=found.sessions))
        ctx.say(f"\nskill-gap sheet written to {args.markdown}")
    return 0


def cmd_followups(ctx: Context, args: argparse.Namespace) -> int:
    """The interviewer's follow-up questions: asked one at a time and self-rated on a terminal
    (the ratings go into the history), all printed with their answers elsewhere."""
    problem = ctx.kit.problem(args.name)
    _, model = require_model(problem)
    if not model.follow_ups:
        raise StateError(f"solutions/{problem.name}.md has no follow-up questions")
    active = lifecycle.active_up_to_date(ctx)
    if active is not None and active.kata == problem.name and active.current is not None:
        phase = active.current
        raise StateError(f"your {problem.name} session {active.id} is still running ("
                         f"{phase.name} phase, {time_left(phase.deadline - ctx.now())} left): the "
                         f"interviewer asks the follow-ups once the code works, so ask for them "
                         f"after it")
    if ctx.live and ctx.keyboard and ctx.read:
        interview(ctx, problem, model.follow_ups)
        return 0
    for line in all_lines(model.follow_ups):
        ctx.say(line)
    ctx.say(f"On a terminal, {invocation.command('followups', problem.name)} asks them one at a "
            f"time and keeps your ratings.")
    return 0


def cmd_plan(ctx: Context, args: argparse.Namespace) -> int:
    for line in plan_lines(ctx.records(), ctx.practice.folder,
                           ctx.practice.shown(ctx.practice.folder), args.hours):
        ctx.say(line)
    return 0


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


LEVELS = "|".join(Level)  # the metavar of --level


def _level(text: str) -> Level:
    if text == "core":
        raise argparse.ArgumentTypeError(
            f"'core' is now '{Level.BASE}': everything but the extensions ('{Level.FULL}' grades "
            f"them too); "
            f"the core category alone is the 60-minute bar, shown on every grade's verdict line")
    return _member_of(Level)(text)


def build_parser(default_dir: Path) -> Parser:
    parser = Parser(prog="timer.py", description="Time-boxed practice sessions for the kata kit: "
                    "15 minutes design, 60 code, 15 tests, graded at the deadline.")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--dir", type=Path, default=default_dir, metavar="DIR",
                       help=f"the practice folder (default: {default_dir})")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, text: str | None) -> argparse.ArgumentParser:
        extra = {"help": text} if text else {}
        sub = commands.add_parser(name, parents=[where], description=text, **extra)
        sub.set_defaults(handler=handler)
        return sub

    command("list", cmd_list, "every problem: title, size, attempts, best score")
    start = command("start", cmd_start, "start a session and run its clock")
    start.add_argument("name", metavar="NAME", help="the kata (see `list`)")
    start.add_argument("--boxes", metavar="D/C/T",
                       help=f"minutes for design/code/tests (default "
                            f"{phases.default_boxes(Size.FULL)}, short katas "
                            f"{phases.default_boxes(Size.SHORT)}; decimals allowed; each at most "
                            f"{phases.MAX_BOX / 60:g})")
    start.add_argument("--level", type=_level, default=Level.FULL, metavar=LEVELS,
                       help=f"{Level.BASE}: grade without the extension tests (default "
                            f"{Level.FULL})")
    change = start.add_mutually_exclusive_group()
    change.add_argument("--change-at", type=change_request.minutes, metavar="MINUTES",
                        help="reveal the card's change request this many minutes into the code "
                             "phase (default: two thirds of the code box)")
    change.add_argument("--no-change", action="store_true",
                        help="leave the card's change request out of this session")
    start.add_argument("--preset", type=_member_of(Preset), metavar=f"{{{','.join(Preset)}}}",
                       help=f"{Preset.STUDY}: the week plan's long blocks, {STUDY_BOXES} (not "
                            f"with --boxes)")
    command("status", cmd_status, "the active session: phase, time left, deadlines")
    following = command("next", cmd_next,
                        "end the current phase now, after a y/N question (the time saved is "
                        "recorded)")
    following.add_argument("--yes", action="store_true", help="do not ask")
    check = _grading(command("check", cmd_check, "grade the session's code (or --file) right "
                                                 "now; exit 0 when every test passes, 1 when one "
                                                 "fails, 2 when it cannot be graded"))
    check.add_argument("--all", action="store_true", help="list every failing test")
    watch = _grading(command("watch", cmd_watch,
                             "re-check the session's code (or --file) on every save"))
    watch.add_argument("--interval", type=_interval, default=0.5, metavar="S",
                       help=f"seconds between looks at the file (default 0.5, from "
                            f"{INTERVALS[0]:g} to {INTERVALS[1]:g})")
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
    mock.add_argument("--boxes", metavar="D/C/T",
                      help=f"the full kata's boxes (default {phases.default_boxes(Size.FULL)})")
    mock.add_argument("--short-boxes", metavar="D/C/T",
                      help=f"the short kata's boxes (default {phases.default_boxes(Size.SHORT)})")
    hint = command("hint", cmd_hint, "the next hint from a kata's card (counted in a session)")
    hint.add_argument("name", metavar="NAME", help="the kata")
    hint.add_argument("number", nargs="?", type=_positive(int), metavar="N",
                      help="this hint instead of the next one")
    followups = command("followups", cmd_followups,
                        "a kata's follow-up questions, asked one at a time and self-rated")
    followups.add_argument("name", metavar="NAME", help="the kata")
    week = command("plan", cmd_plan, "the week plan, marked from your history, and what to run "
                                     "today")
    week.add_argument("--hours", type=int, choices=(4, 6), default=4,
                      help="4: the core requirements each day (default); 6: each day's "
                           "extension too")
    keeper = command("keep", cmd_keep, None)  # the deadline keeper's own process
    keeper.add_argument("session")
    return parser


def _grading(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options check and watch share: what to grade and how."""
    sub.add_argument("--level", type=_level, metavar=LEVELS,
                     help="default: the session's, else full")
    sub.add_argument("--file", metavar="PATH", help="grade this file instead")
    sub.add_argument("--perf", action="store_true",
                     help="also run the perf tests (slower; the deadline grading runs them)")
    return sub


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
        except (TimerError, KeyboardInterrupt, OSError) as exc:
            return _failed(exc, out, err)


def _failed(exc: TimerError | KeyboardInterrupt | OSError, out: TextIO, err: TextIO) -> int:
    """Say in one line why a command stopped, and return its exit code."""
    if isinstance(exc, TimerError):
        print(f"timer: {exc}", file=err)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        print(file=err)
        return 130
    if not isinstance(exc, BrokenPipeError):  # a reader that went away (``| head``): quietly
        where = exc.filename
        if where is None and _is_stdout(out):
            where = "standard output"
        print(f"timer: {where}: {exc.strerror or exc}" if where else
              f"timer: {exc.strerror or exc}", file=err)
    _silence(out)
    return 141 if isinstance(exc, BrokenPipeError) else 1


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

