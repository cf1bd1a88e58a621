"""Looking back over the history: time use per phase, the trend per kata, skill gaps, what to
practise next, as a text report, a markdown skill-gap sheet, and a mock interview's summary."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .change_request import MISSED, OFF, REVEALED
from .clock import day_and_time, duration
from .feedback import decisions_cell, design_trend_lines, followups_lines, since, study_label
from .history import FollowupsRound, History, PhaseRecord, SessionRecord, TestRecord
from .kit import Category, Problem
from .plan import STUDY_BOXES
from .quality import ReviewRecord
from .report import percent
from .session import Ending, PhaseName
from .terminal import table

ENDED = (Ending.DEADLINE, Ending.LATE, Ending.EARLY)  # a phase that ran to an end


def _phase(record: SessionRecord, name: PhaseName) -> PhaseRecord:
    return record.phase(name) or PhaseRecord(name)


def ran_over(record: SessionRecord, name: PhaseName) -> bool:
    """The phase's work went past its box: a late snapshot, or its file edited after its
    deadline. A phase ended early did not run over: an edit after it is a late edit."""
    ending = _phase(record, name).ending
    return ending is Ending.LATE or ending is Ending.DEADLINE and any(
        edit.phase == name for edit in record.late_edits)


def scored(records: list[SessionRecord]) -> list[SessionRecord]:
    """The sessions whose grade counts: graded, not aborted, not unverified."""
    return [r for r in records if r.counts]


@dataclass
class PhaseUse:
    phase: PhaseName
    sessions: int  # sessions in which the phase ran to an end (not aborted)
    share: float | None  # average share of the box used
    over: int
    early: int


def phase_use(records: list[SessionRecord]) -> list[PhaseUse]:
    uses = []
    for name in PhaseName:
        ended = [_phase(r, name) for r in records if _phase(r, name).ending in ENDED]
        shares = [p.used / p.planned for p in ended if p.planned]
        uses.append(PhaseUse(name, len(ended), sum(shares) / len(shares) if shares else None,
                             sum(ran_over(r, name) for r in records
                                 if _phase(r, name).ending in ENDED),
                             sum(p.ending is Ending.EARLY for p in ended)))
    return uses


@dataclass
class Trend:
    kata: str
    sessions: int
    first: float
    best: float
    latest: float


def trends(records: list[SessionRecord]) -> list[Trend]:
    """Per kata, over its graded sessions in order: the first, best and latest score (study
    sessions on a line of their own)."""
    scores: dict[str, list[float]] = {}
    for record in scored(records):
        scores.setdefault(study_label(record), []).append(record.share)
    return [Trend(kata, len(s), s[0], max(s), s[-1]) for kata, s in sorted(scores.items())]


@dataclass
class QualityTrend:
    """Per kata, the code-quality review's numbers in its first and latest reviewed session."""

    kata: str
    sessions: int
    first: ReviewRecord
    latest: ReviewRecord

    def cells(self) -> list[str]:
        """``docstore  2  8 / 0  41 / 25 (25)  18 / 9 (9)``: first / latest (the reference's)."""
        reference = self.latest.reference or ReviewRecord()
        cells = [self.kata, str(self.sessions),
                 f"{self.first.findings} / {self.latest.findings}"]
        for key in ("longest", "complexity"):
            theirs = _count(reference, key)
            cells.append(f"{_count(self.first, key)} / {_count(self.latest, key)}" +
                         (f" ({theirs})" if theirs != "-" else ""))
        return cells


QUALITY_HEADER = ["KATA", "REVIEWED", "FINDINGS", "LONGEST FUNCTION", "HIGHEST COMPLEXITY"]


def _count(review: ReviewRecord, key: str) -> str:
    """The count of a review's ``(function, count)`` entry, "-" without one."""
    value = getattr(review, key)
    return str(value[1]) if value else "-"


