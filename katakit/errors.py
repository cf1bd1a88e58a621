"""The two ways a command fails: one line for the user and an exit code, never a traceback."""

from __future__ import annotations


class TimerError(Exception):
    """A failure the user can act on; ``exit_code`` is what the command line returns."""

    exit_code = 1


class UsageError(TimerError):
    """Bad input on the command line: an unknown kata, malformed boxes, a missing file."""

    exit_code = 2


class StateError(TimerError):
    """The practice folder is not in a state the command can work with."""

    exit_code = 1
