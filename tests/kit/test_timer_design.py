"""Feedback on the design phase: key decisions found, designs side by side, follow-ups, the plan."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from katakit import design, followups, plan
from katakit.grading import OwnRun, OwnTests
from katakit.history import Score, SessionRecord
from katakit.kit import Level
from sample_kit import (FAST, Terminal, history_lines, one_line_error, only_session, run, start,
                        write)

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
    missing = [design.short(d) for d, hit in zip(model.decisions, found, strict=True) if not hit]
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
    plural = design.parse("## Key decisions\n\n- Exact topics in a dict.\n"
                          "  <!-- keys: exact topics -->\n").decisions
    assert design.decisions_found(plural, "a dict of EXACT topic -> subscriptions") == [True]


@pytest.mark.edge
def test_a_decision_only_the_change_request_calls_for_is_left_out_of_the_check(kit, tmp_path):
    from katakit.feedback import check_design
    from katakit.kit import Kit
    model = design.parse((kit / "solutions" / "adder.md").read_text())
    assert [(d.keys, d.change) for d in model.decisions][-1] == (["decimal"], True)
    mine = tmp_path / "design.md"
    mine.write_text("## Key decisions\nisinstance, bool and sum( and decimal\n")
    checked = check_design(Kit(kit).problem("adder"), mine)
    assert (checked.found, checked.total, checked.missing) == (3, 3, []), \
        "no design can take it before the change is revealed"


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
            start: str = "2026-12-01T10:00:00+00:00", level: str = "full") -> SessionRecord:
    """A graded session's history record; its own tests pass on the reference when `valid`."""
    reference = OwnRun(2, {} if valid else {"test_mine": "a wrong expectation"})
    return SessionRecord(kata, f"{kata}-1", level=Level(level),
                         start=datetime.fromisoformat(start), score=Score(1, 2),
                         own_tests=OwnTests(OwnRun(2), reference), mock=mock)


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
    records[0] = session("docstore", valid=False)
    assert plan.today(records, tmp_path).number == 5, "docstore's own tests are not valid yet"
    lines = today_lines(plan.plan_lines(records, tmp_path, "practice", hours=4))
    assert lines == ["Today, day 5:", "  docstore: review with `python timer.py compare "
                     "docstore`, then `python timer.py start docstore --preset study --level "
                     "base` and write tests that pass on the reference"], lines
    records[0] = session("docstore")
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


# --- through the command line, with the fake clock and the sample kit ---------------------------


MY_DESIGN = "\n## Key decisions\n\nisinstance checks first, and we use Sum( of the list.\n"


def designed_session(kit: Path, practice: Path, clock, kata: str = "adder",
                     design_text: str = MY_DESIGN, *options: str) -> Path:
    """A finished session (fake grading) whose design.md had `design_text` added."""
    start(kit, practice, clock, kata, *options)
    folder = only_session(practice) if len(list(practice.glob("*/session.json"))) == 1 else \
        practice / json.loads((practice / "active.json").read_text())["session"]
    write(folder / "design.md", (folder / "design.md").read_text() + design_text)
    for _ in range(4):  # a card's change request: ending the code phase early reveals it first
        clock.advance(30)
        assert run(kit, practice, "next", "--yes", now=clock, **FAST).code == 0
        if not (practice / "active.json").exists():
            break
    return folder


@pytest.mark.core
def test_the_scorecard_shows_the_key_decisions_found_and_the_history_keeps_them(
        kit, practice, wall):
    folder = designed_session(kit, practice, wall)
    card = (folder / "scorecard.txt").read_text().splitlines()
    block = card.index("design: 2 of 3 key decisions found in design.md (a keyword check, not "
                       "a grade); missing:")
    assert card[block + 1:block + 3] == ["  Bool is not a number here", "time per phase:"], card
    assert card[-1] == "`python timer.py followups adder`: the interviewer's follow-up questions"
    (line,) = history_lines(practice)
    assert line["design"] == {"found": 2, "total": 3, "missing": ["Bool is not a number here"]}
    assert line["preset"] is None


@pytest.mark.edge
def test_a_kata_without_a_model_design_gets_no_design_block_and_no_follow_ups(
        kit, practice, wall):
    folder = designed_session(kit, practice, wall, "pair")
    card = (folder / "scorecard.txt").read_text()
    assert "key decisions" not in card and "followups" not in card, card
    assert history_lines(practice)[0]["design"] is None


