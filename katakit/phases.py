"""The phase machine: design -> code -> tests, each phase owning one file and ending at a deadline.

Every function takes the session, its folder and the time ``now``, and returns the Events that
happened, so the same machine serves the live clock, the deadline keeper, catching up after a
gap, and the tests.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .errors import StateError, UsageError
from .kit import Level, Problem, Size
from .session import (
    MAX_BOX,
    SNAPSHOTS,
    Ending,
    LateEdit,
    Phase,
    PhaseName,
    Session,
    Snapshot,
    Status,
    inside,
    shown,
)

DEFAULT_BOXES = {Size.FULL: "15/60/15", Size.SHORT: "10/40/10"}
GRACE = 2.0  # seconds after a deadline within which a snapshot counts as taken at the deadline
_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")
_WRITE = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class EventKind(StrEnum):
    """What the clock announces: a phase's start, each way a phase ends, a late edit, and the
    change request's reveal (katakit/change_request.py)."""

    START = "start"
    DEADLINE = Ending.DEADLINE.value
    LATE = Ending.LATE.value
    EARLY = Ending.EARLY.value
    ABORTED = Ending.ABORTED.value
    LATE_EDIT = "late-edit"
    CHANGE = "change"


@dataclass
class Event:
    """Something the clock announces, with the snapshot the end of a phase (or the reveal of the
    change request) took, or the late edit found."""

    kind: EventKind
    phase: PhaseName
    at: float
    snapshot: Snapshot | None = None
    edit: LateEdit | None = None

    @classmethod
    def ended(cls, phase: Phase) -> Event:
        """The end of `phase`, once it has ended."""
        return cls(EventKind(phase.ending), phase.name, phase.ended_at, phase.snapshot)


def parse_boxes(text: str) -> list[float]:
    """``"15/60/15"`` -> seconds per phase; UsageError naming the rule for anything else."""
    shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
    parts = text.split("/")
    if len(parts) != 3 or not all(_NUMBER.fullmatch(p.strip()) for p in parts) or \
            any(float(p) <= 0 for p in parts):
        raise UsageError(f"--boxes {shown}: expected three positive numbers of minutes, "
                         f"DESIGN/CODE/TESTS, such as 15/60/15 (decimals allowed: 0.05/0.1/0.05)")
    minutes = [float(p) for p in parts]  # digits only: finite, or inf when absurdly long
    if any(not math.isfinite(m) or m * 60 > MAX_BOX for m in minutes):
        raise UsageError(f"--boxes {shown}: a box is at most {MAX_BOX / 60:g} minutes "
                         f"({MAX_BOX / 3600:g} hours)")
    return [m * 60 for m in minutes]


def default_boxes(size: Size) -> str:
    """The boxes of a problem of `size` (the full ones when its card does not say)."""
    return DEFAULT_BOXES.get(size, DEFAULT_BOXES[Size.FULL])


def boxes_text(boxes: list[float]) -> str:
    """Seconds per phase back to the ``15/60/15`` minutes form."""
    return "/".join(f"{b / 60:g}" for b in boxes)


def new_session(session_id: str, problem: Problem, boxes: list[float], level: Level,
                now: float) -> Session:
    phases = [Phase(name, name.file(problem.name), box)
              for name, box in zip(PhaseName, boxes, strict=True)]
    return Session(session_id, problem.name, problem.title, problem.size, level, now, phases)


def begin(session: Session, folder: Path, now: float) -> list[Event]:
    """Start the first phase at `now`."""
    _start(session.phases[0], now)
    apply_permissions(session, folder)
    return [Event(EventKind.START, session.phases[0].name, now)]


def advance(session: Session, folder: Path, now: float) -> list[Event]:
    """End every phase whose deadline has passed by `now`, each at its own deadline.

    A snapshot taken at the deadline (by the clock or the deadline keeper) is on time. One taken
    later, when nothing was there to take it, is on time only if the file has not changed since
    the deadline: its modification time and its status-change time (which no one can set back)
    are both before it. Otherwise the phase ended late, and the session is unverified.
    """
    events: list[Event] = []
    changed = {p.file: last_change(folder / p.file) for p in session.phases}
    while session.status is Status.ACTIVE and (phase := session.current) and \
            now >= phase.deadline:
        phase.snapshot = take_snapshot(folder, phase, now, changed[phase.file])
        phase.ended_at = phase.deadline
        phase.ending = Ending.DEADLINE if phase.snapshot.on_time else Ending.LATE
        events += _ended(session, folder, phase, now)
    return events


def end_early(session: Session, folder: Path, now: float) -> list[Event]:
    """End the running phase now and start the next, unless a deadline passed meanwhile."""
    events = advance(session, folder, now)
    if events or (phase := session.current) is None:
        return events  # the phase the user meant has already ended at its deadline
    phase.snapshot = take_snapshot(folder, phase, now)
    phase.ended_at, phase.ending = now, Ending.EARLY
    return _ended(session, folder, phase, now)


def finish(session: Session, folder: Path) -> list[str]:
    """Close a session whose phases have all ended: every file back to its own mode. Returns
    a warning for each file it had to leave alone."""
    session.status = Status.FINISHED
    return apply_permissions(session, folder, strict=False)


