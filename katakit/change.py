"""What a change request cost: the code as it stood when the change was revealed against the code at
the deadline. Lines added and removed, and how many of the functions that existed before were
modified to absorb it: the fewer, the better the design was prepared for change.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from typing import Any

from . import fields


@dataclass
class ChangeCost:
    added: int
    removed: int
    functions_before: int
    modified: list[str] = field(default_factory=list)  # functions that existed before, changed
    error: str | None = None  # a version that does not parse: only the line counts hold

    @classmethod
    def from_json(cls, value: Any, what: str) -> ChangeCost:
        """The cost as the history keeps it; ValueError naming what is wrong."""
        data = fields.obj(value, what)
        return cls(fields.whole(data.get("added"), f"{what} added"),
                   fields.whole(data.get("removed"), f"{what} removed"),
                   fields.whole(data.get("functions_before", 0), f"{what} functions_before"),
                   [fields.text(name, f"{what} modified")
                    for name in fields.listed(data.get("modified", []), f"{what} modified")],
                   fields.optional(fields.text, data.get("error"), f"{what} error"))

    def line(self) -> str:
        """``+40 -6 lines; 2 of 11 existing functions modified (put, _evict)``."""
        text = f"+{self.added} -{self.removed} lines"
        if self.error:
            return f"{text} (functions not compared: {self.error})"
        names = f" ({', '.join(self.modified)})" if self.modified else ""
        return f"{text}; {len(self.modified)} of {self.functions_before} existing functions " \
               f"modified{names}"


def functions(source: str) -> dict[str, str]:
    """Each function and method by qualified name (``Cache.put``) with its code, the docstring and
    formatting left out, so only real changes count."""
    found: dict[str, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[f"{prefix}{child.name}"] = _code(child)
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(source), "")
    return found


def _code(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return ast.dump(function.args) + ast.dump(ast.Module(body=body, type_ignores=[]))


def change_cost(before: str, after: str) -> ChangeCost:
    """The cost of going from `before` (the code at the reveal) to `after` (at the deadline)."""
    added = removed = 0
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    try:
        old, new = functions(before), functions(after)
    except (SyntaxError, ValueError) as exc:
        return ChangeCost(added, removed, 0, error=f"{type(exc).__name__}")
    modified = [name for name, code in old.items() if new.get(name) != code]
    return ChangeCost(added, removed, len(old), modified)
