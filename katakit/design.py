"""Designs in markdown: the model design of a problem (``solutions/NAME.md``) and the candidate's
``design.md``, both under the headings of DESIGN_HEADINGS.

A model design's ``## Key decisions`` lists one decision per bullet, each followed by the keywords
that show a design took it: ``<!-- keys: deep copy, deepcopy, copy on read -->``. Its last section,
``## Follow-ups``, holds the questions an interviewer asks once the code works: one ``###`` heading
per question, its model answer below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DESIGN_HEADINGS = ("Requirements and assumptions", "API", "Data model", "Key decisions",
                   "Complexity", "Edge cases", "Test plan")
FOLLOW_UPS = "Follow-ups"
_KEYS = re.compile(r"<!--\s*keys:(.*?)-->", re.S)


@dataclass
class Decision:
    text: str
    keys: list[str]


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
    """Each ``## heading`` (at `level`) of a markdown text with the body under it, in order."""
    marker = "#" * level + " "
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(marker):
            current = found.setdefault(line[len(marker):].strip(), [])
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(body).strip() for heading, body in found.items()}


def parse(text: str) -> Design:
    """A design's sections, its key decisions with their keywords, and its follow-ups."""
    design = Design(sections(text))
    for item in re.split(r"^- ", design.sections.get("Key decisions", ""), flags=re.M)[1:]:
        keys = _KEYS.search(item)
        design.decisions.append(Decision(
            " ".join(_KEYS.sub("", item).split()),
            [k.strip() for k in keys.group(1).split(",") if k.strip()] if keys else []))
    for question, answer in sections(design.sections.get(FOLLOW_UPS, ""), level=3).items():
        design.follow_ups.append(FollowUp(question, answer))
    return design


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[-_`*]", " ", text.lower()).split())


def decisions_found(decisions: list[Decision], candidate_text: str) -> list[bool]:
    """For each decision, whether any of its keywords appears in the candidate's text (case,
    hyphens, underscores and backticks ignored): a keyword check, not a grade."""
    text = _normal(candidate_text)
    return [any(_normal(key) in text for key in decision.keys) for decision in decisions]


def decisions_line(decisions: list[Decision], found: list[bool], limit: int = 3) -> str:
    """``design: 4 of 7 key decisions found in design.md (a keyword check, not a grade); missing:
    ...`` with the first `limit` missing decisions, each shortened to its first clause."""
    line = f"design: {sum(found)} of {len(decisions)} key decisions found in design.md " \
           f"(a keyword check, not a grade)"
    missing = [d.text.split(":")[0].rstrip(".") for d, hit in zip(decisions, found) if not hit]
    if not missing:
        return line
    more = f"; and {len(missing) - limit} more" if len(missing) > limit else ""
    return f"{line}; missing: {'; '.join(missing[:limit])}{more}"


def side_by_side(yours: str, model: str) -> list[str]:
    """Both designs heading by heading, in the model's order: yours, then the model's."""
    mine, theirs = sections(yours), sections(model)
    lines: list[str] = []
    for heading in [*DESIGN_HEADINGS, *(h for h in theirs if h not in DESIGN_HEADINGS)]:
        if heading not in theirs and heading not in mine:
            continue
        lines += [f"## {heading}", "", "-- yours:"]
        lines += (mine.get(heading) or "(empty)").splitlines()
        lines += ["", "-- model:"]
        lines += (theirs.get(heading) or "(none)").splitlines()
        lines.append("")
    return lines
