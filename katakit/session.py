"""Session state on disk: ``session.json`` per session, the active-session pointer, the locks.

Everything a session needs to carry on lives in its ``session.json`` (deadlines are absolute epoch
seconds), written atomically, so Ctrl-C, a closed terminal or a crash never loses or half-writes it.
The file is read back through one parse-and-validate step: a value of the wrong type or out of
range, or a path that would lead outside the session folder, makes the whole file corrupt, named
in one line, and `abort` still forgets it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import fields, invocation
from .clock import folder_stamp
from .errors import StateError, reason
from .kit import Level, Size, level_named

FORMAT = 1
SNAPSHOTS = "snapshots"
MAX_BOX = 8 * 3600.0  # seconds: no phase is longer than a working day
KATA_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
SESSION_ID = re.compile(r"[a-z][a-z0-9_]*-\d{8}-\d{6}(-\d{1,3})?\Z")
MOCK_ID = re.compile(r"mock-\d{8}-\d{6}(-\d{1,3})?\Z")
SHA256 = re.compile(r"[0-9a-f]{64}\Z")


class PhaseName(StrEnum):
    """The three time-boxes, in their order; each owns one file of the session folder."""

    DESIGN = "design"
    CODE = "code"
    TESTS = "tests"

    def file(self, kata: str) -> str:
        """The file this phase owns in a session of `kata`."""
        return _PHASE_FILES[self].format(kata=kata)


_PHASE_FILES = {PhaseName.DESIGN: "design.md", PhaseName.CODE: "{kata}.py",
                PhaseName.TESTS: "test_mine.py"}


class Ending(StrEnum):
    """How a phase ended."""

    DEADLINE = "deadline"  # at its deadline, its snapshot on time
    LATE = "late"  # its file changed after the deadline before anything took the snapshot
    EARLY = "early"  # the candidate ended it
    ABORTED = "aborted"  # the session was aborted while it ran

    @property
    def snapshotted(self) -> bool:
        return self is not Ending.ABORTED


class Status(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"  # graded
    ABORTED = "aborted"


class Preset(StrEnum):
    """Boxes other than the mock boxes."""

    STUDY = "study"  # the week plan's long blocks (plan.STUDY_BOXES)


class RoleName(StrEnum):
    """What a process does for a session while it holds the lock of that name (Role)."""

    CLOCK = "clock"  # the attached clock
    KEEPER = "keeper"  # the deadline keeper
    GRADER = "grader"  # grades the session once its phases have all ended


@dataclass
class Snapshot:
    """A file copied read-only into ``snapshots/`` when its phase ended (or when the change
    request was revealed), with its hash and how it was timed."""

    file: str | None  # the copy, relative to the session folder; None: there was no file
    sha256: str | None
    taken_at: float
    mtime: float | None = None
    on_time: bool = True
    late_by: float = 0.0  # seconds the file changed after its deadline, when not on time

    def path(self, folder: Path) -> Path | None:
        return None if self.file is None else folder / self.file


@dataclass
class LateEdit:
    """A file of an ended phase found changed after its snapshot (recorded, never scored)."""

    phase: PhaseName
    file: str
    sha256: str | None
    detected_at: float
    seconds_after_end: float


@dataclass
class ChangeRequest:
    """The card's change request in a session: `after` seconds into the code phase (None: left
    out with --no-change), when it was revealed, and the code as it stood then."""

    after: float | None
    revealed_at: float | None = None
    snapshot: Snapshot | None = None

    @staticmethod
    def file(kata: str) -> str:
        """The name of the code's snapshot at the reveal, in ``snapshots/``."""
        return f"{kata}.before-change.py"


@dataclass
class MockNext:
    """The part of a mock interview still to come."""

    kata: str
    boxes: list[float]
    level: Level


@dataclass
class Mock:
    """The mock interview a session is part of."""

    id: str
    part: int = 1
    seed: int | None = None
    next: MockNext | None = None


