"""The graded snapshot beside the reference solution: the diff, the tests only the reference
passes, and how the two compare in size."""

from __future__ import annotations

import ast
import difflib

from .grading import Case
from .terminal import Style, table


def diff_lines(mine: str, reference: str, mine_label: str, reference_label: str,
               style: Style) -> list[str]:
    """A unified diff from the snapshot to the reference (green additions, red removals)."""
    lines = []
    for line in difflib.unified_diff(mine.splitlines(), reference.splitlines(), mine_label,
                                     reference_label, lineterm=""):
        colour = ("bold",) if line.startswith(("---", "+++")) else \
            ("green",) if line.startswith("+") else ("red",) if line.startswith("-") else \
            ("cyan",) if line.startswith("@@") else ()
        lines.append(style(line, *colour))
    return lines or ["(the snapshot is identical to the reference)"]


def size(source: str) -> dict[str, str]:
    """Lines, code lines, classes and public functions/methods of a module's source."""
    lines = source.splitlines()
    code = [line for line in lines if line.strip() and not line.strip().startswith("#")]
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {"lines": str(len(lines)), "code lines": str(len(code)), "classes": "?",
                "public functions and methods": "?"}
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    functions = [node for owner in (tree, *classes) for node in owner.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and (not node.name.startswith("_") or node.name.endswith("__"))]
    return {"lines": str(len(lines)), "code lines": str(len(code)),
            "classes": str(len(classes)), "public functions and methods": str(len(functions))}


def size_lines(mine: str, reference: str) -> list[str]:
    ours, theirs = size(mine), size(reference)
    return table([[key, ours[key], theirs[key]] for key in ours], ["SIZE", "YOURS", "REFERENCE"],
                 indent="  ")


def missed_lines(missed: list[Case], style: Style) -> list[str]:
    """The tests the reference passes and the snapshot failed, grouped by category."""
    if not missed:
        return ["Every test the reference passes, your snapshot passes too."]
    lines = [style(f"Tests the reference passes and your snapshot failed ({len(missed)}):",
                   "bold")]
    by_category: dict[str, list[Case]] = {}
    for case in missed:
        by_category.setdefault(case.category, []).append(case)
    for category, cases in by_category.items():
        lines.append(f"  {category}")
        for case in cases:
            lines.append(f"    {style(case.name, 'bold')}")
            lines.append(f"      {case.message or case.outcome}")
    return lines
