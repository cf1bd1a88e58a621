"""The code-quality review: ruff, with the kit's rule set (``[tool.ruff]`` in pyproject.toml),
run on the candidate's code beside the reference solution. It is feedback for the candidate, never
part of the score.

ruff runs once for the candidate's file, the reference and the kata's skeleton, started before the
tests so it costs no time of its own; it reports every function's McCabe complexity (the threshold
lowered to 0), of which only those over the kit's limit count as findings. Without ruff installed,
the review is one line saying what to install.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fields, invocation
from .errors import reason
from .kit import Problem
from .session import shown

# Rule families, the most important first: what the review lists first.
FAMILIES = (
    ("likely bugs", ("B", "E722", "F821", "F811", "F823")),
    ("complexity", ("C901", "PLR")),
    ("naming", ("N",)),
    ("unused code", ("F",)),
    ("simpler forms", ("SIM",)),
)
_COMPLEXITY = re.compile(r"^`(?P<name>[^`]+)` is too complex \((?P<value>\d+) > \d+\)")
TOP_FINDINGS = 3
MODULE_LEVEL = "module level"  # where a finding outside any function or class is
CONFIG = "pyproject.toml"  # in the kit's folder: the rules, whatever folder the reviewed file is in
RUFF_WALL = 20.0  # seconds ruff may take before the review is given up (it takes milliseconds)
RUFF_COMPLEXITY = 10  # ruff's own McCabe limit, when the kit's configuration sets none


def family(code: str) -> str:
    return next((name for name, prefixes in FAMILIES if code.startswith(prefixes)), "other")


def _rank(code: str) -> int:
    return next((i for i, (name, _) in enumerate(FAMILIES) if name == family(code)), len(FAMILIES))


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    line: int
    function: str  # the innermost function or class around the line (``Class.method``)


@dataclass
class Review:
    """What ruff found in one file, and its longest and most complex functions."""

    findings: list[Finding] = field(default_factory=list)
    longest: tuple[str, int] | None = None  # (function, lines)
    most_complex: tuple[str, int] | None = None  # (function, McCabe complexity)
    error: str | None = None  # the file could not be reviewed (a syntax error)

    def by_family(self) -> Counter[str]:
        return Counter(family(f.code) for f in self.findings)

    def top(self, count: int = TOP_FINDINGS) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (_rank(f.code), f.line))[:count]

    def to_record(self) -> ReviewRecord:
        """What the history keeps of a review: the numbers, or only why there are none."""
        if self.error:
            return ReviewRecord(error=self.error)
        return ReviewRecord(len(self.findings), dict(self.by_family()), self.longest,
                            self.most_complex)


@dataclass
class ReviewRecord:
    """A review as the history keeps it: how many findings, by family, the longest and the
    most complex function (each ``(name, count)``), and the reference's review beside it; or
    only why the file could not be reviewed."""

    findings: int | None = None  # None: not reviewed, `error` says why
    families: dict[str, int] = field(default_factory=dict)
    longest: tuple[str, int] | None = None
    complexity: tuple[str, int] | None = None
    error: str | None = None
    reference: ReviewRecord | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.error} if self.error else {
            "findings": self.findings, "families": self.families,
            "longest": list(self.longest) if self.longest else None,
            "complexity": list(self.complexity) if self.complexity else None}
        if self.reference is not None:
            data["reference"] = self.reference.to_json()
        return data

    @classmethod
    def from_json(cls, value: Any, what: str, mine: bool = True) -> ReviewRecord:
        """ValueError naming what is wrong; the reference's review has none of its own."""
        data = fields.obj(value, what)
        if data.get("error") is not None:
            return cls(error=fields.text(data["error"], f"{what} error"))
        families = fields.obj(data.get("families") or {}, f"{what} families")
        reference = data.get("reference") if mine else None
        return cls(fields.whole(data.get("findings", 0), f"{what} findings"),
                   {str(k): fields.whole(v, f"{what} families {k}") for k, v in families.items()},
                   _named_count(data.get("longest"), f"{what} longest"),
                   _named_count(data.get("complexity"), f"{what} complexity"),
                   reference=None if reference is None else
                   cls.from_json(reference, f"{what} reference", mine=False))


def _named_count(value: Any, what: str) -> tuple[str, int] | None:
    """``[function, count]`` (the longest function and its lines, say), or None."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise ValueError(f"{what} is {fields.shown(value)}, expected [name, count]")
    return value[0], fields.whole(value[1], what)


def available() -> bool:
    """Whether ruff is installed for the Python that runs the timer."""
    return importlib.util.find_spec("ruff") is not None


def install_hint(kit_root: Path) -> str:
    """``ruff is not installed; `python -m pip install ruff==0.17.5` installs it``, with the pin
    of the kit's requirements.txt (the bare name when it has none)."""
    package = "ruff"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for line in (kit_root / "requirements.txt").read_text(encoding="utf-8").splitlines():
            if re.match(r"ruff\s*[=<>~!]", line.strip()):
                package = line.split("#")[0].replace(" ", "")
                break
    return f"ruff is not installed; {invocation.python_command('-m', 'pip', 'install', package)} " \
           f"installs it"


