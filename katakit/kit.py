"""The kit's vocabulary: its problems, discovered from ``katas/*.py`` and described by each kata's
problem card, and the categories every test is marked with. The timer and the test suites both read
them from here."""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .errors import StateError, UsageError


class Size(StrEnum):
    """How long a problem is: the full 15/60/15 box, or the second slot of a mock."""

    FULL = "full"
    SHORT = "short"
    UNKNOWN = "?"  # the card does not say


class Level(StrEnum):
    """What a session grades: every category, or all but the extensions."""

    FULL = "full"
    BASE = "base"


FULL, BASE = Level.FULL, Level.BASE
LEVELS = tuple(Level)
_OLD_LEVELS = {"core": BASE}  # history and sessions written before "core" meant only the bar
HINTS, CHANGE_REQUEST = "\nHints:", "\nChange request:"  # the card's last two sections, in order
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
KATAS = "katas"  # the folder of the problems, in the kit's root


class Category(StrEnum):
    """The one marker each test carries: which part of the problem card it grades."""

    CORE = "core"
    EDGE = "edge"
    ERRORS = "errors"
    CONCURRENCY = "concurrency"
    EXTENSION = "extension"
    PERF = "perf"
    CHANGE = "change"

    @property
    def description(self) -> str:
        return _CATEGORY_TEXT[self]

    @staticmethod
    def rank(name: str) -> tuple[int, str]:
        """Where a category sorts: the kit's in their order above, then any other by name."""
        known = list(Category)
        return (known.index(name), "") if name in known else (len(known), name)


_CATEGORY_TEXT = {
    Category.CORE: "the 60-minute bar: the main happy paths of the problem card's Core section",
    Category.EDGE: "boundaries and subtle cases: copies, empty inputs, ordering, equality traps",
    Category.ERRORS: "wrong types, bad values and domain failures raise the documented exception "
                     "with a clear message",
    Category.CONCURRENCY: "threads, async workers, races and deadlock freedom",
    Category.EXTENSION: "the problem card's Extensions (the stretch part)",
    Category.PERF: "complexity checked as a ratio between two sizes or two strategies in one run",
    Category.CHANGE: "the sealed change request, revealed during the code phase",
}


def level_named(text: str) -> str:
    """A level as recorded, read in today's words (an old "core" is today's "base")."""
    return _OLD_LEVELS.get(text, text)


@dataclass(frozen=True)
class Problem:
    """One kata: its name, what its card says, and where its files are."""

    name: str
    title: str
    size: Size
    card: str  # the kata's module docstring
    root: Path

    @property
    def kata(self) -> Path:
        return self.root / KATAS / f"{self.name}.py"

    @property
    def solution(self) -> Path:
        return self.root / "solutions" / f"{self.name}.py"

    @property
    def tests(self) -> Path:
        return self.root / "tests" / f"test_{self.name}.py"

    @property
    def mutants(self) -> Path:
        """The folder of the solution's wrong copies (``tests/mutants/NAME/BUG.py``)."""
        return self.root / "tests" / "mutants" / self.name

    @property
    def design(self) -> Path:
        """The model design: what a strong candidate writes in the design phase."""
        return self.root / "solutions" / f"{self.name}.md"

    @property
    def hints(self) -> list[str]:
        """The card's staged hints, least revealing first, each joined onto one line."""
        _, found, section = self.card.partition(HINTS)
        if not found:
            return []
        hints = re.split(r"^\s*\d+\.\s+", section.partition(CHANGE_REQUEST)[0], flags=re.M)[1:]
        return [" ".join(hint.split()) for hint in hints]

    @property
    def change_request(self) -> str:
        """The card's sealed change request, revealed during the code phase ("" if it has none)."""
        return self.card.partition(CHANGE_REQUEST)[2].strip()

    @property
    def card_without_hints(self) -> str:
        """The card up to its Hints section: the hints are handed out one at a time, and the change
        request after them is sealed until the code phase reveals it."""
        return self.card.partition(HINTS)[0].partition(CHANGE_REQUEST)[0].rstrip()


