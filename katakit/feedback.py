"""Feedback on the design phase, once it is over: the keyword check of a session's design.md
against the problem's model design (``solutions/NAME.md``), the two designs side by side, and the
interviewer's follow-up questions with the candidate's own ratings, as the history keeps them and
the report sums them up.

The keyword check is a prompt to look, not a grade: it never changes a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from . import invocation
from .design import (
    Design,
    DesignCheck,
    FollowUp,
    decisions_found,
    own_text,
    parse,
    short,
    side_by_side,
)
from .errors import StateError
from .history import FollowupsRound, Rating, SessionRecord
from .kit import Problem
from .terminal import Style, table


def model_design(problem: Problem) -> Design | None:
    """The problem's model design; None when it has none or it cannot be read."""
    try:
        return parse(problem.design.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def require_model(problem: Problem) -> tuple[str, Design]:
    """The model design's text and its parse; StateError in one line when there is none."""
    try:
        text = problem.design.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = "is missing" if isinstance(exc, FileNotFoundError) else "cannot be read"
        raise StateError(f"{problem.name} has no model design yet: solutions/{problem.name}.md "
                         f"{why}") from None
    return text, parse(text)


# --- the keyword check -------------------------------------------------------------------------


def check_design(problem: Problem, snapshot: Path | None) -> DesignCheck | None:
    """The keyword check of a design snapshot (None: there was no design.md at the deadline)
    against the model's key decisions; None when the problem has no model design to check
    against."""
    model = model_design(problem)
    decisions = [d for d in model.decisions if not d.change] if model else []
    if not decisions:
        return None
    try:
        text = snapshot.read_text(encoding="utf-8", errors="replace") if snapshot else ""
    except OSError:
        text = ""
    hits = decisions_found(decisions, own_text(text))
    return DesignCheck(sum(hits), len(hits),
                       [short(d) for d, hit in zip(decisions, hits, strict=True) if not hit])


def followups_offer(problem: Problem) -> str | None:
    """The scorecard's last line, when the problem's model design has follow-up questions."""
    model = model_design(problem)
    if model is None or not model.follow_ups:
        return None
    return f"{invocation.command('followups', problem.name)}: the interviewer's follow-up questions"


def compare_lines(title: str, yours: str, problem: Problem, model_text: str,
                  style: Style) -> list[str]:
    """``compare --design``: the keyword check, then both designs heading by heading."""
    model = parse(model_text)
    hits = decisions_found(model.decisions, own_text(yours))
    lines = [style(title, "bold")]
    checked = [hit for hit, d in zip(hits, model.decisions, strict=True) if not d.change]
    if checked:
        lines += DesignCheck(sum(checked), len(checked), []).lines()
    lines.append("")
    for line in side_by_side(yours, model_text, hits):
        lines.append(style(line, "bold") if line.startswith("## ") else
                     style(line, "cyan") if line in ("-- yours:", "-- model:") else
                     style(line, "yellow") if line.startswith("- [missing]") else line)
    if model.follow_ups:
        lines.append(f"The interviewer's {len(model.follow_ups)} follow-up questions: "
                     f"{invocation.command('followups', problem.name)}")
    return lines


# --- the follow-ups ----------------------------------------------------------------------------


def followups_round(problem: Problem, at: datetime, session_id: str | None,
                    follow_ups: list[FollowUp], ratings: list[int | None]) -> FollowupsRound:
    """The history line of one round of follow-ups: each question asked and its rating (None
    when skipped)."""
    return FollowupsRound(problem.name, at, session_id,
                          [Rating(f.question, r) for f, r in zip(follow_ups, ratings,
                                                                  strict=False)])


def round_summary(ratings: list[int | None], questions: int) -> str:
    given = [r for r in ratings if r is not None]
    asked = f"{len(ratings)} of {questions} questions asked"
    if not given:
        return f"{asked}, none rated"
    return f"{asked}, {len(given)} rated: average {sum(given) / len(given):.1f} of 5"


# --- what the report shows ---------------------------------------------------------------------


def since(rounds: list[FollowupsRound], records: list[SessionRecord]) -> list[FollowupsRound]:
    """The rounds of follow-ups from the first of `records` on (what ``report --last`` keeps)."""
    first = min((r.start for r in records if r.start), default=None)
    if first is None:
        return rounds
    return [r for r in rounds if (r.at or first) >= first]


def decisions_cell(record: SessionRecord) -> str:
    design = record.design
    return f"{design.found}/{design.total}" if design else "-"


def design_trend_lines(records: list[SessionRecord],
                       label: Callable[[SessionRecord], str]) -> list[str]:
    """Per kata (study sessions apart, under `label`), the key decisions found in the first and
    the latest checked design, and the decision missed most often."""
    checked: dict[str, list[SessionRecord]] = {}
    for record in records:
        if record.design and not record.aborted and not record.unverified:
            checked.setdefault(label(record), []).append(record)
    rows = []
    for name, mine in sorted(checked.items()):
        missed = Counter(text for record in mine for text in record.design.missing)
        often = missed.most_common(1)[0] if missed else None
        rows.append([name, str(len(mine)),
                     f"{decisions_cell(mine[0])} / {decisions_cell(mine[-1])}",
                     f"missed most: {often[0]} ({often[1]} of {len(mine)})" if often else
                     "none missed"])
    return table(rows) if rows else ["none checked yet"]


def followups_lines(rounds: list[FollowupsRound]) -> list[str]:
    """Per kata: rounds of follow-ups, the average self-rating, the latest round's, and the
    question rated lowest on average."""
    by_kata: dict[str, list[FollowupsRound]] = {}
    for round_ in rounds:
        by_kata.setdefault(round_.kata, []).append(round_)
    rows = []
    for kata, mine in sorted(by_kata.items()):
        given = [r.rating for round_ in mine for r in round_.ratings if r.rating is not None]
        latest = [r.rating for r in mine[-1].ratings if r.rating is not None]
        per_question: dict[str, list[int]] = {}
        for round_ in mine:
            for rating in round_.ratings:
                if rating.rating is not None:
                    per_question.setdefault(rating.question, []).append(rating.rating)
        weakest = min(per_question.items(), key=lambda item: sum(item[1]) / len(item[1]),
                      default=None)
        rows.append([kata, f"{len(mine)} round{'s' * (len(mine) != 1)}",
                     f"average {_average(given)}", f"latest {_average(latest)}",
                     f"lowest: {_cut(weakest[0])} ({_average(weakest[1])})" if weakest else
                     "none rated"])
    return table(rows)


def _average(ratings: list[int]) -> str:
    return f"{sum(ratings) / len(ratings):.1f}" if ratings else "-"


def _cut(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def study_label(record: SessionRecord) -> str:
    """A kata's name, marked when the session was a study session (its scores and times are
    kept apart from the mock-box sessions')."""
    return f"{record.kata} (study)" if record.study else record.kata
