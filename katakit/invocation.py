"""How the timer was run, so that every command it suggests can be pasted as it stands:
``python timer.py resume``, or ``.venv/bin/python timer.py resume`` when that is what ran."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    """The interpreter, the script and the arguments the timer was run with."""

    python: str = "python"
    script: str = "timer.py"
    args: tuple[str, ...] = ()


_ran = Ran()


def set_from(argv: list[str] | None) -> None:
    """Take the interpreter and script from the command line that ran the timer (``sys.orig_argv``
    of ``python timer.py ...``); the timer driven from code keeps ``python timer.py``."""
    global _ran
    script = next((i for i, arg in enumerate(argv or [])
                   if i and os.path.basename(arg) == "timer.py"), None)
    _ran = Ran(argv[0], argv[script], tuple(argv[script + 1:])) if argv and script is not None \
        else Ran()


def as_argv() -> list[str]:
    """What set_from needs to speak as this process does (handed to the deadline keeper)."""
    return [_ran.python, _ran.script, *_ran.args]


def command(*words: object) -> str:
    """A timer command as the user would type it, in backquotes: ```python timer.py resume```."""
    return _quoted(_ran.python, _ran.script, *words)


def python_command(*words: object) -> str:
    """A command run with the same interpreter: ```python -m pip install -r requirements.txt```."""
    return _quoted(_ran.python, *words)


def again_with(python: str) -> str:
    """The command that ran, with another interpreter."""
    return _quoted(python, _ran.script, *_ran.args)


def running_python() -> str:
    return sys.executable or _ran.python


def _quoted(*words: object) -> str:
    return "`" + " ".join(shlex.quote(str(w)) if " " in str(w) else str(w) for w in words) + "`"