@pytest.mark.edge
def test_a_design_md_missing_at_its_deadline_finds_no_decision(kit, practice, wall):
    start(kit, practice, wall, "adder")
    (only_session(practice) / "design.md").unlink()
    for _ in range(3):
        run(kit, practice, "next", "--yes", now=wall, **FAST)
    assert history_lines(practice)[0]["design"]["found"] == 0
    compared = run(kit, practice, "compare", "--design")
    assert compared.code == 0 and "(there was none: design.md was missing)" in compared.out


@pytest.mark.core
def test_compare_design_shows_both_designs_only_once_the_design_phase_has_ended(
        kit, practice, wall):
    start(kit, practice, wall, "adder")
    folder = only_session(practice)
    write(folder / "design.md", (folder / "design.md").read_text() + MY_DESIGN)
    wall.advance(60)
    refused = run(kit, practice, "compare", "--design", now=wall)
    one_line_error(refused, 1, "the model design of adder is shown once the design phase of "
                   f"{folder.name} has ended", "in 14:00")
    run(kit, practice, "next", "--yes", now=wall)
    result = run(kit, practice, "compare", "--design", now=wall)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == f"{folder.name}: your design.md at the design deadline, then the model " \
                       f"design, heading by heading"
    assert lines[1] == "design: 2 of 3 key decisions found in design.md (a keyword check, not " \
                       "a grade)"
    decisions = lines[lines.index("## Key decisions"):lines.index("## Complexity")]
    assert decisions[3] == "isinstance checks first, and we use Sum( of the list.", decisions
    assert "- [found] Check the types before adding: a string never reaches the + operator." \
        in decisions
    assert "- [found] total uses the built-in sum: one pass, no loop of our own." in decisions
    assert "- [missing] Bool is not a number here: True + 1 is refused." in decisions
    assert "  (keywords looked for: bool, boolean)" in decisions
    assert "- [change request] Decimals are a third kind of number, never mixed with floats." \
        in decisions and "(keywords looked for: decimal)" not in result.out
    assert "Python's integers are unbounded" not in result.out, "follow-ups are asked, not shown"
    assert lines[-1] == "The interviewer's 2 follow-up questions: `python timer.py followups " \
                        "adder`"


@pytest.mark.edge
def test_compare_design_never_shows_a_model_while_a_session_of_that_kata_designs(
        kit, practice, wall):
    earlier = designed_session(kit, practice, wall)
    wall.advance(60)
    start(kit, practice, wall, "adder")
    for target in (earlier.name, "adder", None):
        one_line_error(run(kit, practice, "compare", "--design", *([target] if target else []),
                           now=wall), 1, "is shown once the design phase of adder-")
    run(kit, practice, "abort", now=wall)
    result = run(kit, practice, "compare", "--design", now=wall)
    assert result.code == 0 and result.out.startswith(f"{earlier.name}: "), \
        "the latest session with a design: the aborted one had none"


@pytest.mark.errors
def test_compare_design_says_why_there_is_nothing_to_show(kit, practice, wall):
    designed_session(kit, practice, wall, "pair")
    one_line_error(run(kit, practice, "compare", "--design"), 1,
                   "pair has no model design yet: solutions/pair.md is missing")
    wall.advance(60)
    start(kit, practice, wall, "adder")
    run(kit, practice, "abort", now=wall)
    one_line_error(run(kit, practice, "compare", "--design", "adder"), 1,
                   "was aborted during its design phase")
    one_line_error(run(kit, practice, "compare", "--design", "docstore"), 2,
                   "no session or kata named 'docstore'")


@pytest.mark.edge
def test_compare_design_pages_on_a_terminal_and_never_when_piped(kit, practice, wall, tmp_path,
                                                                 monkeypatch):
    designed_session(kit, practice, wall)
    paged = tmp_path / "paged.txt"
    environ = {"PAGER": f"sh -c 'cat > {paged}'", "TERM": "xterm"}
    monkeypatch.setenv("LINES", "5")
    out = Terminal()
    assert run(kit, practice, "compare", "--design", out=out, live=True, environ=environ).code == 0
    assert out.getvalue() == "" and "\033[1m## API\033[0m" in paged.read_text()
    paged.unlink()
    piped = run(kit, practice, "compare", "--design", environ=environ)
    assert "## API" in piped.out and "\033[" not in piped.out and not paged.exists()


def typed(*answers: object):
    """A terminal's input: each answer typed in turn; an exception is raised there instead
    (Ctrl-D is EOFError, Ctrl-C KeyboardInterrupt); past the last, Ctrl-D."""
    pending = list(answers)
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        answer = pending.pop(0) if pending else EOFError()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    read.prompts = prompts
    return read


def on_terminal(**overrides: object) -> dict:
    return {"out": Terminal(), "live": True, "keyboard": True, **overrides}


