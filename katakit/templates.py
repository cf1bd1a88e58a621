"""The files a new session starts with: the design template, the kata copy, the test template."""

from __future__ import annotations

import ast
from pathlib import Path

from . import invocation
from .clock import duration
from .design import DESIGN_HEADINGS
from .kit import Problem
from .session import PhaseName, Session

DESIGN = """\
# Design: {title}

Kata `{name}` ({size}), session `{id}`. This file is yours during the design phase
({box}); after that it is read-only and its snapshot is what counts.

## Problem card

```text
{card}

{hints}
```
""" + "".join(f"\n## {heading}\n" for heading in DESIGN_HEADINGS)

TESTS = '''\
"""My tests for {name}, written in the tests phase against my {name}.py.

Run them here with `python -m pytest test_mine.py`. When the session ends they run against my
{name}.py under coverage, and against the reference solution: a good test passes there too, so a
failure there means a wrong expectation.
"""

import pytest

import {name}
'''


def hints_line(problem: Problem) -> str:
    return f"Hints: {invocation.command('hint', problem.name)} shows them one at a time (counted)."


def write_session_files(folder: Path, problem: Problem, session: Session) -> None:
    """The file of each phase for a new session in `folder`: the design template, the kata's
    skeleton, the test template.

    The card's hints stay out of both copies: `hint` hands them out one at a time and counts them.
    """
    design, code, tests = (session.phase(name) for name in PhaseName)
    (folder / design.file).write_text(DESIGN.format(
        title=problem.title, name=problem.name, size=problem.size, id=session.id,
        box=duration(design.box), card=problem.card_without_hints,
        hints=hints_line(problem)), encoding="utf-8")
    kata = problem.kata.read_text(encoding="utf-8")
    (folder / code.file).write_text(without_hints(kata, hints_line(problem)), encoding="utf-8")
    (folder / tests.file).write_text(TESTS.format(name=problem.name), encoding="utf-8")


def without_hints(source: str, replacement: str) -> str:
    """The kata's source with its docstring's Hints section replaced by `replacement`."""
    try:
        node = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return source
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)):
        return source
    lines = source.splitlines(keepends=True)
    start = _offset(lines, node.lineno, node.col_offset)
    end = _offset(lines, node.end_lineno, node.end_col_offset)
    docstring = source[start:end]
    cut = docstring.find("\nHints:")
    if cut < 0:
        return source
    return source[:start] + docstring[:cut] + f"\n{replacement}\n" + docstring[-3:] + \
        source[end:]


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """The string index of an ast position (its column counts UTF-8 bytes, not characters)."""
    line = lines[lineno - 1].encode("utf-8")[:col].decode("utf-8", errors="ignore")
    return sum(map(len, lines[:lineno - 1])) + len(line)
