"""Grading now, in the middle of a session or on any file: ``check`` once, ``watch`` on every save.

Both grade the active session's code, or the file named, at the session's level; once the
session's change request is revealed its tests are graded too (before, they neither run nor are
mentioned). The code-quality review runs beside each grading and is printed after it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import change_request
from .clock import clock_time, time_left
from .context import Context
from .errors import StateError, UsageError
from .grading import Grade, Scope, Watch, require_grading_python
from .kit import Level, Problem
from .lifecycle import active_up_to_date, grading_elsewhere
from .report import FAILURES_SHOWN, Listing, cut, grade_lines
from .session import PhaseName, Session
from .terminal import Screen


@dataclass(frozen=True)
class Check:
    """What to grade and how: a file (None: the active session's code), a level (None: the
    session's, else full), with the perf tests or not, listing every failure or not."""

    file: str | None = None
    level: Level | None = None
    perf: bool = False
    every: bool = False

    @property
    def again(self) -> tuple[str, ...]:
        """``--file PATH`` when a file was named: the commands a grade suggests grade it too."""
        return ("--file", self.file) if self.file else ()


@dataclass(frozen=True)
class Target:
    problem: Problem
    path: Path
    level: Level


def check(ctx: Context, asked: Check) -> int:
    """Grade once and print the grade; the exit code is 0 when every graded test passes, 1 when
    one does not, 2 when the file could not be graded at all."""
    require_grading_python(ctx.kit.root)
    target = _target(ctx, asked)
    scope = Scope(target.level, perf=asked.perf,
                  change=revealed_in(ctx, target.problem) is not None)
    result = _run(ctx, target, scope, asked)
    if result.error:
        return 2
    return 0 if result.all_passed else 1


def watch(ctx: Context, asked: Check, interval: float) -> int:
    """Grade again whenever the file is saved (looking every `interval` seconds), or when the
    change request is revealed; on a terminal each grade fits on one screen. Ctrl-C stops."""
    require_grading_python(ctx.kit.root)
    target = _target(ctx, asked)
    screen = Screen(ctx.out, ctx.live, ctx.style)
    seen: tuple[tuple[int, int], bool] | None = None
    try:
        while True:
            change = revealed_in(ctx, target.problem) is not None  # worth a new check
            stamp = (_stamp(target.path), change)
            if stamp != seen:
                seen = stamp
                screen.close()
                fit = _fit(ctx)
                if ctx.live:
                    ctx.out.write("\033[2J\033[H")  # a clear screen for each result
                ctx.say(f"{clock_time(ctx.now())} checking {ctx.practice.shown(target.path)}")
                _run(ctx, target, Scope(target.level, perf=asked.perf, change=change), asked,
                     fit)
                ctx.say(f"{_phase_left(ctx)}watching for saves; Ctrl-C stops")
            screen.status(f"{_phase_left(ctx)}watching {target.path.name} (Ctrl-C stops)")
            ctx.wait(interval)
    except KeyboardInterrupt:
        screen.close()
        ctx.say("stopped watching")
        return 0


def revealed_in(ctx: Context, problem: Problem) -> Session | None:
    """The active session of `problem` once its change request is revealed: from then on check
    and watch grade the change tests too."""
    try:
        session = ctx.practice.active()
    except StateError:
        return None
    if session is None or session.kata != problem.name or not change_request.revealed(session):
        return None
    return session


def _target(ctx: Context, asked: Check) -> Target:
    """The file named, else the active session's code, and the level to grade it at."""
    session = None if asked.file else active_up_to_date(ctx)
    if asked.file:
        path = Path(asked.file)
        if not path.is_file():
            raise UsageError(f"--file {asked.file}: no such file")
        name = _problem_name_of(ctx, path)
    elif session is None:
        raise StateError("no active session: name a file with `--file PATH`")
    elif session.current is None:
        raise StateError(f"{session.id} is {grading_elsewhere(ctx, session) or 'being graded'}",
                         "its code is graded there; name a file with `--file PATH`")
    else:
        name, path = session.kata, ctx.folder(session) / session.phase(PhaseName.CODE).file
    problem = ctx.kit.problem(name)
    ctx.kit.require_tests(problem)
    return Target(problem, path, asked.level or (session.level if session else Level.FULL))


def _problem_name_of(ctx: Context, path: Path) -> str:
    """The kata a file implements, as the kit tells (Kit.problem_of), else the active one's."""
    name = ctx.kit.problem_of(path)
    if name is not None:
        return name
    active = ctx.practice.active()
    if active is not None:
        return active.kata
    raise UsageError(f"--file {path}: cannot tell which kata it implements; name it after one "
                     f"of: {', '.join(ctx.kit.names())}")


def _run(ctx: Context, target: Target, scope: Scope, asked: Check,
         fit: tuple[int, int] | None = None) -> Grade:
    """Grade the target and print the grade; `fit` (columns, rows) keeps it within a screen."""
    screen = Screen(ctx.out, ctx.live, ctx.style)
    started, path, problem = time.monotonic(), target.path, target.problem

    def progress(done: int, total: int) -> None:
        screen.status(f"grading {path.name}: {done}/{total} tests, "
                      f"{time.monotonic() - started:.0f} s")

    # ruff reviews the file while pytest grades it, and is read once the grade is in
    review = ctx.review(path, problem) if ctx.review else None
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        graded = path
        if ctx.kit.problem_of(path) != problem.name:  # as the kit's plugin will tell it
            graded = Path(scratch) / f"{problem.name}.py"
            shutil.copyfile(path, graded)
        try:
            result = ctx.grade(problem, graded.resolve(), scope, watch=Watch(progress))
        except BaseException:
            if review is not None:
                review.cancel()
            raise
        finally:
            screen.close()
    revealed = revealed_in(ctx, problem) if scope.change else None
    if fit is not None and revealed is not None:
        fit = (fit[0], fit[1] - 1)  # room for the line that says the change tests are in
    lines = _grade_lines(ctx, result, ctx.practice.shown(path), asked, fit)
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


def _grade_lines(ctx: Context, result: Grade, label: str, asked: Check,
                 fit: tuple[int, int] | None) -> list[str]:
    """The grade: every failure, or up to ten, or as many as fit (columns, rows)."""
    if asked.every:
        return grade_lines(result, label, ctx.style,
                           Listing(limit=None, every_case=True, again=asked.again))
    if fit is None:
        return grade_lines(result, label, ctx.style, Listing(again=asked.again))
    columns, rows = fit
    limit = FAILURES_SHOWN
    while True:
        lines = grade_lines(result, label, ctx.style,
                            Listing(limit=limit, width=columns, again=asked.again))
        if limit == 1 or len(lines) <= rows:
            return lines
        limit -= 1


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
