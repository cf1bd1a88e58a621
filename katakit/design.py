"""Designs in markdown: the model design of a problem (``solutions/NAME.md``) and the candidate's
``design.md``, both under the headings of DESIGN_HEADINGS.

A model design's ``## Key decisions`` lists one decision per bullet, each followed by the keywords
that show a design took it: ``<!-- keys: deep copy, deepcopy, copy on read -->``. A decision that
only the card's sealed change request calls for ends its keywords with ``; change request``: no
design can take it before the change is revealed, so the keyword check leaves it out. The last
section, ``## Follow-ups``, holds the questions an interviewer asks once the code works: one
``###`` heading per question, its model answer below it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from . import fields, invocation

DESIGN_HEADINGS = ("Requirements and assumptions", "API", "Data model", "Key decisions",
                   "Complexity", "Edge cases", "Test plan")
FOLLOW_UPS = "Follow-ups"
WIDTH = 100  # columns the marked decisions are wrapped to, as the model designs' own lines
PROBLEM_CARD = "Problem card"  # the section a session's design.md starts with (templates.py)
_KEYS = re.compile(r"<!--\s*keys:(.*?)-->", re.S)
_CHANGE = re.compile(r";\s*change request\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class Decision:
    text: str
    keys: list[str]
    change: bool = False  # called for only by the sealed change request


@dataclass
class FollowUp:
    question: str
    answer: str


@dataclass
class Design:
    sections: dict[str, str] = field(default_factory=dict)  # heading -> body, in order
    decisions: list[Decision] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


def sections(text: str, level: int = 2) -> dict[str, str]:
    """Each ``## heading`` (at `level`) of a markdown text with the body under it, in order. A
    line inside a fenced block (a problem card, a code sample) is never a heading."""
    marker = "#" * level + " "
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if line.startswith(marker) and not fenced:
            current = found.setdefault(line[len(marker):].strip(), [])
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(body).strip() for heading, body in found.items()}


def _keys(comment: str) -> list[str]:
    """The keywords of a ``keys:`` comment, split at commas, except a comma inside brackets that
    close: ``isinstance(value, bool)`` stays one keyword, ``min(`` is one of its own."""
    pieces, keys = comment.split(","), []
    while pieces:
        key = pieces.pop(0)
        while _open(key) > 0 and any(_open(piece) < 0 for piece in pieces):
            key += "," + pieces.pop(0)
        keys.append(key.strip())
    return [key for key in keys if key]


def _open(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def parse(text: str) -> Design:
    """A design's sections, its key decisions with their keywords, and its follow-ups."""
    design = Design(sections(text))
    for item in re.split(r"^- ", design.sections.get("Key decisions", ""), flags=re.M)[1:]:
        keys = _KEYS.search(item)
        words = keys.group(1) if keys else ""
        design.decisions.append(Decision(" ".join(_KEYS.sub("", item).split()),
                                         _keys(_CHANGE.sub("", words)),
                                         bool(_CHANGE.search(words))))
    for question, answer in sections(design.sections.get(FOLLOW_UPS, ""), level=3).items():
        design.follow_ups.append(FollowUp(question, answer))
    return design


def own_text(text: str) -> str:
    """What the candidate wrote in a design.md: the bodies of its sections, without the problem
    card the session put there, the headings, the template's lines above the first heading, or
    HTML comments. A text without any ``##`` heading counts whole."""
    found = sections(text)
    kept = [body for heading, body in found.items() if heading != PROBLEM_CARD] if found \
        else [text]
    return _COMMENT.sub(" ", "\n".join(kept))


def _normal(text: str) -> str:
    """Lower case, hyphens, underscores, backquotes and stars as spaces, and a plural's final s
    dropped (from words of four letters or more, on both sides alike: "topics" is "topic")."""
    text = " ".join(re.sub(r"[-_`*]", " ", text.lower()).split())
    return re.sub(r"(?<=[a-z]{3})s\b", "", text)


def decisions_found(decisions: list[Decision], candidate_text: str) -> list[bool]:
    """For each decision, whether any of its keywords appears in the candidate's text (case,
    hyphens, underscores, backticks and plurals ignored; a keyword starts a word, so ``counter``
    is not found in "encounter", but ``bucket`` is in "bucketing"): a keyword check, not a
    grade."""
    text = _normal(candidate_text)
    return [any(re.search(r"(?<![a-z0-9])" + re.escape(_normal(key)), text)
                for key in decision.keys if _normal(key))
            for decision in decisions]


def short(decision: Decision, width: int = 90) -> str:
    """A decision by its first clause (up to its first colon or semicolon), at most `width`
    characters."""
    text = re.split(r"[:;]\s", decision.text, maxsplit=1)[0].rstrip(".")
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def decisions_lines(found: int, total: int, missing: list[str], more: str,
                    limit: int = 3) -> list[str]:
    """The scorecard's design block: ``design: 4 of 7 key decisions found in design.md (a keyword
    check, not a grade); missing:``, then the first `limit` missing decisions one a line, and
    `more` (where to see the rest) after a count of those left out."""
    line = f"design: {found} of {total} key decisions found in design.md " \
           f"(a keyword check, not a grade)"
    if not missing:
        return [line]
    lines = [f"{line}; missing:", *(f"  {text}" for text in missing[:limit])]
    if len(missing) > limit:
        lines.append(f"  and {len(missing) - limit} more: {more}")
    return lines


@dataclass
class DesignCheck:
    """How many of the model's key decisions the keyword check found in a design, and which
    were missing (each by its first clause)."""

    found: int
    total: int
    missing: list[str]

    @classmethod
    def from_json(cls, value: Any, what: str) -> DesignCheck:
        """The check as the history keeps it; ValueError naming what is wrong."""
        data = fields.obj(value, what)
        found, total = (fields.whole(data.get(key), f"{what} {key}") for key in ("found", "total"))
        if found > total:
            raise ValueError(f"{what} found {found} of only {total} key decisions")
        return cls(found, total, [fields.text(text, f"{what} missing") for text in
                                  fields.listed(data.get("missing", []), f"{what} missing")])

    def lines(self) -> list[str]:
        return decisions_lines(self.found, self.total, self.missing,
                               invocation.command("compare", "--design"))


def side_by_side(yours: str, model: str, found: list[bool] | None = None) -> list[str]:
    """Both designs heading by heading, in the model's order (then any section only yours has):
    yours, then the model's. The model's key decisions are marked with whether the keyword check
    found each in yours (when `found` is given), and its keyword comments left out. The
    follow-ups are not shown: the interviewer asks them (``timer.py followups``)."""
    mine, theirs = sections(yours), sections(model)
    decisions = parse(model).decisions
    order = [*DESIGN_HEADINGS, *(h for h in theirs if h not in DESIGN_HEADINGS),
             *(h for h in mine if h not in DESIGN_HEADINGS and h not in theirs)]
    lines: list[str] = []
    for heading in order:
        if heading in (FOLLOW_UPS, PROBLEM_CARD) or \
                (heading not in theirs and heading not in mine):
            continue
        lines += [f"## {heading}", "", "-- yours:"]
        lines += (_COMMENT.sub("", mine.get(heading, "")).strip() or "(empty)").splitlines()
        lines += ["", "-- model:"]
        if heading == "Key decisions" and decisions and found is not None:
            for decision, hit in zip(decisions, found, strict=True):
                mark = "change request" if decision.change else ("found" if hit else "missing")
                lines += textwrap.wrap(f"- [{mark}] {decision.text}", WIDTH,
                                       subsequent_indent="  ")
                if not hit and not decision.change:
                    lines += textwrap.wrap(f"(keywords looked for: {', '.join(decision.keys)})",
                                           WIDTH, initial_indent="  ", subsequent_indent="  ")
        else:
            body = "\n".join(line for line in _COMMENT.sub("", theirs.get(heading, ""))
                             .splitlines() if line.strip() or not line)
            lines += (body.strip() or "(none)").splitlines()
        lines.append("")
    return lines
