"""The practice history: one JSON line per session in ``practice/history.jsonl``, append only.

Each line is read through one parse-and-validate step that gives every field its type (a missing
one its default), so nothing downstream meets a surprise. A line that fails it is reported with
its number and skipped, never fatal and never rewritten: the file is the user's record.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import change_request
from .clock import iso
from .kit import level_named
from .phases import boxes_text
from .results import Outcome
from .session import Ending, PhaseName, Preset, Session, Status
from .verdict import Verdict

Record = dict[str, Any]
SESSION, FOLLOWUPS = "session", "followups"  # the kinds of record; a line without one is a session


def build_record(session: Session, verdict: Verdict | None) -> Record:
    """What one session leaves in the history (`verdict` None when it was aborted). The score
    leaves the change request's tests out: they are kept apart, with what the change cost, so
    scores compare across sessions with and without it."""
    grade, own = (verdict.grade, verdict.own) if verdict else (None, None)
    scored = change_request.split(grade)[0] if grade is not None else None
    return {
        "session": session.id,
        "kata": session.kata,
        "size": session.size,
        "level": session.level,
        "start": iso(session.created),
        "boxes": boxes_text(session.boxes),
        "phases": [{
            "name": p.name,
            "planned": round(p.box, 3),
            "used": None if p.used is None else round(p.used, 3),
            "ending": p.ending,
            "saved": round(p.saved, 3),
            "late_by": p.snapshot.late_by if p.snapshot else 0.0,
            "sha256": p.snapshot.sha256 if p.snapshot else None,
        } for p in session.phases],
        "score": None if grade is None or grade.error else {"passed": scored.passed,
                                                            "total": scored.total},
        "grade_error": grade.error if grade else None,
        "tests": [{"name": t.name, "category": t.category, "outcome": str(t.outcome),
                   "message": t.message} for t in grade.tests] if grade else [],
        "own_tests": own.to_dict() if own else None,
        "quality": verdict.quality.to_record() if verdict and verdict.quality else None,
        "late_edits": [{"phase": e.phase, "file": e.file, "sha256": e.sha256,
                        "seconds_after_end": e.seconds_after_end} for e in session.late_edits],
        "hints": session.hints,
        "aborted": session.status is Status.ABORTED,
        "unverified": session.unverified,
        "mock": session.mock.id if session.mock else None,
        "change": change_request.history_entry(session, grade, verdict.cost if verdict else None),
        "preset": session.preset,
        "design": asdict(verdict.design) if verdict and verdict.design else None,
    }


def append(path: Path, record: Record) -> None:
    """Add one line; a single write of a whole line, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def read(path: Path, warn: Callable[[str], None], kind: str = SESSION) -> list[Record]:
    """Every readable record of `kind` (sessions by default), oldest first; each unreadable line
    is passed to `warn` and skipped. Lines of other kinds (a round of follow-ups, or a kind this
    timer does not know) are left out without a word: every reader tolerates them."""
    return read_kinds(path, warn)[kind]


def read_kinds(path: Path, warn: Callable[[str], None]) -> dict[str, list[Record]]:
    """Every readable record by its kind, each oldest first (one pass over the file, so each
    unreadable line is reported once); a kind this timer does not know is skipped."""
    found: dict[str, list[Record]] = {kind: [] for kind in _PARSERS}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return found
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kind = _kind(data)
            if kind not in _PARSERS:
                continue
            record = _PARSERS[kind](data)
        except json.JSONDecodeError as exc:
            warn(f"{path.name} line {number} is corrupt ({exc.msg}): skipped")
        except RecursionError:
            warn(f"{path.name} line {number} is corrupt (nested too deeply): skipped")
        except ValueError as exc:
            warn(f"{path.name} line {number} is corrupt ({exc}): skipped")
        else:
            found[kind].append(record)
    return found


# --- parse and validate one line ------------------------------------------------------------------


def _kind(data: Any) -> Any:
    kind = data.get("kind", SESSION) if isinstance(data, dict) else SESSION
    return kind if isinstance(kind, str) else None