def reviewed(records: list[SessionRecord]) -> list[SessionRecord]:
    """The scored sessions whose code was reviewed for quality."""
    return [r for r in scored(records) if r.quality and r.quality.findings is not None]


def quality_trends(records: list[SessionRecord]) -> list[QualityTrend]:
    """Per kata, over its reviewed sessions in order: the first and the latest review."""
    reviews: dict[str, list[ReviewRecord]] = {}
    for record in reviewed(records):
        reviews.setdefault(record.kata, []).append(record.quality)
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


def _graded_tests(records: list[SessionRecord]) -> Iterator[tuple[str, TestRecord]]:
    for record in scored(records):
        for test in record.tests:
            if test.graded:
                yield record.kata, test


def category_gaps(records: list[SessionRecord]) -> list[Gap]:
    """Each category's failures over all graded tests, the weakest first."""
    counts: dict[str, Gap] = {}
    for _, test in _graded_tests(records):
        gap = counts.setdefault(test.category, Gap(test.category, 0, 0))
        gap.total += 1
        gap.failed += test.outcome.is_failure
    return sorted(counts.values(), key=lambda g: (-g.rate, -g.failed, Category.rank(g.name)))


def test_gaps(records: list[SessionRecord]) -> list[Gap]:
    """The tests failed most often: by count, then the most recently failed first. Once there
    are three graded sessions or more, a test failed only once is noise and left out."""
    counts: dict[tuple[str, str], Gap] = {}
    latest: dict[tuple[str, str], int] = {}
    graded = scored(records)
    for index, record in enumerate(graded):
        for test in record.tests:
            if not test.graded:
                continue
            key = (record.kata, test.name)
            gap = counts.setdefault(key, Gap(test.name, 0, 0, record.kata))
            gap.total += 1
            if test.outcome.is_failure:
                gap.failed += 1
                latest[key] = index
    least = 2 if len(graded) >= 3 else 1
    return sorted((g for g in counts.values() if g.failed >= least),
                  key=lambda g: (-g.failed, -latest[(g.kata, g.name)], g.kata, g.name))


def strengths(records: list[SessionRecord]) -> list[Gap]:
    """Categories passed at least 90% of the time, the most practised first."""
    return sorted((g for g in category_gaps(records) if g.rate <= 0.1),
                  key=lambda g: (-g.total, g.name))


def next_katas(records: list[SessionRecord], problems: list[Problem], count: int = 3
               ) -> list[tuple[str, str]]:
    """(kata, reason): the untried first, then the lowest best scores below 100%."""
    picks = []
    for problem in problems:
        mine = [r for r in records if r.kata == problem.name]
        scores = [r.share for r in scored(mine)]
        if not scores:
            reason = "not attempted yet"
            if mine:
                unverified = any(r.unverified for r in mine)
                reason = f"no {'verified ' * unverified}graded session yet"
            picks.append((-1.0, problem.name, reason))
        elif max(scores) < 1:
            gaps = category_gaps(mine)
            weakest = f"; most failures in {gaps[0].name}" if gaps else ""
            picks.append((max(scores), problem.name,
                          f"best {percent(max(scores))} after {len(scores)} graded "
                          f"session{'s' * (len(scores) > 1)}{weakest}"))
    return [(name, reason) for _, name, reason in sorted(picks)[:count]]


def pick_least_practised(problems: list[Problem], records: list[SessionRecord],
                         rng: random.Random) -> Problem:
    """One of the problems attempted least often; `rng` breaks ties."""
    attempts = Counter(r.kata for r in records)
    fewest = min(attempts[p.name] for p in problems)
    return rng.choice([p for p in sorted(problems, key=lambda p: p.name)
                       if attempts[p.name] == fewest])


# --- the text report and the markdown sheet ----------------------------------------------------


def _use(record: SessionRecord, name: PhaseName) -> str:
    phase = _phase(record, name)
    if phase.used is None:
        return "-"
    mark = f" {phase.ending}" if phase.ending in (Ending.EARLY, Ending.LATE) else ""
    return f"{duration(phase.used)}/{duration(phase.planned)}{mark}"