@pytest.mark.core
def test_followups_are_asked_one_at_a_time_and_the_ratings_kept_in_the_history(
        kit, practice, wall):
    designed_session(kit, practice, wall)
    read = typed("", "4", "", "x", "2")
    terminal = on_terminal(read=read)
    result = run(kit, practice, "followups", "adder", now=wall, **terminal)
    assert result.code == 0, result
    out = terminal["out"].getvalue()
    assert "Follow-up 1 of 2: What changes if the numbers are huge?" in out
    assert "The model answer:" in out and "Nothing: Python's integers are unbounded" in out
    assert "'x' is not a rating" in out
    assert "adder: 2 of 2 questions asked, 2 rated: average 3.0 of 5" in out
    assert read.prompts[1] == "rate yourself 1-5 (Enter skips): "
    rounds = [line for line in history_lines(practice) if line.get("kind") == "followups"]
    assert rounds == [{"kind": "followups", "kata": "adder", "at": rounds[0]["at"],
                       "session": history_lines(practice)[0]["session"],
                       "ratings": [{"question": "What changes if the numbers are huge?",
                                    "rating": 4},
                                   {"question": "How would you add decimals?", "rating": 2}]}]
    listed = run(kit, practice, "list").out.splitlines()[1].split()
    assert listed[-2:] == ["1", "0%"], "a round of follow-ups is no attempt"
    report = run(kit, practice, "report")
    assert report.err == "" and "Sessions (1, oldest first)" in report.out
    rated = report.out.split("Follow-up questions, rated by you (1-5):\n")[1].splitlines()
    assert rated[0].split() == ["adder", "1", "round", "average", "3.0", "latest", "3.0",
                                "lowest:", "How", "would", "you", "add", "decimals?", "(2.0)"]


@pytest.mark.edge
@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), EOFError()], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_ends_the_followups_keeping_the_ratings_given(kit, practice, wall,
                                                                       interrupt):
    terminal = on_terminal(read=typed("", "5", interrupt))
    result = run(kit, practice, "followups", "adder", now=wall, **terminal)
    assert result.code == 0 and result.err == "", result
    assert "adder: 1 of 2 questions asked, 1 rated: average 5.0 of 5" in terminal["out"].getvalue()
    (line,) = history_lines(practice)
    assert line["ratings"] == [{"question": "What changes if the numbers are huge?", "rating": 5}]
    assert line["session"] is None, "no session of adder yet"
    nothing = on_terminal(read=typed("", ""))
    assert run(kit, practice, "followups", "adder", now=wall, **nothing).code == 0
    assert "nothing rated, so nothing recorded" in nothing["out"].getvalue()
    assert len(history_lines(practice)) == 1


@pytest.mark.core
def test_followups_without_a_terminal_print_every_question_and_answer(kit, practice, wall):
    result = run(kit, practice, "followups", "adder", now=wall)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[:3] == ["Follow-up 1 of 2: What changes if the numbers are huge?",
                         "Nothing: Python's integers are unbounded; floats lose precision past "
                         "2**53.", ""]
    assert "Follow-up 2 of 2: How would you add decimals?" in lines
    assert lines[-1] == "On a terminal, `python timer.py followups adder` asks them one at a " \
                        "time and keeps your ratings."
    assert not (practice / "history.jsonl").exists()


@pytest.mark.errors
def test_followups_wait_for_the_end_of_a_session_of_that_kata(kit, practice, wall):
    start(kit, practice, wall, "adder")
    one_line_error(run(kit, practice, "followups", "adder", now=wall), 1,
                   "your adder session adder-", "is still running (design phase, 15:00 left)")
    assert run(kit, practice, "followups", "docstore", now=wall).code == 0, "another kata's"
    one_line_error(run(kit, practice, "followups", "pair", now=wall), 1,
                   "pair has no model design yet: solutions/pair.md is missing")
    one_line_error(run(kit, practice, "followups", "adr", now=wall), 2, "unknown kata 'adr'")


@pytest.mark.edge
def test_every_history_reader_tolerates_records_of_other_kinds(kit, practice, wall):
    practice.mkdir()
    good = '{"kata": "adder", "score": {"passed": 4, "total": 4}}\n'
    rounds = ('{"kind": "followups", "kata": "adder", "ratings": [{"question": "Q?", '
              '"rating": 3}]}\n{"kind": "from-a-newer-timer", "kata": "adder"}\n')
    broken = '{"kind": "followups", "kata": "adder", "ratings": [{"question": "Q?", ' \
             '"rating": 9}]}\n'
    (practice / "history.jsonl").write_text(good + rounds + broken)
    for command in ("list", "report", "plan"):
        result = run(kit, practice, command, now=wall)
        assert result.code == 0, result
        assert result.err.splitlines() == ["timer: warning: history.jsonl line 4 is corrupt "
                                           "(ratings[0] is not a question rated 1-5): skipped"]
    assert run(kit, practice, "list").out.splitlines()[1].split()[-2:] == ["1", "100%"]
    assert "Sessions (1, oldest first)" in run(kit, practice, "report").out


