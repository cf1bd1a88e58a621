"""The week plan the kit serves (a one-week machine-coding plan: three problems designed and
built, a fourth, tests, a mock, a review), day by day, mapped to the kit's problems and marked from
the history: what is done, and what to run today.

The plan comes in two variants: the 4-hour day works the core requirements (sessions graded
without the extensions), the 6-hour day adds each day's extension. Its long study blocks (design
60, code 75, tests 45 minutes) are the ``study`` preset of ``timer.py start``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .history import SessionRecord
from .invocation import command
from .kit import BASE, Level
from .session import Preset
from .terminal import table

STUDY_BOXES = "60/75/45"
SKILL_GAPS = "skill-gaps.md"


@dataclass(frozen=True)
class Day:
    number: int
    focus: str
    katas: tuple[str, ...]  # the problems the day practises (day 4 lets you pick one)
    extension: str  # what the 6-hour day adds


DAYS = (
    Day(1, "In-memory document store: design and implementation", ("docstore",),
        "the equality index"),
    Day(2, "Pub/sub event system: design and implementation", ("pubsub",), "async handlers"),
    Day(3, "Notification service: design and implementation", ("notifications",),
        "the in-memory delivery log"),
    Day(4, "URL shortener or task scheduler", ("url_shortener", "task_scheduler"),
        "more scenarios: the extensions"),
    Day(5, "Refactor and write tests for all the problems", (), "a README for each"),
    Day(6, "A mock of two problems, then its time-use review", (),
        "a refactor of the mock's code"),
    Day(7, "Weekly review: patterns, gaps and the skill-gap sheet", (), "polish, ready to share"),
)
WEEK_KATAS = ("docstore", "pubsub", "notifications")  # and one of day 4's


def _graded(record: SessionRecord, hours: int = 4) -> bool:
    """A graded session that counts for a day: on a 6-hour day, graded with the extensions."""
    return record.score is not None and not record.aborted and \
        (hours == 4 or record.level is Level.FULL)


def _valid_tests(records: list[SessionRecord]) -> set[str]:
    """The katas of graded sessions whose own tests all pass on the reference."""
    return {r.kata for r in records if _graded(r) and r.own_tests and r.own_tests.valid}


def _day4_kata(records: list[SessionRecord], hours: int = 4) -> str | None:
    return next((r.kata for r in records if r.kata in DAYS[3].katas and _graded(r, hours)),
                None)


def done(day: Day, records: list[SessionRecord], practice: Path, hours: int = 4) -> bool:
    """Whether the history shows the day's work: a graded session of its kata (graded with the
    extensions, for a 6-hour day); for day 5, tests of every problem of the week that pass on the
    reference; for day 6, a whole mock; for day 7, the skill-gap sheet written after that mock."""
    if day.katas:
        return any(r.kata in day.katas and _graded(r, hours) for r in records)
    if day.number == 5:
        week = [*WEEK_KATAS, _day4_kata(records)]
        return None not in week and set(week) <= _valid_tests(records)
    mocks = {r.mock for r in records if r.mock and _graded(r)}
    whole = [m for m in mocks if sum(r.mock == m and _graded(r) for r in records) >= 2]
    if day.number == 6:
        return bool(whole)
    sheet = practice / SKILL_GAPS
    return bool(whole) and sheet.is_file() and sheet.stat().st_mtime >= max(
        _mock_time(records, m) for m in whole)


def _mock_time(records: list[SessionRecord], mock: str) -> float:
    return max((r.start.timestamp() for r in records if r.mock == mock and r.start), default=0.0)


def today(records: list[SessionRecord], practice: Path, hours: int = 4) -> Day | None:
    """The first day not done yet; None when the whole week is."""
    return next((day for day in DAYS if not done(day, records, practice, hours)), None)


def commands(day: Day, hours: int, records: list[SessionRecord], sheet: str) -> list[str]:
    """What to run for `day`, one step a line: a study session of its kata (graded without the
    extensions on a 4-hour day) and its review, the reviews and tests of day 5, the mock and its
    time use, the weekly report (`sheet` is where the skill-gap sheet goes)."""
    level = () if hours == 6 else ("--level", BASE)
    if day.katas:
        kata = _day4_kata(records) or day.katas[0]
        either = f" (or {day.katas[1]})" if len(day.katas) > 1 else ""
        return [f"{command('start', kata, '--preset', Preset.STUDY, *level)}{either}",
                f"then {command('compare', '--design', kata)} and {command('compare', kata)}",
                f"then {command('followups', kata)}: explain your design choices"]
    if day.number == 5:
        valid = _valid_tests(records)
        katas = [*WEEK_KATAS, _day4_kata(records) or DAYS[3].katas[0]]
        steps = [f"{kata}: review with {command('compare', kata)}, then "
                 f"{command('start', kata, '--preset', Preset.STUDY, *level)} and write tests that "
                 f"pass on the reference" for kata in katas if kata not in valid]
        return steps + (["and a README for each problem"] if hours == 6 else [])
    if day.number == 6:
        return [f"{command('mock')}: a full problem at 15/60/15, then a short one at 10/40/10",
                f"then {command('report', '--last', '2')}: how the mock used its time"]
    return [f"{command('report', '--markdown', sheet)}: the week's patterns and gaps"]


def plan_lines(records: list[SessionRecord], practice: Path, practice_shown: str,
               hours: int) -> list[str]:
    """The week, one line a day marked from the history, and what to run today."""
    if hours == 6:
        lines = ["The week plan, 6-hour days: each day adds its extension (+), sessions graded "
                 "in full."]
    else:
        lines = ["The week plan, 4-hour days: the core requirements, graded without the "
                 "extensions.", "(`--hours 6` adds each day's extension.)"]
    lines.append("Days 1-4 are study sessions (`--preset study`): design 60, code 75, tests 45 "
                 "minutes.")
    current = today(records, practice, hours)
    rows = []
    for day in DAYS:
        mark = "today" if day is current else ""
        if done(day, records, practice, hours):
            mark = "done"
        katas = f" [{' or '.join(day.katas)}]" if day.katas else ""
        rows.append([f"Day {day.number}", mark, f"{day.focus}{katas}"])
        if hours == 6:
            rows.append(["", "", f"+ {day.extension}"])
    lines += ["", *table(rows, indent="  ")]
    if current is None:
        lines.append(f"The week is done: repeat the full problems under the mock boxes "
                     f"({command('mock')}).")
        return lines
    lines += ["", f"Today, day {current.number}:"]
    lines += [f"  {step}" for step in commands(current, hours, records,
                                                 f"{practice_shown}/{SKILL_GAPS}")]
    return lines
