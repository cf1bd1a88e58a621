"""The phase machine: design -> code -> tests, each phase owning one file and ending at a deadline.

Every function takes the session, its folder and the time ``now``, and returns the Events that
happened, so the same machine serves the live clock, catching up after a gap, and the tests.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .kit import Problem
from .session import ABORTED, ACTIVE, FINISHED, PHASE_FILES, Phase, Session

DEFAULT_BOXES = {"full": "15/60/15", "short": "10/40/10"}
SNAPSHOTS = "snapshots"
_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")


@dataclass
class Event:
    """Something the clock announces. kind: start, deadline, late, early, late-edit, aborted."""

    kind: str
    phase: str
    at: float
    detail: dict[str, Any] = field(default_factory=dict)


def parse_boxes(text: str) -> list[float]:
    """``"15/60/15"`` -> seconds per phase; UsageError naming the rule for anything else."""
    parts = text.split("/")
    if len(parts) != 3 or not all(_NUMBER.fullmatch(p.strip()) for p in parts) or \
            any(float(p) <= 0 for p in parts):
        raise UsageError(f"--boxes {text!r}: expected three positive numbers of minutes, "
                         f"DESIGN/CODE/TESTS, such as 15/60/15 (decimals allowed: 0.05/0.1/0.05)")
    return [float(p) * 60 for p in parts]


def boxes_text(boxes: list[float]) -> str:
    """Seconds per phase back to the ``15/60/15`` minutes form."""
    return "/".join(f"{b / 60:g}" for b in boxes)


def new_session(session_id: str, problem: Problem, boxes: list[float], level: str,
                now: float) -> Session:
    phases = [Phase(name, file.format(kata=problem.name), box)
              for (name, file), box in zip(PHASE_FILES, boxes)]
    return Session(session_id, problem.name, problem.title, problem.size, level, now, phases)


def begin(session: Session, folder: Path, now: float) -> list[Event]:
    """Start the first phase at `now`."""
    _start(session.phases[0], now)
    apply_permissions(session, folder)
    return [Event("start", session.phases[0].name, now)]


def advance(session: Session, folder: Path, now: float) -> list[Event]:
    """End every phase whose deadline has passed by `now`, each at its own deadline.

    A snapshot taken after the deadline (no clock was attached) counts as on time only if the file
    was not modified after the deadline; otherwise the phase ended "late".
    """
    events: list[Event] = []
    while session.status == ACTIVE and (phase := session.current) and now >= phase.deadline:
        events += _end(session, folder, phase, phase.deadline, now, early=False)
    return events


def end_early(session: Session, folder: Path, now: float) -> list[Event]:
    """End the running phase now and start the next, unless a deadline passed meanwhile."""
    events = advance(session, folder, now)
    if events or session.current is None:
        return events  # the phase the user meant has already ended at its deadline
    return _end(session, folder, session.current, now, now, early=True)


def finish(session: Session, folder: Path) -> None:
    """Close a session whose phases have all ended: every file writable again."""
    session.status = FINISHED
    apply_permissions(session, folder)


def abort(session: Session, folder: Path, now: float) -> list[Event]:
    """End the session unscored; the running phase ends "aborted"."""
    events = []
    if (phase := session.current) is not None:
        phase.ended_at, phase.ending = now, "aborted"
        events.append(Event("aborted", phase.name, now))
    session.status = ABORTED
    apply_permissions(session, folder)
    return events


def _start(phase: Phase, at: float) -> None:
    phase.start, phase.deadline = at, at + phase.box


def _end(session: Session, folder: Path, phase: Phase, ended_at: float, now: float,
         early: bool) -> list[Event]:
    phase.snapshot = take_snapshot(folder, phase, now)
    phase.ended_at = ended_at
    phase.ending = "early" if early else "deadline" if phase.snapshot["on_time"] else "late"
    events = [Event(phase.ending, phase.name, ended_at, dict(phase.snapshot))]
    if (following := session.current) is not None:
        _start(following, ended_at)
        events.append(Event("start", following.name, ended_at))
    events += detect_late_edits(session, folder, now)
    apply_permissions(session, folder)
    return events


def take_snapshot(folder: Path, phase: Phase, now: float) -> dict[str, Any]:
    """Copy the phase's file into snapshots/ (read-only) and record its hash and timing."""
    source = folder / phase.file
    try:
        data, mtime = source.read_bytes(), source.stat().st_mtime
    except FileNotFoundError:
        return {"file": None, "sha256": None, "taken_at": now, "mtime": None,
                "on_time": True, "late_by": 0.0}
    target = folder / SNAPSHOTS / phase.file
    target.parent.mkdir(exist_ok=True)
    if target.exists():  # a snapshot interrupted before session.json recorded it
        target.unlink()
    target.write_bytes(data)
    set_writable(target, False)
    late_by = max(0.0, mtime - phase.deadline)
    return {"file": f"{SNAPSHOTS}/{phase.file}", "sha256": hashlib.sha256(data).hexdigest(),
            "taken_at": now, "mtime": mtime, "on_time": late_by == 0, "late_by": round(late_by, 3)}


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def detect_late_edits(session: Session, folder: Path, now: float) -> list[Event]:
    """Record each ended phase's file that differs from its snapshot (once per new content)."""
    events = []
    for phase in session.phases:
        if phase.snapshot is None:
            continue
        digest = file_sha256(folder / phase.file)
        if digest == phase.snapshot["sha256"]:
            continue
        earlier = [e for e in session.late_edits if e["file"] == phase.file]
        if earlier and earlier[-1]["sha256"] == digest:
            continue
        edit = {"phase": phase.name, "file": phase.file, "sha256": digest, "detected_at": now,
                "seconds_after_end": round(_mtime(folder / phase.file, now) - phase.ended_at, 3)}
        session.late_edits.append(edit)
        events.append(Event("late-edit", phase.name, now, edit))
    return events


def _mtime(path: Path, default: float) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return default


def apply_permissions(session: Session, folder: Path) -> None:
    """Only the running phase's file is writable; all of them once the session is over."""
    running = session.current if session.status == ACTIVE else None
    for phase in session.phases:
        set_writable(folder / phase.file, running is None or phase is running)


def set_writable(path: Path, writable: bool) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    wanted = mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP |
                                                           stat.S_IWOTH)
    if wanted != mode:
        os.chmod(path, stat.S_IMODE(wanted))


def remaining(session: Session, now: float) -> float:
    """Seconds until the last deadline if every phase still to come takes its whole box."""
    phase = session.current
    if phase is None:
        return 0.0
    later = session.phases[session.phases.index(phase) + 1:]
    return max(0.0, phase.deadline - now) + sum(p.box for p in later)


def progress(session: Session, now: float) -> float:
    """The share of the whole session behind us, 0..1."""
    elapsed = now - session.phases[0].start
    total = elapsed + remaining(session, now)
    return min(1.0, elapsed / total) if total > 0 else 1.0