@pytest.mark.core
def test_plan_shows_the_week_marked_from_the_history_and_what_to_run_today(kit, practice, wall):
    designed_session(kit, practice, wall, "docstore", MY_DESIGN, "--level", "base")
    four = run(kit, practice, "plan").out.splitlines()
    assert four[0].startswith("The week plan, 4-hour days")
    assert day_row(four, 1)[2] == "done" and day_row(four, 2)[2] == "today", four
    assert today_lines(four)[1] == "  `python timer.py start pubsub --preset study --level base`"
    six = run(kit, practice, "plan", "--hours", "6").out.splitlines()
    assert day_row(six, 1)[2] == "today", "graded without the extensions: not a 6-hour day 1"
    one_line_error(run(kit, practice, "plan", "--hours", "5"), 2, "--hours",
                   "invalid choice: 5")


@pytest.mark.core
def test_start_preset_study_runs_the_plans_long_blocks_and_is_recorded_as_study(
        kit, practice, wall):
    result = start(kit, practice, wall, "pair", "--preset", "study")
    assert "(level full, a study session)" in result.out
    assert "design phase: 1:00:00 to write design.md" in result.out
    data = json.loads((only_session(practice) / "session.json").read_text())
    assert [p["box"] for p in data["phases"]] == [3600, 4500, 2700] and data["preset"] == "study"
    assert "graded at level full; a study session" in run(kit, practice, "status", now=wall).out
    for _ in range(3):
        run(kit, practice, "next", "--yes", now=wall, **FAST)
    (line,) = history_lines(practice)
    assert line["preset"] == "study" and line["boxes"] == "60/75/45"
    card = (only_session(practice) / "scorecard.txt").read_text()
    assert card.startswith(f"Scorecard: pair ({line['session']}, a study session)\n"), card


@pytest.mark.errors
def test_a_preset_and_boxes_together_are_one_usage_error(kit, practice):
    one_line_error(run(kit, practice, "start", "adder", "--preset", "study", "--boxes",
                       "1/2/1"), 2, "--preset study sets the boxes (60/75/45)",
                   "give --boxes or --preset, not both")
    one_line_error(run(kit, practice, "start", "adder", "--preset", "long"), 2,
                   "invalid choice: 'long'")
    assert not practice.exists(), "nothing is created"


@pytest.mark.edge
def test_a_session_state_with_an_unknown_preset_is_corrupt(kit, practice, wall):
    start(kit, practice, wall, "adder")
    path = only_session(practice) / "session.json"
    path.write_text(path.read_text().replace('"preset": null', '"preset": "sprint"'))
    one_line_error(run(kit, practice, "status", now=wall), 1, "is corrupt", "preset")


def synthetic(kata: str, day: int, passed: int, preset: str | None = None,
              design: dict | None = None, used: tuple = (900, 3600, 900)) -> dict:
    planned = (3600, 4500, 2700) if preset else (900, 3600, 900)
    return {"session": f"{kata}-2025010{day}-120000", "kata": kata, "level": "full",
            "start": f"2025-01-0{day}T12:00:00+00:00", "preset": preset, "design": design,
            "phases": [{"name": name, "planned": box, "used": use, "ending": "deadline"}
                       for name, box, use in zip(("design", "code", "tests"), planned, used,
                                                 strict=True)],
            "score": {"passed": passed, "total": 4}, "tests": [], "aborted": False}


def report_section(out: str, title: str) -> list[str]:
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    return lines[first + 1:end]


