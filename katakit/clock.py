"""Time: the clock the timer reads, how it waits without burning CPU, and how durations read.

Deadlines outlive the process that set them, so every time is wall-clock epoch seconds
(``time.time``). Everything that needs the time takes a ``now`` callable and every loop a ``wait``
callable, so tests drive them with a fake clock instead of real minutes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

Now = Callable[[], float]
Wait = Callable[[float], "str | None"]  # sleeps up to the given seconds; the line typed, if any


def system_now() -> float:
    return time.time()


class KeyboardWait:
    """Sleep until a timeout, waking early when a line arrives on a terminal's stdin: the call
    returns that line (without its newline), or None when the time ran out.

    Without a terminal (or where ``select`` cannot watch stdin, as on Windows) it simply sleeps.
    """

    def __init__(self, keyboard: TextIO | None) -> None:
        self.keyboard = keyboard if keyboard is not None and _selectable(keyboard) else None

    def __call__(self, seconds: float) -> str | None:
        seconds = max(0.0, seconds)
        if self.keyboard is None:
            time.sleep(seconds)
            return None
        import select
        ready, _, _ = select.select([self.keyboard], [], [], seconds)
        if not ready:
            return None
        try:
            line = self.keyboard.readline()
        except OSError:  # the terminal went away
            line = ""
        if line == "":
            self.keyboard = None  # end of input: select would now return at once, forever
            return None
        return line.rstrip("\r\n")


def _selectable(stream: TextIO) -> bool:
    try:
        import select
        if not stream.isatty():
            return False
        select.select([stream], [], [], 0)
        return True
    except (ImportError, OSError, ValueError, AttributeError):
        return False


def seconds_to_next_tick(remaining: float) -> float:
    """Seconds until the countdown's next whole second (so the clock also lands on deadlines)."""
    fraction = remaining - math.floor(remaining)
    return fraction if fraction > 1e-3 else 1.0


def duration(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss`` for a number of whole seconds (negative shows as 0:00)."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def time_left(seconds: float) -> str:
    """A countdown rounds up: it reads 0:00 only once the deadline is reached."""
    return duration(math.ceil(max(0.0, seconds) - 1e-6))


def clock_time(epoch: float) -> str:
    """Local time of day, ``HH:MM:SS``."""
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


def folder_stamp(epoch: float) -> str:
    """The ``YYYYMMDD-HHMMSS`` suffix of a session folder."""
    return datetime.fromtimestamp(epoch).strftime("%Y%m%d-%H%M%S")


def local_time(epoch: float) -> datetime:
    """The local time with its UTC offset, as the history keeps it."""
    return datetime.fromtimestamp(epoch).astimezone()


def day_and_time(moment: datetime | None) -> str:
    """``2025-01-31 14:05``, or ``?`` for a time not known."""
    return "?" if moment is None else moment.strftime("%Y-%m-%d %H:%M")
