"""Looking back over the history: time use per phase, the trend per kata, skill gaps, what to
practise next, as a text report, a markdown skill-gap sheet, and a mock interview's summary."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from . import change_request
from .clock import duration
from .feedback import decisions_cell, design_trend_lines, followups_lines, study_label
from .history import Record, counts_in_scores, is_study, score_of
from .kit import Category, Problem
from .plan import STUDY_BOXES
from .report import percent
from .terminal import table

PHASES = ("design", "code", "tests")
ENDED = ("deadline", "late", "early")


def _phase(record: Record, name: str) -> dict:
    return next((p for p in record.get("phases", []) if p.get("name") == name), {})


def ran_over(record: Record, name: str) -> bool:
    """The phase's work went past its box: a late snapshot, or its file edited after its
    deadline. A phase ended early did not run over: an edit after it is a late edit."""
    ending = _phase(record, name).get("ending")
    return ending == "late" or ending == "deadline" and any(
        edit.get("phase") == name for edit in record.get("late_edits", []))


def scored(records: list[Record]) -> list[Record]:
    """The sessions whose grade counts: graded, not aborted, not unverified."""
    return [r for r in records if counts_in_scores(r)]


@dataclass
class PhaseUse:
    phase: str
    sessions: int  # sessions in which the phase ran to an end (not aborted)
    share: float | None  # average share of the box used
    over: int
    early: int


def phase_use(records: list[Record]) -> list[PhaseUse]:
    uses = []
    for name in PHASES:
        ended = [r for r in records if _phase(r, name).get("ending") in ENDED]
        shares = [_phase(r, name)["used"] / _phase(r, name)["planned"] for r in ended
                  if _phase(r, name).get("planned")]
        uses.append(PhaseUse(name, len(ended), sum(shares) / len(shares) if shares else None,
                             sum(ran_over(r, name) for r in ended),
                             sum(_phase(r, name).get("ending") == "early" for r in ended)))
    return uses


@dataclass
class Trend:
    kata: str
    sessions: int
    first: float
    best: float
    latest: float


def trends(records: list[Record]) -> list[Trend]:
    """Per kata, over its graded sessions in order: the first, best and latest score (study
    sessions on a line of their own)."""
    scores: dict[str, list[float]] = {}
    for record in scored(records):
        if (score := score_of(record)) is not None:
            scores.setdefault(study_label(record), []).append(score)
    return [Trend(kata, len(s), s[0], max(s), s[-1]) for kata, s in sorted(scores.items())]


@dataclass
class QualityTrend:
    """Per kata, the code-quality review's numbers in its first and latest reviewed session."""

    kata: str
    sessions: int
    first: dict
    latest: dict

    def cells(self) -> list[str]:
        """``docstore  2  8 / 0  41 / 25 (25)  18 / 9 (9)``: first / latest (the reference's)."""
        reference = self.latest.get("reference") or {}
        cells = [self.kata, str(self.sessions),
                 f"{self.first['findings']} / {self.latest['findings']}"]
        for key in ("longest", "complexity"):
            theirs = _number(reference, key)
            cells.append(f"{_number(self.first, key)} / {_number(self.latest, key)}" +
                         (f" ({theirs})" if theirs != "-" else ""))
        return cells


QUALITY_HEADER = ["KATA", "REVIEWED", "FINDINGS", "LONGEST FUNCTION", "HIGHEST COMPLEXITY"]


def _number(review: dict, key: str) -> str:
    """The count of a review's ``[function, count]`` entry, "-" without one."""
    value = review.get(key)
    return str(value[1]) if value else "-"


def reviewed(records: list[Record]) -> list[Record]:
    """The scored sessions whose code was reviewed for quality."""
    return [r for r in scored(records) if (r.get("quality") or {}).get("findings") is not None]


def quality_trends(records: list[Record]) -> list[QualityTrend]:
    """Per kata, over its reviewed sessions in order: the first and the latest review."""
    reviews: dict[str, list[dict]] = {}
    for record in reviewed(records):
        reviews.setdefault(record["kata"], []).append(record["quality"])
    return [QualityTrend(kata, len(r), r[0], r[-1]) for kata, r in sorted(reviews.items())]


@dataclass
class Gap:
    name: str  # a category, or a test name
    failed: int
    total: int
    kata: str = ""

    @property
    def rate(self) -> float:
        return self.failed / self.total if self.total else 0.0


