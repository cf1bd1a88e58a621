"""Session state on disk: ``session.json`` per session, the active-session pointer, one lock.

Everything a session needs to carry on lives in its ``session.json`` (deadlines are absolute epoch
seconds), written atomically, so Ctrl-C, a closed terminal or a crash never loses or half-writes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .clock import folder_stamp
from .errors import StateError

FORMAT = 1
PHASE_FILES = (("design", "design.md"), ("code", "{kata}.py"), ("tests", "test_mine.py"))
ACTIVE, FINISHED, ABORTED = "active", "finished", "aborted"
LEVELS = ("full", "core")


@dataclass
class Phase:
    """One time-box. ``ending`` is None while it has not ended, then one of ENDINGS."""

    name: str
    file: str
    box: float  # planned seconds
    start: float | None = None
    deadline: float | None = None
    ended_at: float | None = None
    ending: str | None = None
    snapshot: dict[str, Any] | None = None

    @property
    def used(self) -> float | None:
        """Seconds the phase took, once it has ended."""
        if self.start is None or self.ended_at is None:
            return None
        return self.ended_at - self.start

    @property
    def saved(self) -> float:
        """Seconds left on the box when the phase was ended early."""
        if self.ending != "early":
            return 0.0
        return max(0.0, self.deadline - self.ended_at)


ENDINGS = ("deadline", "late", "early", "aborted")
_REQUIRED = ("id", "kata", "title", "size", "level", "created", "phases")


@dataclass
class Session:
    """A practice session of one kata: three phases and what happened in them."""

    id: str
    kata: str
    title: str
    size: str
    level: str
    created: float
    phases: list[Phase]
    status: str = ACTIVE
    late_edits: list[dict[str, Any]] = field(default_factory=list)
    hints: int = 0
    mock: dict[str, Any] | None = None
    format: int = FORMAT

    @property
    def current(self) -> Phase | None:
        """The phase running now (None once all have ended)."""
        return next((p for p in self.phases if p.ending is None), None)

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    @property
    def boxes(self) -> list[float]:
        return [p.box for p in self.phases]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Session:
        """Parse session.json; ValueError naming what is wrong with it."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        phases = data.get("phases")
        if not isinstance(phases, list) or len(phases) != 3:
            raise ValueError("'phases' must list three phases")
        missing = [key for key in _REQUIRED if key not in data]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        names = {f.name for f in fields(cls)}
        phase_names = {f.name for f in fields(Phase)}
        try:
            session = cls(**{k: v for k, v in data.items() if k in names and k != "phases"},
                          phases=[Phase(**{k: v for k, v in p.items() if k in phase_names})
                                  for p in phases])
        except (TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from None
        _check_types(session)
        return session


def _check_types(session: Session) -> None:
    number = (int, float)
    if not all(isinstance(v, str) for v in (session.id, session.kata, session.level)):
        raise ValueError("id, kata and level must be strings")
    if session.status not in (ACTIVE, FINISHED, ABORTED):
        raise ValueError(f"unknown status {session.status!r}")
    if [p.name for p in session.phases] != [name for name, _ in PHASE_FILES]:
        raise ValueError("the phases must be design, code and tests")
    if not isinstance(session.late_edits, list) or not isinstance(session.hints, int) or \
            not isinstance(session.mock, (dict, type(None))):
        raise ValueError("late_edits, hints or mock has the wrong type")
    for phase in session.phases:
        if not isinstance(phase.file, str) or not isinstance(phase.snapshot, (dict, type(None))):
            raise ValueError(f"phase {phase.name!r} has a wrong file or snapshot")
        if not isinstance(phase.box, number) or phase.box <= 0:
            raise ValueError(f"phase {phase.name!r} has box {phase.box!r}")
        for name in ("start", "deadline", "ended_at"):
            if not isinstance(getattr(phase, name), (*number, type(None))):
                raise ValueError(f"phase {phase.name!r} has {name} {getattr(phase, name)!r}")
        if phase.ending not in (None, *ENDINGS):
            raise ValueError(f"phase {phase.name!r} has ending {phase.ending!r}")
        if phase.start is not None and phase.deadline is None:
            raise ValueError(f"phase {phase.name!r} started without a deadline")


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new, never half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class Practice:
    """The practice folder: session folders, ``active.json`` naming the active one, the history."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.pointer = self.folder / "active.json"
        self.history = self.folder / "history.jsonl"

    def session_dir(self, session_id: str) -> Path:
        return self.folder / session_id

    def shown(self, path: Path) -> str:
        """A path as the user knows it: relative to the working directory when inside it."""
        with contextlib.suppress(ValueError):
            return str(path.resolve().relative_to(Path.cwd()))
        return str(path)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the practice folder's lock: one process at a time reads-modifies-writes state."""
        if not self.folder.is_dir():
            yield  # nothing on disk to protect yet
            return
        with open(self.folder / ".lock", "a+") as handle:
            _lock(handle)
            try:
                yield
            finally:
                _unlock(handle)

    def active_id(self) -> str | None:
        try:
            data = json.loads(self.pointer.read_text(encoding="utf-8"))
            return data["session"] if isinstance(data.get("session"), str) else None
        except FileNotFoundError:
            return None
        except (ValueError, AttributeError, OSError) as exc:
            raise StateError(f"{self.shown(self.pointer)} is corrupt ({exc}): delete it to "
                             f"forget the active session") from None

    def active(self) -> Session | None:
        """The active session, None when there is none; StateError when it cannot be read."""
        session_id = self.active_id()
        return None if session_id is None else self.load(session_id)

    def require_active(self) -> Session:
        session = self.active()
        if session is None:
            raise StateError("no active session: start one with `python timer.py start NAME`")
        return session

    def load(self, session_id: str) -> Session:
        folder = self.session_dir(session_id)
        path = folder / "session.json"
        if not folder.is_dir():
            raise StateError(f"the session folder {self.shown(folder)} was deleted: "
                             f"`python timer.py abort` forgets the session")
        try:
            return Session.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StateError(f"{self.shown(path)} is missing: `python timer.py abort` forgets "
                             f"the session") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise StateError(f"{self.shown(path)} is corrupt ({exc}): `python timer.py abort` "
                             f"forgets the session") from None

    def sessions(self, warn: Callable[[str], None]) -> list[Session]:
        """Every readable session in the folder, oldest first; each unreadable one is reported."""
        found = []
        for path in sorted(self.folder.glob("*/session.json")):
            try:
                found.append(Session.from_json(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                warn(f"{self.shown(path)} is unreadable ({exc}): skipped")
        return sorted(found, key=lambda s: s.created)

    def save(self, session: Session) -> None:
        write_atomic(self.session_dir(session.id) / "session.json", session.to_json())

    def activate(self, session: Session) -> None:
        write_atomic(self.pointer, json.dumps({"session": session.id}))

    def deactivate(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.pointer.unlink()

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


try:
    import fcntl

    def _lock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
except ImportError:  # Windows: one terminal at a time is the user's job there
    def _lock(handle: Any) -> None:
        pass

    def _unlock(handle: Any) -> None:
        pass
