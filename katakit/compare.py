"""The graded snapshot beside the reference solution: the diff, the tests only the reference
passes, and how the two compare in size.

Both sides are compared as code: the session's copy carries the whole problem card as its module
docstring and the reference a line of its own, so module docstrings are left out of the diff, and
no docstring counts as a line of code.
"""

from __future__ import annotations

import ast
import difflib
import io
import tokenize

from .results import Case
from .terminal import Style, table


def without_module_docstring(source: str) -> str:
    """`source` with its module docstring (and the blank lines after it) taken out."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    first = tree.body[0] if tree.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return source
    lines = source.splitlines(keepends=True)
    rest = lines[first.end_lineno:]
    while rest and not rest[0].strip():
        rest.pop(0)
    return "".join(lines[:first.lineno - 1] + rest)


def diff_lines(mine: str, reference: str, mine_label: str, reference_label: str,
               style: Style) -> list[str]:
    """A unified diff of the code from the snapshot to the reference (green additions, red
    removals), module docstrings left out on both sides."""
    lines = [style(line, *_diff_style(line))
             for line in difflib.unified_diff(without_module_docstring(mine).splitlines(),
                                              without_module_docstring(reference).splitlines(),
                                              mine_label, reference_label, lineterm="")]
    return lines or ["(the code of the snapshot is identical to the reference's)"]


# A diff line's style by how it starts, the first match winning: the file names, additions,
# removals, hunk headers.
_DIFF_STYLES = (("---", "bold"), ("+++", "bold"), ("+", "green"), ("-", "red"), ("@@", "cyan"))


def _diff_style(line: str) -> tuple[str, ...]:
    return next(((style,) for start, style in _DIFF_STYLES if line.startswith(start)), ())


def _docstring_lines(tree: ast.Module) -> set[int]:
    """The line numbers taken by docstrings: the module's, each class's and each function's."""
    taken: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant) \
                and isinstance(node.body[0].value.value, str):
            taken.update(range(node.body[0].lineno, node.body[0].end_lineno + 1))
    return taken


def _code_lines(source: str, tree: ast.Module | None) -> int:
    """Lines holding code: neither blank, a comment, nor part of a docstring."""
    docstrings = _docstring_lines(tree) if tree is not None else set()
    comments: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        pass
    return sum(1 for number, line in enumerate(source.splitlines(), 1)
               if line.strip() and number not in docstrings
               and not (number in comments and line.strip().startswith("#")))


def size(source: str) -> dict[str, str]:
    """Lines, code lines, classes and public functions/methods of a module's source."""
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {"lines": str(len(lines)), "code lines": str(_code_lines(source, None)),
                "classes": "?", "public functions and methods": "?"}
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    functions = [node for owner in (tree, *classes) for node in owner.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and (not node.name.startswith("_") or node.name.endswith("__"))]
    return {"lines": str(len(lines)), "code lines": str(_code_lines(source, tree)),
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