def parse_record(data: Any) -> Record:
    """A history line with every field checked and typed; ValueError naming what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("kata"), str):
        raise ValueError("not a session record")
    phases = [_phase(p, i) for i, p in enumerate(_list(data.get("phases"), "phases"))]
    record = {
        "session": _optional_text(data.get("session"), "session"),
        "kata": data["kata"],
        "size": _optional_text(data.get("size"), "size") or "?",
        "level": level_named(_optional_text(data.get("level"), "level") or "?"),
        "start": _optional_text(data.get("start"), "start"),
        "boxes": _optional_text(data.get("boxes"), "boxes"),
        "phases": phases,
        "score": _score(data.get("score")),
        "grade_error": _optional_text(data.get("grade_error"), "grade_error"),
        "tests": [_test(t, i) for i, t in enumerate(_list(data.get("tests"), "tests"))],
        "own_tests": _own_tests(data.get("own_tests")),
        "quality": _quality(data.get("quality")),
        "late_edits": [_late_edit(e, i)
                       for i, e in enumerate(_list(data.get("late_edits"), "late_edits"))],
        "hints": _count(data.get("hints", 0), "hints"),
        "aborted": _flag(data.get("aborted", False), "aborted"),
        "mock": _optional_text(data.get("mock"), "mock"),
        "change": _change(data.get("change")),
        "preset": _optional_text(data.get("preset"), "preset"),
        "design": _design(data.get("design")),
    }
    record["unverified"] = _flag(data.get("unverified", False), "unverified") or \
        any(p["ending"] == "late" for p in phases)
    return record


def _list(value: Any, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} is not a list")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not an object")
    return value


def _optional_text(value: Any, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def _number(value: Any, what: str, optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or abs(value) > 1e10:
        raise ValueError(f"{what} is not a number")
    return value


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} is not a count")
    return value


def _flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} is not true or false")
    return value


def _phase(value: Any, index: int) -> dict[str, Any]:
    what = f"phases[{index}]"
    phase = _object(value, what)
    if phase.get("name") not in tuple(PhaseName):
        raise ValueError(f"{what} is no phase")
    if phase.get("ending") not in (None, *Ending):
        raise ValueError(f"{what} ending is unknown")
    planned = _number(phase.get("planned"), f"{what} planned")
    return {"name": phase["name"], "planned": planned if planned and planned > 0 else None,
            "used": _number(phase.get("used"), f"{what} used"), "ending": phase.get("ending"),
            "saved": _number(phase.get("saved", 0), f"{what} saved", optional=False),
            "late_by": _number(phase.get("late_by", 0), f"{what} late_by", optional=False),
            "sha256": _optional_text(phase.get("sha256"), f"{what} sha256")}


def _score(value: Any) -> dict[str, int] | None:
    if value is None:
        return None
    score = _object(value, "score")
    passed, total = _count(score.get("passed"), "score passed"), \
        _count(score.get("total"), "score total")
    if passed > total:
        raise ValueError("score passed is more than its total")
    return {"passed": passed, "total": total}


def _test(value: Any, index: int) -> dict[str, Any]:
    what = f"tests[{index}]"
    test = _object(value, what)
    if not isinstance(test.get("name"), str) or not isinstance(test.get("category"), str):
        raise ValueError(f"{what} has no name and category")
    try:
        outcome = Outcome(test.get("outcome"))
    except ValueError:
        raise ValueError(f"{what} outcome is unknown") from None
    return {"name": test["name"], "category": test["category"], "outcome": str(outcome),
            "message": _optional_text(test.get("message"), f"{what} message")}


def _own_tests(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    own = dict(_object(value, "own_tests"))
    coverage = _object(own.get("coverage") or {}, "own_tests coverage")
    own["coverage"] = {key: _number(coverage.get(key), f"own_tests coverage {key}")
                       for key in ("line", "branch")}
    return own


def _change(value: Any) -> dict[str, Any] | None:
    """The change request's entry: how it went, its tests apart, and what the change cost."""
    if value is None:
        return None
    change = _object(value, "change")
    if change.get("state") not in tuple(change_request.ChangeState):
        raise ValueError("change state is unknown")
    entry = {"state": change["state"], "after": _number(change.get("after"), "change after"),
             "revealed_after": _number(change.get("revealed_after"), "change revealed_after"),
             "late_by": _number(change.get("late_by", 0), "change late_by", optional=False),
             "passed": None, "total": None, "cost": None}
    if change.get("total") is not None:
        entry["total"] = _count(change["total"], "change total")
        entry["passed"] = _count(change.get("passed"), "change passed")
        if entry["passed"] > entry["total"]:
            raise ValueError("change passed is more than its total")
    if change.get("cost") is not None:
        spent = _object(change["cost"], "change cost")
        modified = _list(spent.get("modified"), "change cost modified")
        if not all(isinstance(name, str) for name in modified):
            raise ValueError("change cost modified is not a list of names")
        entry["cost"] = {"added": _count(spent.get("added"), "change cost added"),
                         "removed": _count(spent.get("removed"), "change cost removed"),
                         "functions_before": _count(spent.get("functions_before", 0),
                                                    "change cost functions_before"),
                         "modified": modified,
                         "error": _optional_text(spent.get("error"), "change cost error")}
    return entry