def _ruff() -> list[str]:
    """How to run ruff: its binary, found as ``python -m ruff`` finds it but without starting a
    second Python for it; ``python -m ruff`` when that fails."""
    try:
        from ruff import find_ruff_bin  # the package only locates the binary: a millisecond
        return [find_ruff_bin()]
    except (ImportError, OSError):
        return [sys.executable, "-m", "ruff"]


def max_complexity(config: Path) -> int:
    """The kit's McCabe limit (``[tool.ruff.lint.mccabe] max-complexity``), 10 if unset."""
    try:
        settings: Any = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return RUFF_COMPLEXITY
    for table in ("tool", "ruff", "lint", "mccabe"):
        settings = settings.get(table) if isinstance(settings, dict) else None
    limit = settings.get("max-complexity") if isinstance(settings, dict) else None
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else RUFF_COMPLEXITY


@dataclass(frozen=True)
class Diagnostic:
    """One entry of ruff's JSON report."""

    code: str
    message: str
    file: Path
    line: int

    @classmethod
    def from_json(cls, value: Any, what: str) -> Diagnostic:
        data = fields.obj(value, what)
        location = fields.obj(data.get("location"), f"{what} location")
        return cls(fields.optional(fields.text, data.get("code"), f"{what} code") or "E999",
                   fields.text(data.get("message"), f"{what} message"),
                   Path(fields.text(data.get("filename"), f"{what} filename")),
                   fields.whole(location.get("row"), f"{what} row"))