def _passed(record: SessionRecord) -> str:
    if record.aborted:
        return "aborted"
    if record.score is None:
        return "not graded"
    shown = f"{record.score.passed}/{record.score.total} {percent(record.share)}"
    return f"{shown} unverified" if record.unverified else shown


def _coverage(record: SessionRecord) -> str:
    own = record.own_tests
    if own is None or own.line is None:
        return "-"
    return f"{own.line:.0f}%/{own.branch:.0f}%"


def _quality(record: SessionRecord) -> str:
    """``3/56/28``: ruff findings, the longest function's lines, the highest complexity."""
    review = record.quality
    if review is None or review.findings is None:
        return "-"
    return f"{review.findings}/{_count(review, 'longest')}/{_count(review, 'complexity')}"


SESSION_HEADER = ["DATE", "KATA", "LEVEL", "DESIGN", "CODE", "TESTS", "PASSED", "OWN COV",
                  "HINTS", "LATE", "DECISIONS"]


def session_rows(records: list[SessionRecord]) -> list[list[str]]:
    return [[day_and_time(r.start), r.kata, r.level or "?", *(_use(r, p) for p in PhaseName),
             _passed(r), _coverage(r), str(r.hints), str(len(r.late_edits)), decisions_cell(r)]
            for r in records]


def session_table(records: list[SessionRecord]) -> tuple[list[str], list[list[str]]]:
    """The sessions' header and rows; with a BOXES column marking the study sessions when there
    are any, and a QUALITY column once a session has been reviewed."""
    header, rows = SESSION_HEADER, session_rows(records)
    if any(r.study for r in records):
        header = [*header[:3], "BOXES", *header[3:]]
        rows = [[*row[:3], "study" if r.study else "mock", *row[3:]]
                for row, r in zip(rows, records, strict=True)]
    if any(r.quality and r.quality.findings is not None for r in records):
        header = [*header, "QUALITY"]
        rows = [[*row, _quality(r)] for row, r in zip(rows, records, strict=True)]
    return header, rows


def time_use_parts(records: list[SessionRecord]) -> list[tuple[str, list[PhaseUse]]]:
    """Time use, the mock-box sessions' apart from the study sessions' (a 60-minute design box
    is no measure of a 15-minute one): (title, figures) for each kind there is."""
    study = [r for r in records if r.study]
    mock = [r for r in records if not r.study]
    parts = [("Time use", phase_use(mock))] if mock or not study else []
    uses = phase_use(study)
    if any(use.sessions for use in uses):  # aborted study sessions used no box
        parts.append((f"Time use in study sessions ({STUDY_BOXES})", uses))
    return parts


def _share(use: PhaseUse) -> str:
    return percent(use.share)


def change_lines(records: list[SessionRecord]) -> list[str]:
    """The change requests: per kata, oldest first, the share of the change tests passed and
    what the change cost."""
    rows = []
    for record in sorted((r for r in records if r.change and not r.aborted),
                         key=lambda r: r.kata):
        change = record.change
        if change.state is REVEALED and change.total:
            passed = f"{change.passed}/{change.total} {change.passed / change.total:.0%}"
        else:
            passed = {OFF: "left out", MISSED: "never revealed"}.get(change.state, "not graded")
        spent = change.cost
        cost_text = "-"
        if spent:
            cost_text = f"+{spent.added} -{spent.removed}"
            if not spent.error:
                cost_text += f", {len(spent.modified)} of {spent.functions_before} modified"
        rows.append([record.kata, day_and_time(record.start), passed, cost_text])
    if not rows:
        return []
    return ["", "Change requests (per kata, oldest first; COST is lines added and removed, and "
                "the existing functions modified):",
            *table(rows, ["KATA", "DATE", "PASSED", "COST"], indent="  ")]


