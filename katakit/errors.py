"""The two ways a command fails: one line for the user and an exit code, never a traceback."""

from __future__ import annotations

import json


class TimerError(Exception):
    """A failure the user can act on; ``exit_code`` is what the command line returns.

    The line says `what` went wrong, then, after a colon, the `remedy` when there is one; a
    caller that words its own remedy reads ``what`` rather than cutting the line at a colon (a
    path may hold one).
    """

    exit_code = 1

    def __init__(self, what: str, remedy: str | None = None) -> None:
        super().__init__(what if remedy is None else f"{what}: {remedy}")
        self.what = what


class UsageError(TimerError):
    """Bad input on the command line: an unknown kata, malformed boxes, a missing file."""

    exit_code = 2


class StateError(TimerError):
    """The practice folder is not in a state the command can work with."""


def reason(exc: BaseException) -> str:
    """Why reading a file failed, in a few words: without the file name, the position or the
    errno that the exception's own message adds."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if isinstance(exc, UnicodeDecodeError):
        return f"not {exc.encoding} text"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