class ReviewRun:
    """One ruff run over some files, started at once and read when needed."""

    def __init__(self, files: list[Path], config: Path) -> None:
        self.files = files
        self.limit = max_complexity(config)
        # Resolved, as ruff names them in its report, and each once (`check --file` of the
        # reference itself names it twice).
        names = list(dict.fromkeys(str(path.resolve()) for path in files))
        self.process = subprocess.Popen(
            [*_ruff(), "check", "--output-format", "json", "--no-cache",
             "--exit-zero", "--config", str(config), "--config", "lint.mccabe.max-complexity = 0",
             *names],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> dict[Path, Review]:
        """A review per file; a file ruff could not read gets one with its error."""
        try:
            out, err = self.process.communicate(timeout=RUFF_WALL)
        except subprocess.TimeoutExpired:
            self.cancel()
            out, err = "", f"no result within {RUFF_WALL:g} s"
        try:
            diagnostics = [Diagnostic.from_json(item, f"ruff's diagnostic {number}")
                           for number, item in enumerate(fields.listed(json.loads(out), "ruff's "
                                                                       "report"), 1)]
        except (ValueError, RecursionError) as exc:
            why = (err.strip().splitlines() or ["no output"])[-1] if not out.strip() else \
                f"its report cannot be read ({reason(exc)})"
            return {path: Review(error=f"ruff failed: {why}") for path in self.files}
        return {path: self._review(path, [d for d in diagnostics if d.file == path.resolve()])
                for path in self.files}

    def cancel(self) -> None:
        """Stop ruff if it is still running (the grading it went beside was interrupted)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def _review(self, path: Path, diagnostics: list[Diagnostic]) -> Review:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
            return Review(error=f"cannot review {path.name}: {type(exc).__name__}")
        scopes = _scopes(tree)
        functions = [(name, node) for name, node in scopes if not isinstance(node, ast.ClassDef)]
        review = Review()
        if functions:
            name, longest = max(functions, key=lambda f: f[1].end_lineno - f[1].lineno)
            review.longest = (name, longest.end_lineno - longest.lineno + 1)
        complexities = []
        for item in diagnostics:
            code, line, message = item.code, item.line, item.message
            if code == "C901" and (match := _COMPLEXITY.match(message)):
                value = int(match["value"])
                complexities.append((_enclosing(functions, line), value))
                if value <= self.limit:
                    continue
                message = f"`{match['name']}` is too complex ({value} > {self.limit})"
            review.findings.append(Finding(code, message, line, _enclosing(scopes, line)))
        if complexities:
            review.most_complex = max(complexities, key=lambda c: c[1])
        return review


Scope = tuple[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]  # (qualified name, node)


def _scopes(tree: ast.AST) -> list[Scope]:
    """Every class, function and method, named as a reader finds it: ``LRUCache.put``."""
    found: list[Scope] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((f"{prefix}{child.name}", child))
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _enclosing(scopes: list[Scope], line: int) -> str:
    """The innermost function or class around `line`, or "module level" outside any."""
    around = [(name, node) for name, node in scopes if node.lineno <= line <= node.end_lineno]
    if not around:
        return MODULE_LEVEL
    return min(around, key=lambda item: item[1].end_lineno - item[1].lineno)[0]


def quality_lines(mine: Review, reference: Review | None, more: str | None = None) -> list[str]:
    """The review in at most 7 lines: findings by family (beside the reference's count), the most
    important three, where to see the rest (`more`, a command), the longest and the most complex
    function, each beside the reference's."""
    if mine.error:
        return [f"quality: not reviewed: {mine.error}"]
    families = mine.by_family()
    summary = ", ".join(f"{name} {families[name]}" for name, _ in FAMILIES if families[name])
    counted = f" (reference {len(reference.findings)})" if reference and not reference.error \
        else ""
    lines = [f"quality (ruff, not scored): {len(mine.findings)} finding"
             f"{'s' * (len(mine.findings) != 1)}" + (f": {summary}" if summary else "") + counted]
    lines += [f"  {f.code} {_where(f.function)} (line {f.line}): {f.message}" for f in mine.top()]
    hidden = len(mine.findings) - len(mine.top())
    if hidden > 0:
        lines.append(f"  ... and {hidden} more" + (f": {more}" if more else ""))
    for label, value, theirs, unit in (
            ("longest function", mine.longest, reference and reference.longest, " lines"),
            ("highest complexity", mine.most_complex, reference and reference.most_complex, "")):
        if value is not None:
            beside = f" (reference {theirs[1]})" if theirs else ""
            lines.append(f"  {label}: {value[0]}, {value[1]}{unit}{beside}")
    return lines


def _where(function: str) -> str:
    return f"at {function}" if function == MODULE_LEVEL else f"in {function}"


# --- the review beside a grade -----------------------------------------------------------------


@dataclass
class Quality:
    """The review of one graded file beside the reference's, or why there is none."""

    mine: Review | None = None
    reference: Review | None = None
    skipped: str | None = None  # not reviewed at all: ruff missing, no rules in the kit
    more: str | None = None  # the command that lists every finding

    def lines(self, grade_failed: bool = False) -> list[str]:
        """The block; nothing when the file cannot be read and its grade has said so already."""
        if self.mine is None:
            return [f"quality: not reviewed: {self.skipped}"]
        if grade_failed and self.mine.error:
            return []
        return quality_lines(self.mine, self.reference, self.more)

    def to_record(self) -> ReviewRecord | None:
        """What the history keeps: the numbers and the reference's; None when not reviewed."""
        if self.mine is None:
            return None
        record = self.mine.to_record()
        if self.reference is not None:
            record.reference = self.reference.to_record()
        return record


class Reviewing:
    """The review of `mine`, an implementation of `problem`, beside the problem's reference
    solution, started before the grading it goes with (ruff takes milliseconds, pytest seconds)
    and read after it: it adds no wait of its own.

    What the kata itself hands the candidate (``katas/NAME.py``: the card's API, its exceptions)
    is not theirs to fix: a finding that its skeleton has too, the same rule in the same place,
    is left out.
    """

    def __init__(self, mine: Path, problem: Problem) -> None:
        self.mine, self.reference, kit_root = mine, problem.solution, problem.root
        given = problem.kata
        self.given = given if given.is_file() and given.resolve() != mine.resolve() else None
        config = kit_root / CONFIG
        self.run: ReviewRun | None = None
        self.skipped: str | None = None
        # ruff finds the kit's rules by itself for a file in the kit; elsewhere it is told them
        inside = mine.resolve().is_relative_to(kit_root.resolve())
        self.more = invocation.python_command(
            "-m", "ruff", "check", *([] if inside else ["--config", shown(config)]), shown(mine))
        if not available():
            self.skipped = install_hint(kit_root)
        elif not config.is_file():
            self.skipped = f"the kit has no {CONFIG} with its rules"
        else:
            try:
                self.run = ReviewRun([mine, self.reference, *filter(None, [self.given])], config)
            except OSError as exc:
                self.skipped = f"ruff could not start: {exc.strerror or exc}"

    def result(self) -> Quality:
        if self.run is None:
            return Quality(skipped=self.skipped)
        reviews = self.run.result()
        mine = reviews[self.mine]
        if self.given is not None:
            given = {(f.code, f.function) for f in reviews[self.given].findings}
            mine.findings = [f for f in mine.findings if (f.code, f.function) not in given]
        return Quality(mine, reviews[self.reference], more=self.more)

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
