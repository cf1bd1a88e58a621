"""The practice history: one JSON line per session in ``practice/history.jsonl``, append only.

A line that cannot be read is reported and skipped, never fatal and never rewritten: the file is
the user's record.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .clock import iso
from .grading import Grade, OwnTests
from .phases import boxes_text
from .session import ABORTED, Session

Record = dict[str, Any]


def build_record(session: Session, grade: Grade | None, own: OwnTests | None) -> Record:
    """What one session leaves in the history (grade and own tests are None when aborted)."""
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
            "late_by": p.snapshot["late_by"] if p.snapshot else 0.0,
            "sha256": p.snapshot["sha256"] if p.snapshot else None,
        } for p in session.phases],
        "score": None if grade is None or grade.error else {"passed": grade.passed,
                                                            "total": grade.total},
        "grade_error": grade.error if grade else None,
        "tests": [{"name": t.name, "category": t.category, "outcome": t.outcome,
                   "message": t.message} for t in grade.tests] if grade else [],
        "own_tests": own.to_dict() if own else None,
        "late_edits": [{"phase": e["phase"], "file": e["file"], "sha256": e["sha256"],
                        "seconds_after_end": e["seconds_after_end"]} for e in session.late_edits],
        "hints": session.hints,
        "aborted": session.status == ABORTED,
        "mock": session.mock["id"] if session.mock else None,
    }


def append(path: Path, record: Record) -> None:
    """Add one line; a single write of a whole line, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read(path: Path, warn: Callable[[str], None]) -> list[Record]:
    """Every readable record, oldest first; each unreadable line is passed to `warn` and skipped."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("kata"), str):
                raise ValueError("not a session record")
        except ValueError as exc:
            warn(f"{path.name} line {number} is corrupt ({str(exc).split(':')[0]}): skipped")
            continue
        records.append(record)
    return records


def score_of(record: Record) -> float | None:
    """The share of the strict tests passed, None for aborted or ungraded sessions."""
    score = record.get("score")
    if not isinstance(score, dict) or not score.get("total"):
        return None
    return score["passed"] / score["total"]