def read_card(path: Path) -> str:
    """The module docstring of `path`, read without importing it; ValueError if unreadable."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read it: {exc}") from exc
    except SyntaxError as exc:
        raise ValueError(f"SyntaxError line {exc.lineno}") from exc
    return ast.get_docstring(tree) or ""


def problem_from(path: Path, root: Path) -> Problem:
    """The Problem a kata file describes; a card that cannot be read still names the problem."""
    try:
        card = read_card(path)
    except ValueError as exc:
        return Problem(path.stem, f"(unreadable card: {exc})", Size.UNKNOWN, "", root)
    lines = card.splitlines()
    title = lines[0].strip() if lines else "(no problem card)"
    stated = re.search(r"^Size: (\w+)\s*$", card, re.M)
    size = Size(stated.group(1)) if stated and stated.group(1) in (Size.FULL, Size.SHORT) \
        else Size.UNKNOWN
    return Problem(path.stem, title, size, card, root)


@dataclass(frozen=True)
class Mutant:
    """A wrong solution with one classic bug (``tests/mutants/NAME/BUG.py``), stated as text
    replacements applied to the solution, with the tests that catch it."""

    path: Path
    bug: str  # the spec's docstring
    replace: tuple[tuple[str, str], ...]
    caught_by: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> Mutant:
        """Parse a mutant spec without running it; ValueError naming what is wrong."""
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (OSError, UnicodeDecodeError, SyntaxError) as exc:
            raise ValueError(f"mutant {path.name}: cannot read it: {exc}") from exc
        values = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                  for target in node.targets if isinstance(target, ast.Name)}
        if "REPLACE" not in values:
            raise ValueError(f"mutant {path.name}: no REPLACE = [(old, new), ...] list")
        literal = {name: ast.literal_eval(value) for name, value in values.items()
                   if name in ("REPLACE", "CAUGHT_BY")}
        return cls(path, ast.get_docstring(tree) or "",
                   tuple(map(tuple, literal["REPLACE"])), tuple(literal.get("CAUGHT_BY", ())))

    def source(self, solution: str) -> str:
        """The solution's source with the replacements applied; ValueError unless each `old`
        occurs exactly once."""
        for old, new in self.replace:
            found = solution.count(old)
            if found != 1:
                raise ValueError(f"mutant {self.path.name}: {old!r} occurs {found} times in the "
                                 f"solution, expected exactly once")
            solution = solution.replace(old, new)
        return solution


class Kit:
    """The kit rooted at `root`: problems are found by globbing ``katas/*.py`` every time."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def katas(self) -> Path:
        """The folder whose ``NAME.py`` files are the problems."""
        return self.root / KATAS

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.katas.glob("*.py") if _NAME.match(p.stem))

    def problems(self) -> list[Problem]:
        return [problem_from(self.katas / f"{name}.py", self.root) for name in self.names()]

    def problem_of(self, path: Path) -> str | None:
        """The problem a file implements: its name (``docstore.py``) or, for a file named
        otherwise, its folder's (``tests/mutants/docstore/bug.py``); None when neither is one."""
        known = self.names()
        return next((c for c in (path.stem, path.resolve().parent.name) if c in known), None)

    def problem(self, name: str) -> Problem:
        """The problem called `name`; UsageError listing the known ones and a close match."""
        known = self.names()
        if name not in known:
            raise UsageError(unknown_kata_message(name, known))
        return problem_from(self.katas / f"{name}.py", self.root)

    def require_tests(self, problem: Problem) -> None:
        """StateError unless the problem's tests and reference solution are both there."""
        for path in (problem.tests, problem.solution):
            if not path.is_file():
                raise StateError(f"{problem.name} cannot be graded yet: "
                                 f"{path.relative_to(self.root)} is missing")


def unknown_kata_message(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f"did you mean {close[0]!r}? " if close else ""
    listing = ", ".join(known) if known else "none (katas/ holds no .py files)"
    return f"unknown kata {name!r}: {suggestion}known katas: {listing}"