def _quality(value: Any, what: str = "quality", mine: bool = True) -> dict[str, Any] | None:
    """The code-quality review's numbers (and the reference's), or only why there are none."""
    if value is None:
        return None
    quality = _object(value, what)
    if quality.get("error") is not None:
        return {"error": _optional_text(quality["error"], f"{what} error")}
    families = _object(quality.get("families") or {}, f"{what} families")
    record = {"findings": _count(quality.get("findings", 0), f"{what} findings"),
              "families": {str(k): _count(v, f"{what} families {k}") for k, v in families.items()},
              "longest": _named_count(quality.get("longest"), f"{what} longest"),
              "complexity": _named_count(quality.get("complexity"), f"{what} complexity")}
    if mine and quality.get("reference") is not None:
        record["reference"] = _quality(quality["reference"], f"{what} reference", mine=False)
    return record


def _named_count(value: Any, what: str) -> list | None:
    """``[function, count]`` (the longest function and its lines, say), or None."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise ValueError(f"{what} is not [name, count]")
    return [value[0], _count(value[1], what)]


def _late_edit(value: Any, index: int) -> dict[str, Any]:
    what = f"late_edits[{index}]"
    edit = _object(value, what)
    if edit.get("phase") not in tuple(PhaseName):
        raise ValueError(f"{what} phase is unknown")
    return {"phase": edit["phase"], "file": _optional_text(edit.get("file"), f"{what} file"),
            "sha256": _optional_text(edit.get("sha256"), f"{what} sha256"),
            "seconds_after_end": _number(edit.get("seconds_after_end", 0),
                                         f"{what} seconds_after_end", optional=False)}


def _design(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    design = _object(value, "design")
    found, total = _count(design.get("found"), "design found"), \
        _count(design.get("total"), "design total")
    missing = _list(design.get("missing"), "design missing")
    if found > total or not all(isinstance(text, str) for text in missing):
        raise ValueError("design is not a count of key decisions found")
    return {"found": found, "total": total, "missing": missing}


def parse_followups(data: Any) -> Record:
    """A round of follow-up questions: when, which kata (and its latest session then), and each
    question with the candidate's rating of their answer, 1 to 5 (None: skipped)."""
    if not isinstance(data.get("kata"), str):
        raise ValueError("a round of follow-ups names no kata")
    ratings = []
    for index, value in enumerate(_list(data.get("ratings"), "ratings")):
        rating = _object(value, f"ratings[{index}]")
        score = rating.get("rating")
        if not isinstance(rating.get("question"), str) or score is not None and (
                isinstance(score, bool) or score not in range(1, 6)):
            raise ValueError(f"ratings[{index}] is not a question rated 1-5")
        ratings.append({"question": rating["question"], "rating": score})
    return {"kind": FOLLOWUPS, "kata": data["kata"], "at": _optional_text(data.get("at"), "at"),
            "session": _optional_text(data.get("session"), "session"), "ratings": ratings}


_PARSERS = {SESSION: parse_record, FOLLOWUPS: parse_followups}


# --- what a record counts for ------------------------------------------------------------------


def score_of(record: Record) -> float | None:
    """The share of the strict tests passed, None for aborted or ungraded sessions."""
    score = record.get("score")
    if not isinstance(score, dict) or not score.get("total"):
        return None
    return score["passed"] / score["total"]


def is_study(record: Record) -> bool:
    """A study session (the week plan's long blocks): its times and scores are kept apart from
    the mock-box sessions'."""
    return record.get("preset") == Preset.STUDY


def counts_in_scores(record: Record) -> bool:
    """Whether the session's score counts in best scores and trends: graded, not aborted, and
    not unverified (work after a deadline may be in what was graded)."""
    return not record.get("aborted") and not record.get("unverified") and \
        score_of(record) is not None