def _graded_tests(records: list[Record]):
    for record in scored(records):
        for test in record.get("tests") or []:
            if test.get("outcome") in ("passed", "failed", "error", "hung"):
                yield record["kata"], test


def category_gaps(records: list[Record]) -> list[Gap]:
    """Each category's failures over all graded tests, the weakest first."""
    counts: dict[str, Gap] = {}
    for _, test in _graded_tests(records):
        gap = counts.setdefault(test["category"], Gap(test["category"], 0, 0))
        gap.total += 1
        gap.failed += test["outcome"] != "passed"
    order = {c: i for i, c in enumerate(Category)}
    return sorted(counts.values(), key=lambda g: (-g.rate, -g.failed, order.get(g.name, 99)))


def test_gaps(records: list[Record]) -> list[Gap]:
    """The tests failed most often: by count, then the most recently failed first. Once there
    are three graded sessions or more, a test failed only once is noise and left out."""
    counts: dict[tuple[str, str], Gap] = {}
    latest: dict[tuple[str, str], int] = {}
    graded = scored(records)
    for index, record in enumerate(graded):
        for test in record["tests"]:
            if test["outcome"] not in ("passed", "failed", "error", "hung"):
                continue
            key = (record["kata"], test["name"])
            gap = counts.setdefault(key, Gap(test["name"], 0, 0, record["kata"]))
            gap.total += 1
            if test["outcome"] != "passed":
                gap.failed += 1
                latest[key] = index
    least = 2 if len(graded) >= 3 else 1
    return sorted((g for g in counts.values() if g.failed >= least),
                  key=lambda g: (-g.failed, -latest[(g.kata, g.name)], g.kata, g.name))


def strengths(records: list[Record]) -> list[Gap]:
    """Categories passed at least 90% of the time, the most practised first."""
    return sorted((g for g in category_gaps(records) if g.rate <= 0.1),
                  key=lambda g: (-g.total, g.name))


def next_katas(records: list[Record], problems: list[Problem], count: int = 3
               ) -> list[tuple[str, str]]:
    """(kata, reason): the untried first, then the lowest best scores below 100%."""
    picks = []
    for problem in problems:
        mine = [r for r in records if r.get("kata") == problem.name]
        scores = [s for s in map(score_of, scored(mine)) if s is not None]
        if not scores:
            reason = "not attempted yet"
            if mine:
                unverified = any(r.get("unverified") for r in mine)
                reason = f"no {'verified ' * unverified}graded session yet"
            picks.append((-1.0, problem.name, reason))
        elif max(scores) < 1:
            weakest = category_gaps(mine)[0]
            picks.append((max(scores), problem.name,
                          f"best {percent(max(scores))} after {len(scores)} graded "
                          f"session{'s' * (len(scores) > 1)}; most failures in {weakest.name}"))
    return [(name, reason) for _, name, reason in sorted(picks)[:count]]


def pick_least_practised(problems: list[Problem], records: list[Record],
                         rng: random.Random) -> Problem:
    """One of the problems attempted least often; `rng` breaks ties."""
    attempts = {p.name: sum(r.get("kata") == p.name for r in records) for p in problems}
    fewest = min(attempts.values())
    return rng.choice([p for p in sorted(problems, key=lambda p: p.name)
                       if attempts[p.name] == fewest])


# --- the text report and the markdown sheet ----------------------------------------------------


def _date(record: Record) -> str:
    try:
        return datetime.fromisoformat(record["start"]).strftime("%Y-%m-%d %H:%M")
    except (KeyError, TypeError, ValueError):
        return "?"


def _use(record: Record, name: str) -> str:
    phase = _phase(record, name)
    if phase.get("used") is None:
        return "-"
    mark = {"early": " early", "late": " late"}.get(phase.get("ending"), "")
    return f"{duration(phase['used'])}/{duration(phase['planned'])}{mark}"


def _passed(record: Record) -> str:
    if record.get("aborted"):
        return "aborted"
    score = record.get("score")
    if not isinstance(score, dict):
        return "not graded"
    shown = f"{score['passed']}/{score['total']} {percent(score_of(record))}"
    return f"{shown} unverified" if record.get("unverified") else shown


def _coverage(record: Record) -> str:
    coverage = (record.get("own_tests") or {}).get("coverage") or {}
    if coverage.get("line") is None:
        return "-"
    return f"{coverage['line']:.0f}%/{coverage['branch']:.0f}%"