@dataclass
class Phase:
    """One time-box. ``ending`` is None while it has not ended."""

    name: PhaseName
    file: str
    box: float  # planned seconds
    start: float | None = None
    deadline: float | None = None
    ended_at: float | None = None
    ending: Ending | None = None
    snapshot: Snapshot | None = None

    @property
    def used(self) -> float | None:
        """Seconds the phase took, once it has ended."""
        if self.start is None or self.ended_at is None:
            return None
        return self.ended_at - self.start

    @property
    def saved(self) -> float:
        """Seconds left on the box when the phase was ended early."""
        if self.ending is not Ending.EARLY or self.deadline is None or self.ended_at is None:
            return 0.0
        return max(0.0, self.deadline - self.ended_at)


@dataclass
class Session:
    """A practice session of one kata: three phases and what happened in them."""

    id: str
    kata: str
    title: str
    size: Size
    level: Level
    created: float
    phases: list[Phase]
    status: Status = Status.ACTIVE
    late_edits: list[LateEdit] = field(default_factory=list)
    hints: int = 0
    mock: Mock | None = None
    modes: dict[str, int] = field(default_factory=dict)  # file -> its mode before it was locked
    change: ChangeRequest | None = None  # the card's change request (katakit/change_request.py)
    preset: Preset | None = None
    format: int = FORMAT

    @property
    def current(self) -> Phase | None:
        """The phase running now (None once all have ended)."""
        return next((p for p in self.phases if p.ending is None), None)

    def phase(self, name: PhaseName) -> Phase:
        return next(p for p in self.phases if p.name == name)

    @property
    def boxes(self) -> list[float]:
        return [p.box for p in self.phases]

    @property
    def unverified(self) -> bool:
        """A phase's file changed after its deadline before anything took its snapshot: what was
        graded may hold work done after the time was up."""
        return any(p.ending is Ending.LATE for p in self.phases)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Session:
        """Parse and validate session.json; ValueError naming the first thing wrong with it."""
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("nested too deeply to be a session") from None
        return parse_session(data)


# --- parse and validate ------------------------------------------------------------------------


def _optional_member(value: Any, what: str, kind: type[StrEnum]) -> Any:
    """None, or a member of `kind`; the message lists None among the values expected."""
    if value is None:
        return None
    if isinstance(value, str) and value in kind.__members__.values():
        return kind(value)
    raise ValueError(f"{what} is {fields.shown(value)}, expected one of None, {', '.join(kind)}")


def _level(value: Any, what: str) -> Level:
    """A level as recorded (an old "core" read as today's "base")."""
    return fields.member(level_named(value) if isinstance(value, str) else value, what, Level)


def parse_session(data: Any) -> Session:
    data = fields.obj(data, "session.json")
    if data.get("format") != FORMAT:
        raise ValueError(f"format {fields.shown(data.get('format'))}, expected {FORMAT}")
    missing = [key for key in ("id", "kata", "title", "size", "level", "created", "phases")
               if key not in data]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    kata = fields.text(data["kata"], "kata", KATA_NAME)
    phases = data["phases"]
    if not isinstance(phases, list) or len(phases) != len(PhaseName):
        raise ValueError("'phases' must list three phases")
    parsed = [_parse_phase(fields.obj(p, f"phases[{i}]"), name, name.file(kata))
              for i, (p, name) in enumerate(zip(phases, PhaseName, strict=True))]
    ended = [p.ending is not None for p in parsed]
    if ended != sorted(ended, reverse=True):
        raise ValueError("a phase has ended before the one ahead of it")
    files = {p.file for p in parsed}
    modes = fields.obj(data.get("modes", {}), "modes")
    if unknown := [name for name in modes if name not in files]:
        raise ValueError(f"a file in modes is {fields.shown(unknown[0])}, expected one of "
                         f"{', '.join(p.file for p in parsed)}")
    return Session(
        id=fields.text(data["id"], "id", SESSION_ID), kata=kata,
        title=fields.text(data["title"], "title"),
        size=fields.member(data["size"], "size", Size),
        level=_level(data["level"], "level"), created=fields.moment(data["created"], "created"),
        phases=parsed,
        status=fields.member(data.get("status", Status.ACTIVE), "status", Status),
        late_edits=_parse_late_edits(data.get("late_edits", []), parsed),
        hints=fields.whole(data.get("hints", 0), "hints", 0, 1000),
        mock=_parse_mock(data.get("mock")),
        change=_parse_change(data.get("change"), kata),
        preset=_optional_member(data.get("preset"), "preset", Preset),
        modes={name: fields.whole(mode, f"modes[{name!r}]", 0, 0o7777)
               for name, mode in modes.items()})


