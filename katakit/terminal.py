"""Output: colour only on a terminal and never with NO_COLOR, and the clock's live line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from typing import TextIO

_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def wants_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour for a terminal, unless NO_COLOR is set (https://no-color.org) or TERM is dumb."""
    return is_tty(stream) and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    """``style(text, "bold", "red")``: the text with ANSI styles when enabled, as is otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        return f"\033[{';'.join(_CODES[s] for s in styles)}m{text}\033[0m"


def passed_colour(every: bool, some: bool) -> str:
    """A grade's colour: green when every test passed, yellow when some did, red otherwise."""
    if every:
        return "green"
    return "yellow" if some else "red"


def table(rows: list[list[str]], header: list[str] | None = None, indent: str = "") -> list[str]:
    """Left-aligned columns separated by two spaces (no trailing blanks)."""
    rows = ([header] if header else []) + rows
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
            .rstrip() for row in rows]


def bar(fraction: float, width: int) -> str:
    done = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + "#" * done + "-" * (width - done) + "]"


class Screen:
    """Where the clock speaks: on a terminal one line redrawn in place, bells and banners;
    elsewhere (a pipe, CI) plain lines only, one per event."""

    def __init__(self, out: TextIO, live: bool, style: Style,
                 columns: Callable[[], int] | None = None) -> None:
        self.out = out
        self.live = live
        self.style = style
        self.columns = columns or (lambda: shutil.get_terminal_size((80, 24)).columns)
        self._showing = False

    def say(self, text: str = "") -> None:
        self._clear()
        print(text, file=self.out, flush=True)

    def banner(self, text: str) -> None:
        """A phase change or a warning: rung and framed on a terminal, one line elsewhere."""
        if not self.live:
            self.say(text)
            return
        self._clear()
        self.out.write("\a")
        rule = "=" * min(self.columns() - 1, max(40, len(text) + 8))
        self.say(self.style(rule, "bold"))
        self.say(self.style(f"    {text}", "bold"))
        self.say(self.style(rule, "bold"))

    def status(self, text: str) -> None:
        """The live line (terminals only): redrawn in place, padded over what was there."""
        if not self.live:
            return
        width = max(10, self.columns() - 1)
        self.out.write("\r" + text[:width].ljust(width))
        self.out.flush()
        self._showing = True

    def typed(self) -> None:
        """A line was typed: the terminal echoed it onto the live line and moved down one; go
        back up, so that what comes next replaces both."""
        if self.live:
            self.out.write("\033[F")
            self._showing = True

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._showing:
            self.out.write("\r" + " " * max(10, self.columns() - 1) + "\r")
            self._showing = False
