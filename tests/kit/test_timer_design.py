"""Feedback on the design phase: key decisions found, designs side by side, follow-ups, the plan."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from katakit import design, followups, plan

MODEL = """# Design: a cache

## Requirements and assumptions
Bounded, LRU.

## API
get, put.

## Data model
A dict and a linked list.

## Key decisions

- A dict of nodes in a doubly linked list: O(1) moves and evictions.
  <!-- keys: linked list, OrderedDict, move_to_end -->
- Evict only on insert of a new key: an update never evicts.
  <!-- keys: update never evicts, no eviction on update -->
- Callbacks after the lock is released: a slow callback never blocks.
  <!-- keys: outside the lock, after releasing, without the lock -->

## Complexity
O(1).

## Edge cases
Capacity 1.

## Test plan
A model test.

## Follow-ups

### What changes at 100x the load?
Shard by key hash, one lock per shard, so threads rarely contend.

### How would you persist it?
Snapshot to disk with an append-only log of puts, replayed at start.
"""


@pytest.mark.core
def test_key_decisions_are_found_by_their_keywords_whatever_the_case_or_hyphens():
    model = design.parse(MODEL)
    mine = "We keep an ordered-dict and call Move-To-End; callbacks run outside the lock."
    found = design.decisions_found(model.decisions, mine)
    assert found == [True, False, True], found
    missing = [design.short(d) for d, hit in zip(model.decisions, found) if not hit]
    lines = design.decisions_lines(sum(found), len(found), missing, "`compare --design`")
    assert lines == ["design: 2 of 3 key decisions found in design.md (a keyword check, not a "
                     "grade); missing:", "  Evict only on insert of a new key"], lines


@pytest.mark.edge
def test_the_design_block_lists_three_missing_decisions_then_says_where_the_rest_are():
    lines = design.decisions_lines(2, 7, ["a", "b", "c", "d", "e"], "`compare --design`")
    assert lines[1:] == ["  a", "  b", "  c", "  and 2 more: `compare --design`"], lines
    assert design.decisions_lines(7, 7, [], "x") == [
        "design: 7 of 7 key decisions found in design.md (a keyword check, not a grade)"]


@pytest.mark.edge
def test_a_keyword_starts_a_word_and_keeps_the_commas_inside_its_brackets():
    model = design.parse("## Key decisions\n\n- Ids from a counter.\n  <!-- keys: counter -->\n"
                         "- Bools first: `isinstance(value, bool)`.\n"
                         "  <!-- keys: isinstance(value, bool), true == 1 -->\n"
                         "- Trade the smaller quantity.\n  <!-- keys: min(, smaller -->\n")
    assert [d.keys for d in model.decisions] == [["counter"],
                                                 ["isinstance(value, bool)", "true == 1"],
                                                 ["min(", "smaller"]]
    assert design.decisions_found(model.decisions, "we encountered a bool) here") == \
        [False, False, False], "neither 'counter' in 'encountered' nor half of a keyword"
    assert design.decisions_found(model.decisions, "Counters; ISINSTANCE(value, bool); min(a, b)") \
        == [True, True, True]


@pytest.mark.edge
def test_a_long_decision_is_shortened_to_its_first_clause():
    decision = design.Decision("One JSON equality, bool first; scans compare raw values: fast.",
                               [])
    assert design.short(decision) == "One JSON equality, bool first"
    assert design.short(design.Decision("x" * 200, [])) == "x" * 87 + "..."


@pytest.mark.core
def test_only_what_the_candidate_wrote_counts_not_the_card_headings_or_template(kit, tmp_path):
    from katakit import phases
    from katakit.kit import Kit
    from katakit.templates import write_session_files
    problem = Kit(kit).problem("docstore")
    session = phases.new_session("docstore-20250101-120000", problem, [900, 3600, 900], "full",
                                 0.0)
    write_session_files(tmp_path, problem, session)
    template = (tmp_path / "design.md").read_text()
    model = design.parse((kit / "solutions" / "docstore.md").read_text())
    assert any(design.decisions_found(model.decisions, template)), "the card names some"
    assert not any(design.decisions_found(model.decisions, design.own_text(template)))
    mine = template.replace("## Data model\n", "## Data model\nA counter for ids.\n"
                            "```text\n## Key decisions\n```\n<!-- keys: deep copy -->\n")
    assert design.own_text(mine).split() == ["A", "counter", "for", "ids.", "```text", "##",
                                             "Key", "decisions", "```"], design.own_text(mine)
    assert sum(design.decisions_found(model.decisions, design.own_text(mine))) == 1
    assert design.own_text("no headings at all: a counter") == "no headings at all: a counter"


@pytest.mark.core
def test_the_designs_are_shown_heading_by_heading_yours_then_the_models():
    mine = ("# Design\n\n## Problem card\n\n```text\nthe card\n```\n\n## API\n"
            "get(key), put(key, value)\n\n## Complexity\nO(1)\n\n## Open questions\nTTL?\n")
    found = design.decisions_found(design.parse(MODEL).decisions, mine)
    lines = design.side_by_side(mine, MODEL, found)
    api = lines.index("## API")
    assert lines[api:api + 6] == ["## API", "", "-- yours:", "get(key), put(key, value)", "",
                                  "-- model:"], lines[api:api + 6]
    data = lines.index("## Data model")
    assert lines[data + 3] == "(empty)", lines[data:data + 6]
    decisions = lines[lines.index("## Key decisions"):lines.index("## Complexity")]
    assert decisions[6:9] == [
        "- [missing] A dict of nodes in a doubly linked list: O(1) moves and evictions.",
        "  (keywords looked for: linked list, OrderedDict, move_to_end)",
        "- [missing] Evict only on insert of a new key: an update never evicts."], decisions
    assert not any("<!--" in line for line in lines), "no keyword comments"
    assert lines[lines.index("## Open questions") + 3] == "TTL?", "your own sections too"
    assert "## Follow-ups" not in lines and "## Problem card" not in lines, lines
    assert "Shard by key hash" not in "\n".join(lines), "the follow-ups are asked, not shown"


@pytest.mark.core
def test_follow_ups_are_asked_one_at_a_time_and_rated():
    said: list[str] = []
    answers = iter(["", "4", "", "seven", "2"])
    ratings = followups.ask(design.parse(MODEL).follow_ups, lambda prompt: next(answers),
                            said.append)
    assert ratings == [4, 2], ratings
    assert any("Follow-up 1 of 2: What changes at 100x the load?" in s for s in said), said
    assert any("'seven' is not a rating" in s for s in said), said


@pytest.mark.edge
def test_ctrl_d_ends_the_follow_ups_keeping_the_ratings_so_far():
    answers = iter(["", "5"])

    def read(prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    assert followups.ask(design.parse(MODEL).follow_ups, read, lambda text: None) == [5]


@pytest.mark.edge
def test_without_a_terminal_every_question_is_printed_with_its_answer():
    lines = followups.all_lines(design.parse(MODEL).follow_ups)
    assert lines[0] == "Follow-up 1 of 2: What changes at 100x the load?", lines
    assert "Snapshot to disk with an append-only log of puts, replayed at start." in lines, lines


def session(kata: str, *, valid: bool = True, mock: str | None = None,
            start: str = "2026-12-01T10:00:00+00:00", level: str = "full") -> dict:
    return {"session": f"{kata}-1", "kata": kata, "score": {"passed": 1, "total": 2},
            "own_tests": {"valid": valid}, "mock": mock, "start": start, "aborted": False,
            "level": level}


def today_lines(lines: list[str]) -> list[str]:
    return lines[lines.index(next(line for line in lines if line.startswith("Today, day"))):]


def day_row(lines: list[str], number: int) -> list[str]:
    return next(line for line in lines if line.startswith(f"  Day {number} ")).split()


@pytest.mark.core
def test_the_plan_marks_the_days_done_from_the_history_and_says_what_to_run_today(tmp_path):
    records = [session("docstore"), session("pubsub")]
    lines = plan.plan_lines(records, tmp_path, "practice", hours=4)
    assert day_row(lines, 1)[:3] == ["Day", "1", "done"], lines
    assert day_row(lines, 3)[:3] == ["Day", "3", "today"], lines
    assert day_row(lines, 4)[2:4] == ["URL", "shortener"], "no mark: a day to come"
    assert today_lines(lines) == [
        "Today, day 3:",
        "  `python timer.py start notifications --preset study --level base`",
        "  then `python timer.py compare --design notifications` and "
        "`python timer.py compare notifications`",
        "  then `python timer.py followups notifications`: explain your design choices"], lines


@pytest.mark.core
def test_the_six_hour_day_adds_each_days_extension_and_grades_everything(tmp_path):
    lines = plan.plan_lines([session("docstore", level="base")], tmp_path, "practice", hours=6)
    first = lines.index(next(line for line in lines if line.startswith("  Day 1 ")))
    assert lines[first + 1].strip() == "+ the equality index", lines
    assert day_row(lines, 1)[2] == "today", "a session graded without the extensions"
    assert today_lines(lines)[1] == "  `python timer.py start docstore --preset study`", lines


@pytest.mark.edge
def test_day_four_takes_either_problem_and_day_five_wants_valid_tests_of_each(tmp_path):
    records = [session(k) for k in ("docstore", "pubsub", "notifications", "task_scheduler")]
    records[0]["own_tests"]["valid"] = False
    assert plan.today(records, tmp_path).number == 5, "docstore's own tests are not valid yet"
    lines = today_lines(plan.plan_lines(records, tmp_path, "practice", hours=4))
    assert lines == ["Today, day 5:", "  docstore: review with `python timer.py compare "
                     "docstore`, then `python timer.py start docstore --preset study --level "
                     "base` and write tests that pass on the reference"], lines
    records[0]["own_tests"]["valid"] = True
    assert plan.today(records, tmp_path).number == 6, "every week problem has valid tests"
    assert "`python timer.py mock`" in today_lines(plan.plan_lines(records, tmp_path, "p", 4))[1]


@pytest.mark.edge
def test_a_whole_mock_and_then_the_skill_gap_sheet_end_the_week(tmp_path):
    records = [session(k) for k in ("docstore", "pubsub", "notifications", "task_scheduler")]
    records += [session("docstore", mock="mock-1"), session("lru_cache", mock="mock-1")]
    assert plan.today(records, tmp_path).number == 7
    sheet = tmp_path / plan.SKILL_GAPS
    assert "report --markdown practice/skill-gaps.md`" in \
        today_lines(plan.plan_lines(records, tmp_path, "practice", 4))[1]
    sheet.write_text("# Skill-gap sheet\n", encoding="utf-8")
    os.utime(sheet, (time.time(), time.time()))
    assert plan.today(records, tmp_path) is None
    assert plan.plan_lines(records, tmp_path, "practice", 4)[-1].startswith("The week is done")


@pytest.mark.edge
def test_the_week_plan_names_the_kits_problems():
    kit = {p.stem for p in (Path(__file__).resolve().parents[2] / "katas").glob("*.py")}
    named = {k for day in plan.DAYS for k in day.katas} | set(plan.WEEK_KATAS)
    assert named <= kit, f"the plan names problems the kit lacks: {named - kit}"
