"""The practice history: one JSON line per session in ``practice/history.jsonl``, append only.

Each line is read through one parse-and-validate step into a record whose every field is typed
(a missing one takes its default), so nothing downstream meets a surprise. A line that fails it is
reported with its number and skipped, never fatal and never rewritten: the file is the user's
record. A line of a kind this timer does not know is skipped without a word.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import change_request, fields
from .change_request import ChangeRecord
from .clock import local_time
from .design import DesignCheck
from .errors import reason
from .grading import OwnTests
from .kit import Level, Size, level_named
from .phases import boxes_text
from .quality import ReviewRecord
from .results import Outcome
from .session import Ending, PhaseName, Preset, Session, Status
from .verdict import Verdict


class RecordKind(StrEnum):
    """A history line's ``kind``; a line without one is a session."""

    SESSION = "session"
    FOLLOWUPS = "followups"  # a round of follow-up questions (katakit/feedback.py)


@dataclass
class PhaseRecord:
    name: PhaseName
    planned: float | None = None  # seconds
    used: float | None = None
    ending: Ending | None = None
    saved: float = 0.0
    late_by: float = 0.0
    sha256: str | None = None


@dataclass
class Score:
    """The strict tests passed, the change request's left out."""

    passed: int
    total: int

    @property
    def share(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass
class TestRecord:
    name: str
    category: str
    outcome: Outcome
    message: str | None = None

    @property
    def graded(self) -> bool:
        """Whether the test ran to a verdict (neither skipped nor left unrun)."""
        return self.outcome is Outcome.PASSED or self.outcome.is_failure


@dataclass
class LateEditRecord:
    phase: PhaseName
    file: str | None = None
    sha256: str | None = None
    seconds_after_end: float = 0.0


@dataclass
class SessionRecord:
    """One session's line: what it was, how each phase went, and what its grading found."""

    kata: str
    session: str | None = None
    size: Size = Size.UNKNOWN
    level: Level | None = None
    start: datetime | None = None
    boxes: str | None = None
    phases: list[PhaseRecord] = field(default_factory=list)
    score: Score | None = None  # None: aborted, or not graded
    grade_error: str | None = None
    tests: list[TestRecord] = field(default_factory=list)
    own_tests: OwnTests | None = None
    quality: ReviewRecord | None = None
    late_edits: list[LateEditRecord] = field(default_factory=list)
    hints: int = 0
    aborted: bool = False
    unverified: bool = False  # a file changed after its deadline before its snapshot
    mock: str | None = None  # the mock interview's id
    change: ChangeRecord | None = None
    preset: Preset | None = None
    design: DesignCheck | None = None

    @classmethod
    def of(cls, session: Session, verdict: Verdict | None) -> SessionRecord:
        """What `session` leaves in the history (`verdict` None when it was aborted). The
        score leaves the change request's tests out: they are kept apart, with what the change
        cost, so scores compare across sessions with and without it."""
        grade = verdict.grade if verdict else None
        scored = change_request.split(grade)[0] if grade is not None else None
        return cls(
            session.kata, session.id, session.size, session.level,
            local_time(session.created), boxes_text(session.boxes),
            [PhaseRecord(p.name, round(p.box, 3), None if p.used is None else round(p.used, 3),
                         p.ending, round(p.saved, 3), p.snapshot.late_by if p.snapshot else 0.0,
                         p.snapshot.sha256 if p.snapshot else None) for p in session.phases],
            None if grade is None or grade.error else Score(scored.passed, scored.total),
            grade.error if grade else None,
            [TestRecord(t.name, t.category, t.outcome, t.message)
             for t in (grade.tests if grade else [])],
            verdict.own if verdict else None,
            verdict.quality.to_record() if verdict and verdict.quality else None,
            [LateEditRecord(e.phase, e.file, e.sha256, e.seconds_after_end)
             for e in session.late_edits],
            session.hints, session.status is Status.ABORTED, session.unverified,
            session.mock.id if session.mock else None,
            ChangeRecord.of(session, grade, verdict.cost if verdict else None),
            session.preset, verdict.design if verdict else None)

    def phase(self, name: PhaseName) -> PhaseRecord | None:
        return next((p for p in self.phases if p.name == name), None)

    @property
    def share(self) -> float | None:
        """The share of the strict tests passed, None for aborted or ungraded sessions."""
        return self.score.share if self.score else None

    @property
    def counts(self) -> bool:
        """Whether the score counts in best scores and trends: graded, not aborted, and not
        unverified (work after a deadline may be in what was graded)."""
        return not self.aborted and not self.unverified and self.share is not None

    @property
    def study(self) -> bool:
        """A study session (the week plan's long blocks): its times and scores are kept apart
        from the mock-box sessions'."""
        return self.preset is Preset.STUDY

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(start=self.start.isoformat(timespec="seconds") if self.start else None,
                    own_tests=self.own_tests.to_json() if self.own_tests else None,
                    quality=self.quality.to_json() if self.quality else None)
        return {"session": data.pop("session"), **data}

    @classmethod
    def from_json(cls, data: Any) -> SessionRecord:
        """A session's line with every field checked and typed; ValueError naming what is
        wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("kata"), str):
            raise ValueError("not a session record")
        phases = [_phase(p, f"phases[{i}]")
                  for i, p in enumerate(_listed(data.get("phases"), "phases"))]
        level = fields.optional(fields.text, data.get("level"), "level")
        return cls(
            data["kata"], fields.optional(fields.text, data.get("session"), "session"),
            _size(data.get("size")),
            None if level is None else fields.member(level_named(level), "level", Level),
            fields.timestamp(data.get("start"), "start"),
            fields.optional(fields.text, data.get("boxes"), "boxes"), phases,
            fields.optional(_score, data.get("score"), "score"),
            fields.optional(fields.text, data.get("grade_error"), "grade_error"),
            [_test(t, f"tests[{i}]") for i, t in enumerate(_listed(data.get("tests"), "tests"))],
            fields.optional(OwnTests.from_json, data.get("own_tests"), "own_tests"),
            fields.optional(ReviewRecord.from_json, data.get("quality"), "quality"),
            [_late_edit(e, f"late_edits[{i}]")
             for i, e in enumerate(_listed(data.get("late_edits"), "late_edits"))],
            fields.whole(data.get("hints", 0), "hints"),
            fields.flag(data.get("aborted", False), "aborted"),
            fields.flag(data.get("unverified", False), "unverified") or
            any(p.ending is Ending.LATE for p in phases),
            fields.optional(fields.text, data.get("mock"), "mock"),
            fields.optional(ChangeRecord.from_json, data.get("change"), "change"),
            fields.optional(lambda v, w: fields.member(v, w, Preset), data.get("preset"),
                            "preset"),
            fields.optional(DesignCheck.from_json, data.get("design"), "design"))


@dataclass
class Rating:
    question: str
    rating: int | None  # 1 to 5; None: skipped


@dataclass
class FollowupsRound:
    """A round of follow-up questions: when, which kata (and its latest session then), and each
    question asked with the candidate's rating of their answer."""

    kata: str
    at: datetime | None
    session: str | None
    ratings: list[Rating]
    kind: RecordKind = RecordKind.FOLLOWUPS

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "kata": self.kata,
                "at": self.at.isoformat(timespec="seconds") if self.at else None,
                "session": self.session, "ratings": [asdict(r) for r in self.ratings]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FollowupsRound:
        if not isinstance(data.get("kata"), str):
            raise ValueError("a round of follow-ups names no kata")
        ratings = []
        for index, value in enumerate(_listed(data.get("ratings"), "ratings")):
            rating = fields.obj(value, f"ratings[{index}]")
            score = rating.get("rating")
            if not isinstance(rating.get("question"), str) or score is not None and (
                    isinstance(score, bool) or score not in range(1, 6)):
                raise ValueError(f"ratings[{index}] is not a question rated 1-5")
            ratings.append(Rating(rating["question"], score))
        return cls(data["kata"], fields.timestamp(data.get("at"), "at"),
                   fields.optional(fields.text, data.get("session"), "session"), ratings)


@dataclass
class History:
    """What the history file holds, by kind, each oldest first."""

    sessions: list[SessionRecord] = field(default_factory=list)
    rounds: list[FollowupsRound] = field(default_factory=list)


def append(path: Path, record: SessionRecord | FollowupsRound) -> None:
    """Add one line; a single write of a whole line, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record.to_json(), separators=(",", ":")) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def read(path: Path, warn: Callable[[str], None]) -> History:
    """Every readable record, in one pass over the file; each unreadable line is passed to
    `warn` once, and skipped."""
    found = History()
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return found
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kind = data.get("kind", RecordKind.SESSION) if isinstance(data, dict) else \
                RecordKind.SESSION
            if kind == RecordKind.SESSION:
                found.sessions.append(SessionRecord.from_json(data))
            elif kind == RecordKind.FOLLOWUPS:
                found.rounds.append(FollowupsRound.from_json(data))
        except (ValueError, RecursionError) as exc:
            warn(f"{path.name} line {number} is corrupt ({reason(exc)}): skipped")
    return found


# --- parse and validate the parts of a session's line ----------------------------------------


def _listed(value: Any, what: str) -> list[Any]:
    """A list, or [] for a field the line does not have."""
    return [] if value is None else fields.listed(value, what)


def _size(value: Any) -> Size:
    if value is None:
        return Size.UNKNOWN
    return fields.member(value, "size", Size)


def _phase(value: Any, what: str) -> PhaseRecord:
    phase = fields.obj(value, what)
    planned = fields.optional(fields.number, phase.get("planned"), f"{what} planned")
    return PhaseRecord(fields.member(phase.get("name"), f"{what} name", PhaseName),
                       planned if planned and planned > 0 else None,
                       fields.optional(fields.number, phase.get("used"), f"{what} used"),
                       fields.optional(lambda v, w: fields.member(v, w, Ending),
                                       phase.get("ending"), f"{what} ending"),
                       fields.number(phase.get("saved", 0), f"{what} saved"),
                       fields.number(phase.get("late_by", 0), f"{what} late_by"),
                       fields.optional(fields.text, phase.get("sha256"), f"{what} sha256"))


def _score(value: Any, what: str) -> Score:
    score = fields.obj(value, what)
    passed, total = (fields.whole(score.get(key), f"{what} {key}") for key in ("passed", "total"))
    if passed > total:
        raise ValueError(f"{what} passed is more than its total")
    return Score(passed, total)


def _test(value: Any, what: str) -> TestRecord:
    test = fields.obj(value, what)
    return TestRecord(fields.text(test.get("name"), f"{what} name"),
                      fields.text(test.get("category"), f"{what} category"),
                      fields.member(test.get("outcome"), f"{what} outcome", Outcome),
                      fields.optional(fields.text, test.get("message"), f"{what} message"))


def _late_edit(value: Any, what: str) -> LateEditRecord:
    edit = fields.obj(value, what)
    return LateEditRecord(fields.member(edit.get("phase"), f"{what} phase", PhaseName),
                          fields.optional(fields.text, edit.get("file"), f"{what} file"),
                          fields.optional(fields.text, edit.get("sha256"), f"{what} sha256"),
                          fields.number(edit.get("seconds_after_end", 0),
                                        f"{what} seconds_after_end"))