@pytest.mark.core
def test_report_keeps_study_sessions_apart_and_shows_the_key_decisions_over_time(kit, practice):
    practice.mkdir()
    records = [
        synthetic("adder", 1, 2, design={"found": 1, "total": 3, "missing": ["B", "C"]},
                  used=(450, 3600, 900)),
        synthetic("adder", 2, 4, "study", {"found": 3, "total": 3, "missing": []},
                  used=(3600, 4500, 2700)),
        synthetic("adder", 3, 3, design={"found": 2, "total": 3, "missing": ["B"]})]
    (practice / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = run(kit, practice, "report").out
    sessions = report_section(out, "Sessions (3, oldest first)")
    assert sessions[0].split()[:4] == ["DATE", "KATA", "LEVEL", "BOXES"]
    assert sessions[0].split()[-1] == "DECISIONS"
    assert [row.split()[4] for row in sessions[1:]] == ["mock", "study", "mock"]
    assert [row.split()[-1] for row in sessions[1:]] == ["1/3", "3/3", "2/3"]
    assert report_section(out, "Per kata") == ["  adder          2  50% / 75% / 75%",
                                               "  adder (study)  1  100% / 100% / 100%"]
    assert report_section(out, "Key decisions found") == [
        "  adder          2  1/3 / 2/3  missed most: B (2 of 2)",
        "  adder (study)  1  3/3 / 3/3  none missed"]
    assert "75% of the box on average" in report_section(out, "Time use:")[0], \
        "(450 + 900) / 1800: the study session's hour is not in it"
    assert "100% of the box" in report_section(out, "Time use in study sessions (60/75/45):")[0]
    listed = run(kit, practice, "list").out.splitlines()[1].split()
    assert listed[-3:] == ["3", "100%", "(study)"], "the best counts study sessions, marked"
    sheet = practice / "gaps.md"
    run(kit, practice, "report", "--markdown", str(sheet))
    assert "## Time use in study sessions (60/75/45)" in sheet.read_text()
    alone = run(kit, practice, "report", "--last", "1").out
    assert "BOXES" not in alone and "Time use in study" not in alone, "no study session there"


@pytest.mark.edge
def test_the_scorecard_with_its_design_block_still_fits_in_forty_lines(kit):
    from katakit import phases
    from katakit.grading import OwnRun, OwnTests
    from katakit.kit import Kit, Level
    from katakit.report import scorecard
    from katakit.terminal import Style
    from katakit.verdict import Verdict
    from sample_kit import failing_grade
    session = phases.new_session("adder-20250101-120000", Kit(kit).problem("adder"),
                                 [60, 60, 60], Level.FULL, 1000.0)
    grade = failing_grade([(f"test_{i}", "core", "failed") for i in range(30)])
    checked = design.DesignCheck(1, 7, list("abcdef"))
    block = checked.lines()
    lines = scorecard(session, Verdict(grade, OwnTests(OwnRun(2), OwnRun(2), 50, 50),
                                       design=checked), 3, Style(False), offer="the offer")
    assert len(lines) <= 40 and lines[-1] == "the offer", lines
    assert block[-1] in lines, "the design block is kept whole; the failures listed shrink"


@pytest.mark.edge
def test_compare_design_waits_for_the_change_request_the_model_design_also_answers(
        kit, practice, wall):
    start(kit, practice, wall, "docstore")
    run(kit, practice, "next", "--yes", now=wall)
    session = only_session(practice).name
    one_line_error(run(kit, practice, "compare", "--design", "docstore", now=wall), 1,
                   "also answers the sealed change request", f"once {session} reveals it",
                   "in 40:00")
    wall.advance(40 * 60 + 1)
    result = run(kit, practice, "compare", "--design", "docstore", now=wall)
    assert result.code == 0 and f"\n{session}: your design.md at the design deadline" in \
        result.out, result


@pytest.mark.edge
def test_an_aborted_study_session_adds_no_empty_time_use_section(kit, practice):
    practice.mkdir()
    aborted = synthetic("adder", 2, 0, "study")
    aborted.update(aborted=True, score=None)
    aborted["phases"] = [{"name": "design", "planned": 3600, "used": 60, "ending": "aborted"},
                         {"name": "code", "planned": 4500, "used": None, "ending": None},
                         {"name": "tests", "planned": 2700, "used": None, "ending": None}]
    records = [synthetic("adder", 1, 2), aborted]
    (practice / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = run(kit, practice, "report").out
    assert "Time use in study sessions" not in out, \
        f"report shows time use for a study session that used no box:\n{out}"
    assert report_section(out, "Time use:"), "the mock-box session's time use is still there"


@pytest.mark.edge
def test_a_narrowed_skill_gap_sheet_still_knows_every_kata_practised(kit, practice):
    practice.mkdir()
    records = [synthetic("adder", 1, 2), synthetic("pair", 2, 1)]
    (practice / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    sheet = practice / "gaps.md"
    run(kit, practice, "report", "--kata", "pair", "--markdown", str(sheet))
    text = sheet.read_text()
    assert "**adder**: not attempted yet" not in text, \
        f"report --kata pair --markdown calls adder unattempted:\n{text}"
    assert "**adder**: best 50%" in text, f"adder's graded session is not weighed:\n{text}"
