"""``compare``: a session's graded code beside the reference solution (the diff, the tests only the
reference passes, the sizes, the change request), or its design beside the model design.

Which session: the latest with the snapshot compared, or the one named, or the latest of a kata
named. The model design stays sealed while it would be a hint: during the design phase of a
session of its kata, and until that session's change request is revealed.
"""

from __future__ import annotations

from . import change_request
from .clock import clock_time, time_left
from .compare import diff_lines, missed_lines, size_lines
from .context import Context
from .errors import StateError, UsageError
from .feedback import compare_lines, require_model
from .grading import Scope, require_grading_python
from .kit import Problem
from .lifecycle import active_up_to_date
from .results import Case
from .session import PhaseName, Session, Status


def code_lines(ctx: Context, target: str | None) -> list[str]:
    """The code snapshot of the session `target` names against the reference."""
    session = _latest_with(ctx, target, PhaseName.CODE)
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
    lines += ["", *missed_lines(missed_tests(ctx, session, problem), ctx.style), ""]
    lines += size_lines(mine, reference)
    lines += change_request.compare_lines(session, folder, problem, ctx.style, ctx.practice.shown)
    return lines


def design_lines(ctx: Context, target: str | None) -> list[str]:
    """The design snapshot of the session `target` names beside the model design, heading by
    heading; StateError while the model is sealed."""
    active = active_up_to_date(ctx)  # a design deadline may have passed with nothing there
    sessions = _sessions_named(ctx, target)
    problem = ctx.kit.problem(sessions[-1].kata)
    model_text, _ = require_model(problem)
    if active is not None and active.kata == problem.name:
        _require_unsealed(ctx, active, problem)
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
    return compare_lines(title, yours, problem, model_text, ctx.style)


def _require_unsealed(ctx: Context, active: Session, problem: Problem) -> None:
    """StateError while the model design of `problem` would be a hint in `active`: during its
    design phase, or before its change request (which the model handles too) is revealed."""
    design = active.phase(PhaseName.DESIGN)
    if design.ending is None:
        raise StateError(f"the model design of {problem.name} is shown once the design phase of "
                         f"{active.id} has ended: at {clock_time(design.deadline)}, in "
                         f"{time_left(design.deadline - ctx.now())}")
    if change_request.state(active) == change_request.PENDING:
        when = change_request.moment(active)
        at = f": at {clock_time(when)}, in {time_left(when - ctx.now())}" if when else ""
        raise StateError(f"the model design of {problem.name} also answers the sealed change "
                         f"request: it is shown once {active.id} reveals it{at}")


def missed_tests(ctx: Context, session: Session, problem: Problem) -> list[Case]:
    """The code snapshot's failures (as the history recorded them, else graded now) that the
    reference passes."""
    line = next((r for r in ctx.records() if r.session == session.id), None)
    scope = Scope(session.level, change=change_request.revealed(session))
    if line is not None and line.score is not None:
        failed = [Case(t.name, t.category, t.outcome, t.message)
                  for t in line.tests if t.outcome.is_failure]
    else:
        require_grading_python(ctx.kit.root)
        ctx.kit.require_tests(problem)
        code = session.phase(PhaseName.CODE).snapshot.path(ctx.folder(session))
        graded = ctx.grade(problem, code, scope)
        if graded.error:
            raise StateError(f"the snapshot cannot be graded: {graded.error}")
        failed = graded.failures
    if not failed:
        return []
    reference = ctx.grade(problem, problem.solution, scope, only=[c.name for c in failed])
    passing = {case.name for case in reference.tests if case.passed}
    return [case for case in failed if case.name in passing]


def _sessions_named(ctx: Context, target: str | None) -> list[Session]:
    """Every session, or the one named, or those of a kata, oldest first; an error naming what
    is there when there is none."""
    sessions = [s for s in ctx.practice.sessions(ctx.warn) if target in (None, s.id, s.kata)]
    if not sessions:
        if target is None:
            raise StateError(f"no sessions in {ctx.practice.shown(ctx.practice.folder)} yet")
        raise UsageError(f"no session or kata named {target!r} in "
                         f"{ctx.practice.shown(ctx.practice.folder)}: name a session folder "
                         f"(KATA-YYYYMMDD-HHMMSS) or a kata that has sessions")
    return sessions


def _latest_with(ctx: Context, target: str | None, phase: PhaseName) -> Session:
    """The latest of the sessions `target` names whose `phase` left a snapshot of its file."""
    sessions = _sessions_named(ctx, target)
    with_file = [s for s in sessions if (taken := s.phase(phase).snapshot) is not None
                 and taken.file is not None]
    if not with_file:
        raise StateError(f"{sessions[-1].id} has no {phase} snapshot yet: compare works once "
                         f"the {phase} phase has ended")
    return with_file[-1]
