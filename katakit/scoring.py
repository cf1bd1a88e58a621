"""Grading a session at its end: the strict suite and the user's own tests side by side, with
the code-quality review beside them, what the change request cost and the keyword check of the
design, into one Verdict. Everything slow about the end of a session, and nothing that changes
its state: the caller grades outside the practice folder's lock (katakit/lifecycle.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import change_request
from .context import Context
from .feedback import check_design
from .grading import Grade, OwnTests, Scope, Watch
from .kit import Problem
from .session import Session
from .terminal import Screen
from .verdict import Verdict


def grade_session(ctx: Context, session: Session, problem: Problem) -> Verdict:
    """The strict suite, the user's tests and the code review of the session's snapshots, what
    the change request cost, and the keyword check of the design: everything slow about the end
    of a session."""
    folder = ctx.folder(session)
    design, code, tests = (None if phase.snapshot is None else phase.snapshot.path(folder)
                           for phase in session.phases)
    review = ctx.review(code, problem) if ctx.review and code else None
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



def grade_both(ctx: Context, problem: Problem, code: Path | None, tests: Path | None,
               scope: Scope) -> tuple[Grade, OwnTests]:
    """The strict suite and the user's tests side by side; on a terminal, one line redrawn with
    how far each has got. Ctrl-C stops both, leaving no process behind."""
    screen = Screen(ctx.out, ctx.live, ctx.style)
    cancel = threading.Event()
    strict = _Beside(ctx.grade, (problem, code, scope), cancel)
    own = _Beside(ctx.own_tests, (problem, code, tests), cancel)
    started = time.monotonic()
    try:
        while pending := [run for run in (strict, own) if not run.finished.is_set()]:
            pending[0].finished.wait(0.25)
            screen.status(f"grading: strict tests {strict.count()}, your tests {own.count()}, "
                          f"{time.monotonic() - started:.0f} s")
    except BaseException:
        cancel.set()  # each run kills its processes and ends
        for run in (strict, own):
            run.finished.wait()
        raise
    finally:
        screen.close()
    return strict.outcome(), own.outcome()


class _Beside:
    """A run in a thread of its own, beside another: how far it has got, and its result.

    Not a daemon, and waited for through an event rather than join(): a join interrupted by
    Ctrl-C can take a running thread for ended, and a daemon would be cut off at exit before
    killing its pytest.
    """

    def __init__(self, work: Callable[..., object], args: tuple, cancel: threading.Event) -> None:
        self.done, self.total = 0, 0
        self.result: object = None
        self.finished = threading.Event()
        threading.Thread(target=self._run, args=(work, args, cancel)).start()

    def _run(self, work: Callable[..., object], args: tuple, cancel: threading.Event) -> None:
        try:
            self.result = work(*args, watch=Watch(self._progress, cancel))
        except BaseException as exc:  # handed to the waiting thread by outcome()
            self.result = exc
        finally:
            self.finished.set()

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def count(self) -> str:
        return f"{self.done}/{self.total or '?'}"

    def outcome(self) -> Any:
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result