def _quality(record: Record) -> str:
    """``3/56/28``: ruff findings, the longest function's lines, the highest complexity."""
    review = record.get("quality") or {}
    if review.get("findings") is None:
        return "-"
    return f"{review['findings']}/{_number(review, 'longest')}/{_number(review, 'complexity')}"


SESSION_HEADER = ["DATE", "KATA", "LEVEL", "DESIGN", "CODE", "TESTS", "PASSED", "OWN COV",
                  "HINTS", "LATE", "DECISIONS"]


def session_rows(records: list[Record]) -> list[list[str]]:
    return [[_date(r), r["kata"], str(r.get("level", "?")), *(_use(r, p) for p in PHASES),
             _passed(r), _coverage(r), str(r.get("hints", 0)), str(len(r.get("late_edits", []))),
             decisions_cell(r)]
            for r in records]


def session_table(records: list[Record]) -> tuple[list[str], list[list[str]]]:
    """The sessions' header and rows; with a BOXES column marking the study sessions when there
    are any, and a QUALITY column once a session has been reviewed."""
    header, rows = SESSION_HEADER, session_rows(records)
    if any(map(is_study, records)):
        header = [*header[:3], "BOXES", *header[3:]]
        rows = [[*row[:3], "study" if is_study(r) else "mock", *row[3:]]
                for row, r in zip(rows, records, strict=True)]
    if any((r.get("quality") or {}).get("findings") is not None for r in records):
        header = [*header, "QUALITY"]
        rows = [[*row, _quality(r)] for row, r in zip(rows, records, strict=True)]
    return header, rows


def time_use_parts(records: list[Record]) -> list[tuple[str, list[PhaseUse]]]:
    """Time use, the mock-box sessions' apart from the study sessions' (a 60-minute design box
    is no measure of a 15-minute one): (title, figures) for each kind there is."""
    study = [r for r in records if is_study(r)]
    mock = [r for r in records if not is_study(r)]
    parts = [("Time use", phase_use(mock))] if mock or not study else []
    if study:
        parts.append((f"Time use in study sessions ({STUDY_BOXES})", phase_use(study)))
    return parts


def _share(use: PhaseUse) -> str:
    return percent(use.share)


def report_lines(records: list[Record], top: int = 5, rounds: list[Record] = ()) -> list[str]:
    """The ``report`` command's text: sessions, trends, code quality, time use, skill gaps, and
    the rounds of follow-up questions."""
    header, rows = session_table(records)
    lines = [f"Sessions ({len(records)}, oldest first); OWN COV is lines/branches of your "
             f"own tests:"]
    lines += table(rows, header, indent="  ")
    if "QUALITY" in header:
        lines.append("  (QUALITY: ruff findings / the longest function's lines / the highest "
                     "complexity in your code; never scored)")
    if any(r.get("unverified") for r in records):
        lines.append("  (unverified: a file changed after its deadline before its snapshot was "
                     "taken; shown here, counted in no score below)")
    lines += ["", "Per kata (graded sessions: first / best / latest):"]
    lines += table([[t.kata, str(t.sessions), f"{percent(t.first)} / {percent(t.best)} / "
                     f"{percent(t.latest)}"] for t in trends(records)] or [["none graded yet"]],
                   indent="  ")
    lines += ["", "Key decisions found in design.md (a keyword check; first / latest):"]
    lines += [f"  {line}" for line in design_trend_lines(records, study_label)]
    if quality := quality_trends(records):
        lines += ["", "Code quality per kata (ruff, not scored; first / latest, the reference's "
                      "in brackets):"]
        lines += table([trend.cells() for trend in quality], QUALITY_HEADER, indent="  ")
    for title, uses in time_use_parts(records):
        lines += ["", f"{title}:"]
        lines += table([[u.phase, f"{_share(u)} of the box on average", f"ran over {u.over} of "
                         f"{u.sessions}", f"ended early {u.early} of {u.sessions}"]
                        for u in uses], indent="  ")
    lines += ["", "Skill gaps, by category (tests failed / run):"]
    lines += table([[g.name, f"{g.failed}/{g.total}", percent(g.rate)]
                    for g in category_gaps(records)] or [["no graded tests yet"]], indent="  ")
    lines += ["", "Tests failed most often:"]
    lines += table([[g.kata, g.name, f"failed {g.failed} of {g.total}"]
                    for g in test_gaps(records)[:top]] or [["none"]], indent="  ")
    lines += change_request.report_lines(records)
    if rounds:
        lines += ["", "Follow-up questions, rated by you (1-5):"]
        lines += [f"  {line}" for line in followups_lines(rounds)]
    return lines


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    cells = [header, ["---"] * len(header), *rows]
    return ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]