def _parse_phase(data: dict[str, Any], name: PhaseName, file: str) -> Phase:
    if data.get("name") != name:
        raise ValueError(f"phase {fields.shown(data.get('name'))} where {name.value!r} belongs")
    if data.get("file") != file:
        raise ValueError(f"the {name} phase's file is {fields.shown(data.get('file'))}, expected "
                         f"{file!r}")
    what = f"the {name} phase's"
    phase = Phase(name, file, fields.number(data.get("box"), f"{what} box", 1e-3, MAX_BOX),
                  *(fields.optional(fields.moment, data.get(key), f"{what} {key}")
                    for key in ("start", "deadline", "ended_at")),
                  ending=_optional_member(data.get("ending"), f"{what} ending", Ending),
                  snapshot=_parse_snapshot(data.get("snapshot"), f"{what} snapshot", file))
    if phase.start is not None and phase.deadline is None:
        raise ValueError(f"the {name} phase started without a deadline")
    if phase.ending is not None and (phase.start is None or phase.ended_at is None):
        raise ValueError(f"the {name} phase ended without a start and an end time")
    if phase.ending is not None and phase.ending.snapshotted and phase.snapshot is None:
        raise ValueError(f"the {name} phase ended without a snapshot")
    return phase


def _parse_snapshot(data: Any, what: str, file: str) -> Snapshot | None:
    if data is None:
        return None
    data = fields.obj(data, what)
    stored = data.get("file")
    if stored not in (None, f"{SNAPSHOTS}/{file}"):
        raise ValueError(f"{what} file is {fields.shown(stored)}, expected {SNAPSHOTS}/{file}")
    digest = data.get("sha256")
    if (stored is None) != (digest is None) or \
            (digest is not None and not (isinstance(digest, str) and SHA256.match(digest))):
        raise ValueError(f"{what} has sha256 {fields.shown(digest)}")
    mtime = data.get("mtime")
    return Snapshot(
        stored, digest, fields.moment(data.get("taken_at"), f"{what} time"),
        fields.optional(fields.number, mtime, f"{what} mtime"),
        fields.flag(data.get("on_time", True), f"{what} on_time"),
        fields.number(data.get("late_by", 0.0), f"{what} late_by", 0))


def _parse_change(data: Any, kata: str) -> ChangeRequest | None:
    if data is None:
        return None
    data = fields.obj(data, "change")
    after = data.get("after")
    change = ChangeRequest(
        None if after is None else fields.number(after, "the change request's moment", 0,
                                                 MAX_BOX),
        fields.optional(fields.moment, data.get("revealed_at"), "the change request's reveal"),
        _parse_snapshot(data.get("snapshot"), "the change request snapshot",
                        ChangeRequest.file(kata)))
    if (change.revealed_at is None) != (change.snapshot is None) or \
            (change.after is None and change.revealed_at is not None):
        raise ValueError("the change request's reveal, moment and snapshot do not agree")
    return change


def _parse_late_edits(data: Any, phases: list[Phase]) -> list[LateEdit]:
    files = {p.name: p.file for p in phases}
    edits = []
    for i, edit in enumerate(fields.listed(data, "late_edits")):
        what = f"late_edits[{i}]"
        edit = fields.obj(edit, what)
        name = fields.member(edit.get("phase"), f"{what} phase", PhaseName)
        if edit.get("file") != files[name]:
            raise ValueError(f"{what} file is {fields.shown(edit.get('file'))}, expected "
                             f"{files[name]}")
        digest = edit.get("sha256")
        if digest is not None and not (isinstance(digest, str) and SHA256.match(digest)):
            raise ValueError(f"{what} has sha256 {fields.shown(digest)}")
        edits.append(LateEdit(name, files[name], digest,
                              fields.moment(edit.get("detected_at"), f"{what} detected_at"),
                              fields.number(edit.get("seconds_after_end"),
                                            f"{what} seconds_after_end")))
    return edits


