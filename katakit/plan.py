"""The week plan the kit serves (shared/plan.md), day by day, mapped to the kit's problems and
marked from the history: what is done, and what to run today.

The plan comes in two variants: the 4-hour day works the core requirements (sessions graded
without the extensions), the 6-hour day adds each day's extension. Its long study blocks (design
60, code 75, tests 45 minutes) are the ``study`` preset of ``timer.py start``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
    Day(4, "URL shortener or task scheduler: implementation", ("url_shortener", "task_scheduler"),
        "more scenarios: the extensions"),
    Day(5, "Refactor and write tests for all problems", (), "a README for each"),
    Day(6, "Mixed machine-coding mock: two problems, then the time-use review", (),
        "a refactor of the mock's code"),
    Day(7, "Weekly review: patterns, gaps and the skill-gap sheet", (), "polish, ready to share"),
)
WEEK_KATAS = ("docstore", "pubsub", "notifications")  # and one of day 4's


def _graded(record: dict) -> bool:
    return isinstance(record.get("score"), dict) and not record.get("aborted")


def _day4_kata(records: list[dict]) -> str | None:
    return next((r["kata"] for r in records if r.get("kata") in DAYS[3].katas and _graded(r)),
                None)


def done(day: Day, records: list[dict], practice: Path) -> bool:
    """Whether the history shows the day's work: a graded session of its kata; for day 5, tests of
    every problem of the week that pass on the reference; for day 6, a whole mock; for day 7, the
    skill-gap sheet written after that mock."""
    if day.katas:
        return any(r.get("kata") in day.katas and _graded(r) for r in records)
    if day.number == 5:
        week = [*WEEK_KATAS, _day4_kata(records)]
        valid = {r.get("kata") for r in records
                 if _graded(r) and (r.get("own_tests") or {}).get("valid")}
        return None not in week and set(week) <= valid
    mocks = {r["mock"] for r in records if r.get("mock") and _graded(r)}
    whole = [m for m in mocks if sum(r.get("mock") == m and _graded(r) for r in records) >= 2]
    if day.number == 6:
        return bool(whole)
    sheet = practice / SKILL_GAPS
    return bool(whole) and sheet.is_file() and sheet.stat().st_mtime >= max(
        _mock_time(records, m) for m in whole)


def _mock_time(records: list[dict], mock: str) -> float:
    starts = [r.get("start") for r in records if r.get("mock") == mock]
    try:
        return max(datetime.fromisoformat(s).timestamp() for s in starts if isinstance(s, str))
    except ValueError:
        return 0.0


def today(records: list[dict], practice: Path) -> Day | None:
    """The first day not done yet; None when the whole week is."""
    return next((day for day in DAYS if not done(day, records, practice)), None)


def command(day: Day, hours: int, records: list[dict], practice_shown: str) -> str:
    """What to run for `day`: a study session of its kata (graded without the extensions on a
    4-hour day), the reviews of day 5, the mock, the weekly report."""
    level = "" if hours == 6 else " --level base"
    if day.katas:
        kata = _day4_kata(records) or day.katas[0]
        return f"python timer.py start {kata} --preset study{level}"
    if day.number == 5:
        katas = [*WEEK_KATAS, _day4_kata(records) or DAYS[3].katas[0]]
        return "; ".join(f"python timer.py compare {k}" for k in katas) + \
            f"; then python timer.py start KATA --preset study{level} for each"
    if day.number == 6:
        return "python timer.py mock; then python timer.py report --last 2"
    return f"python timer.py report --markdown {practice_shown}/{SKILL_GAPS}"


def plan_lines(records: list[dict], practice: Path, practice_shown: str, hours: int) -> list[str]:
    """The week, one line a day, and what to run today."""
    extra = "each day's extension included" if hours == 6 else \
        "core requirements; `--hours 6` adds each day's extension"
    lines = [f"The week plan, {hours}-hour days ({extra}):"]
    current = today(records, practice)
    for day in DAYS:
        mark = "done " if done(day, records, practice) else "today" if day is current else ""
        katas = f" [{' or '.join(day.katas)}]" if day.katas else ""
        addition = f"; + {day.extension}" if hours == 6 else ""
        lines.append(f"  Day {day.number}  {mark:<5}  {day.focus}{katas}{addition}")
    if current is None:
        lines.append("The week is done: repeat the full problems under mock boxes "
                     "(python timer.py mock).")
    else:
        lines.append(f"Today, day {current.number}: "
                     f"{command(current, hours, records, practice_shown)}")
    return lines