def markdown_sheet(records: list[Record], problems: list[Problem], top: int = 5) -> str:
    """The skill-gap sheet: strengths, gaps, time use, sessions and what to practise next."""
    span = f"{_date(records[0])[:10]} to {_date(records[-1])[:10]}"
    lines = ["# Skill-gap sheet", "",
             f"From {len(records)} practice session{'s' * (len(records) != 1)}, {span} "
             f"(`python timer.py report --markdown`).", "", "## Strengths", ""]
    lines += [f"- **{g.name}**: {g.total - g.failed} of {g.total} tests passed "
              f"({percent(1 - g.rate)})" for g in strengths(records)] or \
        ["- none yet: no category is passed 90% of the time"]
    gaps = [g for g in category_gaps(records) if g.failed]
    lines += ["", "## Gaps", ""]
    lines += _md_table(["Category", "Failed", "Of", "Share"],
                       [[g.name, str(g.failed), str(g.total), percent(g.rate)] for g in gaps]) \
        if gaps else ["No failed tests yet."]
    if (quality := quality_sentence(records)) is not None:
        lines += ["", quality]
    failing = test_gaps(records)[:top]
    if failing:
        lines += ["", "Tests failed most often:", ""]
        lines += _md_table(["Kata", "Test", "Failed", "Of"],
                           [[g.kata, f"`{g.name}`", str(g.failed), str(g.total)]
                            for g in failing])
    for title, uses in time_use_parts(records):
        lines += ["", f"## {title}", ""]
        lines += _md_table(["Phase", "Average share of the box", "Ran over", "Ended early"],
                           [[u.phase, _share(u), f"{u.over} of {u.sessions}",
                             f"{u.early} of {u.sessions}"] for u in uses])
    lines += ["", "## Sessions", ""]
    header, rows = session_table(records)
    lines += _md_table([h.title() for h in header], rows)
    lines += ["", "## Next katas to practise", ""]
    lines += [f"{i}. **{name}**: {reason}" for i, (name, reason)
              in enumerate(next_katas(records, problems), 1)] or \
        ["Every kata has been passed in full: repeat the full ones under the mock boxes."]
    return "\n".join(lines) + "\n"


def quality_sentence(records: list[Record]) -> str | None:
    """The sheet's line on code quality: findings in the first and the latest reviewed session,
    and the family of findings seen most."""
    sessions = reviewed(records)
    if not sessions:
        return None
    families: Counter[str] = Counter()
    for record in sessions:
        families.update(record["quality"]["families"])
    total = sum(families.values())
    most = families.most_common(1)[0] if families else None
    found = f"; found most: {most[0]} ({most[1]} of {total})" if most else ""
    count = len(sessions)
    return (f"Code quality (ruff, not scored): {count} reviewed session{'s' * (count != 1)}, "
            f"{sessions[0]['quality']['findings']} findings in the first and "
            f"{sessions[-1]['quality']['findings']} in the latest{found}.")


def mock_summary_lines(mock_id: str, records: list[Record]) -> list[str]:
    """Both parts of a mock interview: scores and the time used in every phase."""
    lines = [f"# Mock interview {mock_id}", ""]
    lines += _md_table(["Part", "Kata", "Boxes", *[p.title() for p in PHASES], "Passed",
                        "Late edits"],
                       [[str(i), r["kata"], str(r.get("boxes", "?")),
                         *(_use(r, p) for p in PHASES), _passed(r),
                         str(len(r.get("late_edits", [])))] for i, r in enumerate(records, 1)])
    used = sum(p.get("used") or 0 for r in records for p in r.get("phases", []))
    planned = sum(p.get("planned") or 0 for r in records for p in r.get("phases", []))
    lines += ["", f"Time used: {duration(used)} of {duration(planned)} planned "
                  f"({percent(used / planned if planned else None)})."]
    for use in phase_use(records):
        if use.over or use.early:
            lines.append(f"- {use.phase}: ran over in {use.over}, ended early in {use.early} "
                         f"of {use.sessions} part{'s' * (use.sessions != 1)}")
    return lines