def _parse_mock(data: Any) -> Mock | None:
    if data is None:
        return None
    data = fields.obj(data, "mock")
    seed = data.get("seed")
    mock = Mock(fields.text(data.get("id"), "mock id", MOCK_ID),
                fields.whole(data.get("part", 1), "mock part", 1, 2),
                None if seed is None else fields.whole(seed, "mock seed", -2**63, 2**63))
    following = data.get("next")
    if following is not None:
        following = fields.obj(following, "mock next")
        boxes = following.get("boxes")
        if not isinstance(boxes, list) or len(boxes) != len(PhaseName):
            raise ValueError("mock next boxes must list three boxes")
        mock.next = MockNext(fields.text(following.get("kata"), "mock next kata", KATA_NAME),
                             [fields.number(b, "mock next box", 1e-3, MAX_BOX) for b in boxes],
                             _level(following.get("level", Level.FULL), "mock next level"))
    return mock


def kata_of(session_id: str) -> str:
    """The kata a session folder's name (SESSION_ID) begins with."""
    return session_id.split("-", 1)[0]


# --- files ---------------------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new, never half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError) and exc.filename in (None, str(temp)):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def shown(path: Path) -> str:
    """A path as the user knows it: relative to the working directory when inside it."""
    with contextlib.suppress(ValueError, OSError):
        return str(path.absolute().relative_to(Path.cwd()))
    return str(path)


def inside(path: Path, folder: Path) -> Path:
    """`path`, once sure that it is no symbolic link and that it resolves inside `folder`;
    StateError naming it otherwise. Every file the timer writes, chmods or unlinks passes here."""
    if path.is_symlink():
        raise StateError(f"{shown(path)} is a symbolic link",
                         f"the timer changes only files inside the session folder, never what a "
                         f"link points to; put a regular file back, or "
                         f"{invocation.command('abort')} ends the session")
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise StateError(f"{shown(path)} is outside {shown(folder)}",
                         "the timer changes only files inside it")
    return path


# --- the practice folder -----------------------------------------------------------------------


