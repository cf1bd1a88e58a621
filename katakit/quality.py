"""The code-quality review: ruff, with the kit's rule set (``[tool.ruff]`` in pyproject.toml),
run on the candidate's code beside the reference solution. It is feedback for the candidate, never
part of the score.

ruff runs once for both files, started before the tests so it costs no time of its own; it reports
every function's McCabe complexity (the threshold lowered to 0), of which only those over the kit's
limit count as findings.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

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


def family(code: str) -> str:
    return next((name for name, prefixes in FAMILIES if code.startswith(prefixes)), "other")


def _rank(code: str) -> int:
    return next((i for i, (name, _) in enumerate(FAMILIES) if name == family(code)), len(FAMILIES))


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    line: int
    function: str  # the innermost function around the line, "module level" outside any


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

    def to_record(self) -> dict:
        """What the history keeps of a review."""
        return {"findings": len(self.findings), "families": dict(self.by_family()),
                "longest": list(self.longest) if self.longest else None,
                "complexity": list(self.most_complex) if self.most_complex else None,
                "error": self.error}


def available() -> bool:
    """Whether ruff is installed for the Python that runs the timer."""
    return importlib.util.find_spec("ruff") is not None


def max_complexity(config: Path) -> int:
    """The kit's McCabe limit (``[tool.ruff.lint.mccabe] max-complexity``), 10 if unset."""
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return 10
    return settings.get("tool", {}).get("ruff", {}).get("lint", {}).get("mccabe", {}).get(
        "max-complexity", 10)


class ReviewRun:
    """One ruff run over some files, started at once and read when needed."""

    def __init__(self, files: list[Path], config: Path) -> None:
        self.files = files
        self.limit = max_complexity(config)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ruff", "check", "--output-format", "json", "--no-cache",
             "--exit-zero", "--config", str(config), "--config", "lint.mccabe.max-complexity = 0",
             *map(str, files)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> dict[Path, Review]:
        """A review per file; a file ruff could not read gets one with its error."""
        out, err = self.process.communicate()
        try:
            diagnostics = json.loads(out)
        except ValueError:
            reason = (err.strip().splitlines() or ["no output"])[-1]
            return {path: Review(error=f"ruff failed: {reason}") for path in self.files}
        reviews = {}
        for path in self.files:
            mine = [d for d in diagnostics if Path(d["filename"]) == path.resolve()]
            reviews[path] = self._review(path, mine)
        return reviews

    def _review(self, path: Path, diagnostics: list[dict]) -> Review:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
            return Review(error=f"cannot review {path.name}: {type(exc).__name__}")
        functions = [node for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        review = Review()
        if functions:
            longest = max(functions, key=lambda f: f.end_lineno - f.lineno)
            review.longest = (longest.name, longest.end_lineno - longest.lineno + 1)
        complexities = []
        for item in diagnostics:
            code, line = item.get("code") or "E999", item["location"]["row"]
            message = item["message"]
            if code == "C901" and (match := _COMPLEXITY.match(message)):
                value = int(match["value"])
                complexities.append((match["name"], value))
                if value <= self.limit:
                    continue
                message = f"`{match['name']}` is too complex ({value} > {self.limit})"
            review.findings.append(Finding(code, message, line, _enclosing(functions, line)))
        if complexities:
            review.most_complex = max(complexities, key=lambda c: c[1])
        return review


def _enclosing(functions: list[ast.FunctionDef | ast.AsyncFunctionDef], line: int) -> str:
    around = [f for f in functions if f.lineno <= line <= f.end_lineno]
    return min(around, key=lambda f: f.end_lineno - f.lineno).name if around else "module level"


def quality_lines(mine: Review, reference: Review | None) -> list[str]:
    """The review in at most 6 lines: findings by family, the most important three, the longest
    and the most complex function, each beside the reference's."""
    if mine.error:
        return [f"quality: not reviewed: {mine.error}"]
    families = mine.by_family()
    summary = ", ".join(f"{name} {families[name]}" for name, _ in FAMILIES if families[name])
    lines = [f"quality (ruff, not scored): {len(mine.findings)} finding"
             f"{'s' * (len(mine.findings) != 1)}" + (f": {summary}" if summary else "")]
    lines += [f"  {f.code} in {f.function} (line {f.line}): {f.message}" for f in mine.top()]
    for label, value, theirs, unit in (
            ("longest function", mine.longest, reference and reference.longest, " lines"),
            ("highest complexity", mine.most_complex, reference and reference.most_complex, "")):
        if value is not None:
            beside = f" (reference {theirs[1]})" if theirs else ""
            lines.append(f"  {label}: {value[0]}, {value[1]}{unit}{beside}")
    return lines
