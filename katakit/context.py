"""What a command works with: a Setup is what it takes from the process that runs it (the clock,
the terminal, the environment, the processes it starts), and a Context adds the kit and the
practice folder. ``commands.main`` builds the Setup of a real terminal; tests build one with a
fake clock and no terminal, and a command never reaches past it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TextIO

from . import history
from .clock import Now, Wait, system_now
from .grading import Grade, OwnTests, grade, run_own_tests
from .kit import Kit, Problem
from .quality import Reviewing
from .session import Practice, Session
from .terminal import Style, wants_colour


@dataclass(kw_only=True)
class Setup:
    """A command's surroundings. The defaults are those of a process with no terminal: plain
    output, no questions asked, no deadline keeper started."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    now: Now = system_now
    wait: Wait = time.sleep  # sleeps up to the seconds given, or returns a line typed meanwhile
    live: bool = False  # out is a terminal: redraw one live line instead of printing events
    keyboard: bool = False  # Enter in this terminal ends a phase early (twice, to be sure)
    confirm: Callable[[str], bool] | None = None  # asks y/N on a terminal; None without one
    read: Callable[[str], str] | None = None  # reads a line typed on a terminal (input)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    grade: Callable[..., Grade] = grade
    own_tests: Callable[..., OwnTests] = run_own_tests
    # Starts the code-quality review of a file implementing a problem beside its grading.
    review: Callable[[Path, Problem], Reviewing] | None = Reviewing
    launch_keeper: Callable[[Context, Session], None] | None = None


@dataclass(kw_only=True)
class Context(Setup):
    """A Setup with the kit and the practice folder a command works on."""

    kit: Kit
    practice: Practice
    style: Style
    graded: list[str] = field(default_factory=list)  # sessions this process has graded

    @classmethod
    def of(cls, setup: Setup, kit: Kit, practice: Practice) -> Context:
        """`setup`'s context for `kit` and `practice`, in colour when its output wants it."""
        given = {each.name: getattr(setup, each.name) for each in fields(Setup)}
        return cls(**given, kit=kit, practice=practice,
                   style=Style(wants_colour(setup.out, setup.environ)))

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(f"timer: warning: {text}", file=self.err, flush=True)

    def folder(self, session: Session) -> Path:
        return self.practice.session_dir(session.id)

    def records(self) -> list[history.SessionRecord]:
        """The sessions in the history, oldest first (each unreadable line is warned of)."""
        return history.read(self.practice.history, self.warn).sessions

    def keep(self, session: Session) -> None:
        """Make sure a deadline keeper looks after `session` from now on."""
        if self.launch_keeper is not None:
            self.launch_keeper(self, session)