class Practice:
    """The practice folder: session folders, ``active.json`` naming the active one, the history,
    and the locks that say who holds the state, the clock and the deadline keeper."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.pointer = self.folder / "active.json"
        self.history = self.folder / "history.jsonl"

    def session_dir(self, session_id: str) -> Path:
        if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
            raise StateError(f"{fields.shown(session_id)} is not a session folder name")
        return self.folder / session_id

    def shown(self, path: Path) -> str:
        return shown(path)

    def own(self, path: Path) -> Path:
        """`path` (in the practice folder) once sure it leads nowhere else."""
        return inside(path, self.folder)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the practice folder's lock: one process at a time reads-modifies-writes state."""
        if not self.folder.is_dir():
            yield  # nothing on disk to protect yet
            return
        with open(self.own(self.folder / ".lock"), "a+") as handle:
            _lock(handle.fileno(), blocking=True)
            try:
                yield
            finally:
                _unlock(handle.fileno())

    def active_id(self) -> str | None:
        """The active session's id, read from active.json: None when there is none, StateError
        when it is not a session's."""
        try:
            data = fields.obj(json.loads(self.pointer.read_text(encoding="utf-8")),
                              "active.json")
            return fields.text(data.get("session"), "session", SESSION_ID)
        except FileNotFoundError:
            return None
        except (ValueError, OSError, RecursionError) as exc:
            raise StateError(f"{self.shown(self.pointer)} is corrupt ({reason(exc)})",
                             f"{invocation.command('abort')} forgets the active session") from None

    def active(self) -> Session | None:
        """The active session, None when there is none; StateError when it cannot be read."""
        session_id = self.active_id()
        return None if session_id is None else self.load(session_id)

    def require_active(self) -> Session:
        session = self.active()
        if session is None:
            raise StateError(f"no active session: start one with "
                             f"{invocation.command('start', 'NAME')}")
        return session

    def load(self, session_id: str) -> Session:
        folder = self.session_dir(session_id)
        path = folder / "session.json"
        forget = f"{invocation.command('abort')} forgets the session"
        if not folder.is_dir():
            raise StateError(f"the session folder {self.shown(folder)} was deleted", forget)
        try:
            session = Session.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StateError(f"{self.shown(path)} is missing", forget) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise StateError(f"{self.shown(path)} is corrupt ({exc})", forget) from None
        if session.id != session_id:
            raise StateError(f"{self.shown(path)} is corrupt (it names session {session.id})",
                             forget)
        return session

    def sessions(self, warn: Callable[[str], None]) -> list[Session]:
        """Every readable session in the folder, oldest first; each unreadable one is reported."""
        found = []
        for path in sorted(self.folder.glob("*/session.json")):
            try:
                session = Session.from_json(path.read_text(encoding="utf-8"))
                if session.id != path.parent.name:
                    raise ValueError(f"it names session {session.id}")
                found.append(session)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                warn(f"{self.shown(path)} is unreadable ({exc}): skipped")
        return sorted(found, key=lambda s: s.created)

    def save(self, session: Session) -> None:
        folder = self.own(self.session_dir(session.id))
        write_atomic(inside(folder / "session.json", folder), session.to_json())

    def activate(self, session: Session) -> None:
        write_atomic(self.own(self.pointer), json.dumps({"session": session.id}))

    def deactivate(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.own(self.pointer).unlink()

    def new_session_dir(self, kata: str, now: float) -> Path:
        """A fresh ``KATA-YYYYMMDD-HHMMSS`` folder (with a counter if that second is taken)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        base = f"{kata}-{folder_stamp(now)}"
        for attempt in range(1, 1000):
            folder = self.folder / (base if attempt == 1 else f"{base}-{attempt}")
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                continue
        raise StateError(f"cannot create a session folder for {kata} in {self.shown(self.folder)}")

    def holder(self, role: RoleName, session_id: str) -> int | None:
        """The process id of the session's `role`, None when no process holds it (0 when one
        does whose id is not known yet)."""
        path = self.session_dir(session_id) / f".{role}"
        try:
            with open(path, encoding="utf-8") as handle:
                if _lock(handle.fileno(), blocking=False, shared=True):
                    _unlock(handle.fileno())
                    return None
                data = json.loads(handle.read() or "{}")
        except (OSError, ValueError):
            return None
        pid = data.get("pid") if isinstance(data, dict) else None
        return pid if isinstance(pid, int) and not isinstance(pid, bool) else 0


class Role:
    """The attached clock, the deadline keeper or the grader of a session, held as a lock on a
    file in its folder for as long as the process does that, so the others can tell whether one
    is there: the kernel drops the lock when the process ends, however it ends."""

    def __init__(self, practice: Practice, name: RoleName) -> None:
        self.practice, self.name = practice, name
        self.handle: Any = None
        self.session_id: str | None = None

    def take(self, session_id: str) -> bool:
        """Hold the role for `session_id` (letting go of any other); False when another process
        holds it."""
        if session_id == self.session_id:
            return True
        self.release()
        folder = self.practice.session_dir(session_id)
        handle = open(inside(folder / f".{self.name}", folder), "a+", encoding="utf-8")  # noqa: SIM115
        if not _lock(handle.fileno(), blocking=False):
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid()}))
        handle.flush()
        self.handle, self.session_id = handle, session_id
        return True

    def left_at(self, session_id: str) -> float | None:
        """When a process last let go of this role for `session_id` (the role file is emptied
        then); None when none ever held it."""
        with contextlib.suppress(OSError):
            return (self.practice.session_dir(session_id) / f".{self.name}").stat().st_mtime
        return None

    def release(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.truncate(0)
                _unlock(self.handle.fileno())
            self.handle.close()
            self.handle = self.session_id = None


try:
    import fcntl

    def _lock(fd: int, blocking: bool, shared: bool = False) -> bool:
        flags = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
except ImportError:  # pragma: no cover - Windows: one terminal at a time is the user's job there
    def _lock(fd: int, blocking: bool, shared: bool = False) -> bool:
        return True

    def _unlock(fd: int) -> None:
        pass