def abort(session: Session, folder: Path, now: float) -> list[str]:
    """End the session unscored (the running phase ends aborted); warnings as for finish."""
    if (phase := session.current) is not None:
        phase.ended_at, phase.ending = now, Ending.ABORTED
        if phase.start is None:
            phase.start = now
    session.status = Status.ABORTED
    return apply_permissions(session, folder, strict=False)


def _start(phase: Phase, at: float) -> None:
    phase.start, phase.deadline = at, at + phase.box


def _ended(session: Session, folder: Path, phase: Phase, now: float) -> list[Event]:
    """What follows the end of `phase` (its ending, end time and snapshot set): the next phase
    starts when it ended, late edits are looked for, and only the running file stays writable."""
    events = [Event.ended(phase)]
    if (following := session.current) is not None:
        _start(following, phase.ended_at)
        events.append(Event(EventKind.START, following.name, phase.ended_at))
    events += detect_late_edits(session, folder, now)
    apply_permissions(session, folder)
    return events


def last_change(path: Path) -> float | None:
    """When the file's content or metadata last changed; None when it is missing.

    On POSIX that is the later of its modification time, which ``touch -d`` sets to anything,
    and its status-change time, which only the clock sets.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return max(info.st_mtime, info.st_ctime) if os.name == "posix" else info.st_mtime


def take_snapshot(folder: Path, phase: Phase, now: float,
                  changed: float | None = None) -> Snapshot:
    """Copy the phase's file into snapshots/ (read-only) and record its hash and timing.

    `changed` is when the file last changed, looked at before anything in this catch-up touched
    it (None: look now).
    """
    source = inside(folder / phase.file, folder)
    at_deadline = phase.deadline is None or now - phase.deadline <= GRACE
    stored = store_copy(folder, source, phase.file, now)
    if stored.file is None:
        return stored
    changed = last_change(source) if changed is None else changed
    late_by = 0.0 if at_deadline or changed is None else max(0.0, changed - phase.deadline)
    stored.on_time, stored.late_by = late_by == 0, round(late_by, 3)
    return stored


def store_copy(folder: Path, source: Path, name: str, now: float) -> Snapshot:
    """Copy `source` read-only to snapshots/`name` and hash it: a snapshot taken `now`, on
    time (the caller judges its timing); one of no file when `source` is missing."""
    try:
        data, mtime = source.read_bytes(), source.stat().st_mtime
    except FileNotFoundError:
        return Snapshot(None, None, now)
    store = folder / SNAPSHOTS
    store.mkdir(exist_ok=True)
    target = inside(store / name, inside(store, folder))
    if target.exists():  # a snapshot interrupted before session.json recorded it
        target.unlink()
    target.write_bytes(data)
    _chmod(target, stat.S_IMODE(target.stat().st_mode) & ~_WRITE)
    return Snapshot(f"{SNAPSHOTS}/{name}", hashlib.sha256(data).hexdigest(), now, mtime)


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def detect_late_edits(session: Session, folder: Path, now: float) -> list[Event]:
    """Record each ended phase's file that differs from its snapshot (once per new content)."""
    events = []
    for phase in session.phases:
        if phase.snapshot is None:
            continue
        digest = file_sha256(folder / phase.file)
        if digest == phase.snapshot.sha256:
            continue
        earlier = [e for e in session.late_edits if e.file == phase.file]
        if earlier and earlier[-1].sha256 == digest:
            continue
        end = phase.ended_at if phase.ended_at is not None else now
        edit = LateEdit(phase.name, phase.file, digest, now,
                        round(_mtime(folder / phase.file, now) - end, 3))
        session.late_edits.append(edit)
        events.append(Event(EventKind.LATE_EDIT, phase.name, now, edit=edit))
    return events


def _mtime(path: Path, default: float) -> float:
    try:
        return path.stat().st_mtime
    except (FileNotFoundError, NotADirectoryError):
        return default


def apply_permissions(session: Session, folder: Path, strict: bool = True) -> list[str]:
    """Only the running phase's file is writable; once the session is over, each file gets back
    the mode it had before the session first locked it.

    A file that is a symbolic link or leads outside the folder is refused: StateError when
    `strict`, else left alone and named in the warnings returned.
    """
    active = session.status is Status.ACTIVE
    running = session.current if active else None
    warnings = []
    for phase in session.phases:
        path = folder / phase.file
        try:
            inside(path, folder)
            mode = stat.S_IMODE(path.stat().st_mode)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except StateError as exc:
            if strict:
                raise
            warnings.append(f"{exc.what}: left as it is")
            continue
        original = session.modes.get(phase.file)
        if not active:
            wanted = mode if original is None else original
        elif phase is running:
            wanted = (mode if original is None else original) | stat.S_IWUSR
        else:
            if original is None:
                session.modes[phase.file] = mode
            wanted = mode & ~_WRITE
        if wanted != mode:
            _chmod(path, wanted)
    return warnings


def _chmod(path: Path, mode: int) -> None:
    if path.is_symlink():  # checked before, and again at the last moment
        raise StateError(f"{shown(path)} is a symbolic link", "the timer does not change it")
    os.chmod(path, mode)


def phase_progress(phase: Phase, now: float) -> float:
    """The share of the running phase's box behind us, 0..1."""
    if phase.start is None:
        return 0.0
    return min(1.0, max(0.0, (now - phase.start) / phase.box))