def selected(found: History, kata: str | None, last: int | None
             ) -> tuple[list[SessionRecord], list[FollowupsRound]]:
    """What ``report`` covers: the sessions of `kata` (of every kata when None), only the
    `last` of them when given, and the rounds of follow-ups of those katas since the first."""
    records = [r for r in found.sessions if kata in (None, r.kata)]
    records = records[-last:] if last else records
    rounds = [r for r in found.rounds if kata in (None, r.kata)]
    return records, since(rounds, records) if last else rounds


def report_lines(records: list[SessionRecord], top: int = 5,
                 rounds: list[FollowupsRound] = ()) -> list[str]:
    """The ``report`` command's text: sessions, trends, code quality, time use, skill gaps, and
    the rounds of follow-up questions."""
    header, rows = session_table(records)
    lines = [f"Sessions ({len(records)}, oldest first); OWN COV is lines/branches of your "
             f"own tests:"]
    lines += table(rows, header, indent="  ")
    if "QUALITY" in header:
        lines.append("  (QUALITY: ruff findings / the longest function's lines / the highest "
                     "complexity in your code; never scored)")
    if any(r.unverified for r in records):
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
    lines += change_lines(records)
    if rounds:
        lines += ["", "Follow-up questions, rated by you (1-5):"]
        lines += [f"  {line}" for line in followups_lines(rounds)]
    return lines


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    cells = [header, ["---"] * len(header), *rows]
    return ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]


def markdown_sheet(records: list[SessionRecord], problems: list[Problem], top: int = 5,
                   history: list[SessionRecord] | None = None) -> str:
    """The skill-gap sheet: strengths, gaps, time use, sessions and what to practise next; the
    katas to practise next look at the whole `history`, whatever `records` was narrowed to."""
    span = f"{day_and_time(records[0].start)[:10]} to {day_and_time(records[-1].start)[:10]}"
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
    every = records if history is None else history
    lines += [f"{i}. **{name}**: {reason}" for i, (name, reason)
              in enumerate(next_katas(every, problems), 1)] or \
        ["Every kata has been passed in full: repeat the full ones under the mock boxes."]
    return "\n".join(lines) + "\n"


def quality_sentence(records: list[SessionRecord]) -> str | None:
    """The sheet's line on code quality: findings in the first and the latest reviewed session,
    and the family of findings seen most."""
    sessions = reviewed(records)
    if not sessions:
        return None
    families: Counter[str] = Counter()
    for record in sessions:
        families.update(record.quality.families)
    total = sum(families.values())
    most = families.most_common(1)[0] if families else None
    found = f"; found most: {most[0]} ({most[1]} of {total})" if most else ""
    count = len(sessions)
    return (f"Code quality (ruff, not scored): {count} reviewed session{'s' * (count != 1)}, "
            f"{sessions[0].quality.findings} findings in the first and "
            f"{sessions[-1].quality.findings} in the latest{found}.")


def mock_summary_lines(mock_id: str, records: list[SessionRecord]) -> list[str]:
    """Both parts of a mock interview: scores and the time used in every phase."""
    lines = [f"# Mock interview {mock_id}", ""]
    lines += _md_table(["Part", "Kata", "Boxes", *[p.title() for p in PhaseName], "Passed",
                        "Late edits"],
                       [[str(i), r.kata, r.boxes or "?", *(_use(r, p) for p in PhaseName),
                         _passed(r), str(len(r.late_edits))] for i, r in enumerate(records, 1)])
    used = sum(p.used or 0 for r in records for p in r.phases)
    planned = sum(p.planned or 0 for r in records for p in r.phases)
    lines += ["", f"Time used: {duration(used)} of {duration(planned)} planned "
                  f"({percent(used / planned if planned else None)})."]
    for use in phase_use(records):
        if use.over or use.early:
            lines.append(f"- {use.phase}: ran over in {use.over}, ended early in {use.early} "
                         f"of {use.sessions} part{'s' * (use.sessions != 1)}")
    return lines
