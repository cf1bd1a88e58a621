"""The timer's internals: the state and the history read back as they were written, old files
included, and the small parts every command leans on."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

import katakit
from katakit import fields
from katakit.errors import StateError, reason
from katakit.history import FollowupsRound, SessionRecord, read
from katakit.session import Ending, LateEdit, PhaseName, Session, Snapshot, Status
from sample_kit import run

KATAKIT = Path(katakit.__file__).parent

# A line as the timer wrote it before its records were typed (a real one, its lists cut).
OLD_HISTORY_LINE = (
    '{"session": "order_book-20261201-163527", "kata": "order_book", "size": "full", "level": '
    '"full", "start": "2026-12-01T16:35:27+00:00", "boxes": "0.02/0.06/0.02", "phases": [{"name":'
    ' "design", "planned": 1.2, "used": 1.2, "ending": "deadline", "saved": 0.0, "late_by": 0.0, '
    '"sha256": "c8edf874fcefc1510474c87692d009e25dcff6c334d1b462cddf4aab450fcf14"}, {"name": '
    '"code", "planned": 3.6, "used": 3.6, "ending": "deadline", "saved": 0.0, "late_by": 0.0, '
    '"sha256": "3921f8f6e8988a6e4a36f6fc924ae54b845196904dec771d81d39866df4add04"}, {"name": '
    '"tests", "planned": 1.2, "used": 1.2, "ending": "deadline", "saved": 0.0, "late_by": 0.0, '
    '"sha256": "5e8d66ef7b93b76568fffb212ece75b1d803d19ab035c21fe4208c76c8ee4142"}], "score": '
    '{"passed": 0, "total": 75}, "grade_error": null, "tests": [{"name": '
    '"test_resting_orders_set_the_best_bid_and_ask_and_the_depth", "category": "core", "outcome":'
    ' "error", "message": "NotImplementedError (raised in __init__, order_book.py line 152)"}, '
    '{"name": "test_a_crossing_buy_trades_at_the_resting_orders_price", "category": "core", '
    '"outcome": "error", "message": "NotImplementedError (raised in __init__, order_book.py line '
    '152)"}], "own_tests": {"tests": 0, "passed": 0, "failed": {}, "error": null, "coverage": '
    '{"line": null, "branch": null}, "reference": {"total": 0, "failed": {}, "error": null, '
    '"passed": 0}, "valid": false}, "quality": {"findings": 0, "families": {}, "longest": '
    '["OrderBook.submit", 10], "complexity": ["OrderBook.__init__", 1], "reference": {"findings":'
    ' 0, "families": {}, "longest": ["OrderBook.submit", 25], "complexity": ["_Side.prices", '
    '5]}}, "late_edits": [], "hints": 0, "aborted": false, "unverified": false, "mock": '
    '"mock-20261201-163527", "change": {"state": "revealed", "after": 2.3999999999999995, '
    '"revealed_after": 2.401, "late_by": 0.0, "passed": 0, "total": 14, "cost": {"added": 0, '
    '"removed": 0, "functions_before": 9, "modified": [], "error": null}}, "preset": null, '
    '"design": {"found": 0, "total": 7, "missing": ["A dict of price levels plus a heap of prices'
    ' per side, bids stored negated", "Each level is a FIFO keyed by order id (OrderedDict)"]}}'
)
# An active session.json as the timer wrote it before its state was typed: in the code phase,
# its change request revealed, a late edit of design.md recorded.
OLD_SESSION = """\
{
 "id": "docstore-20261201-164556",
 "kata": "docstore",
 "title": "In-memory document store",
 "size": "full",
 "level": "full",
 "created": 1796143556.7467282,
 "phases": [
  {
   "name": "design",
   "file": "design.md",
   "box": 3.0,
   "start": 1796143556.7467282,
   "deadline": 1796143559.7467282,
   "ended_at": 1796143559.7467282,
   "ending": "deadline",
   "snapshot": {
    "file": "snapshots/design.md",
    "sha256": "aee861214fbb5ef3803275254a707997212d6c13a9a4f5657acfa1483d541357",
    "taken_at": 1796143559.7473812,
    "mtime": 1796143556.7469087,
    "on_time": true,
    "late_by": 0.0
   }
  },
  {
   "name": "code",
   "file": "docstore.py",
   "box": 18.0,
   "start": 1796143559.7467282,
   "deadline": 1796143577.7467282,
   "ended_at": null,
   "ending": null,
   "snapshot": null
  },
  {
   "name": "tests",
   "file": "test_mine.py",
   "box": 3.0,
   "start": null,
   "deadline": null,
   "ended_at": null,
   "ending": null,
   "snapshot": null
  }
 ],
 "status": "active",
 "late_edits": [
  {
   "phase": "design",
   "file": "design.md",
   "sha256": "d7a947afb83785a1ee2bf79c39a91e13cf34121dab7ff107f6368a8f57e5dc57",
   "detected_at": 1796143561.7475436,
   "seconds_after_end": 1.908
  }
 ],
 "hints": 0,
 "mock": null,
 "modes": {
  "docstore.py": 420,
  "test_mine.py": 420,
  "design.md": 420
 },
 "change": {
  "after": 12.0,
  "revealed_at": 1796143571.7474895,
  "snapshot": {
   "file": "snapshots/docstore.before-change.py",
   "sha256": "08878265d9ecd185d064d667d2254b9becfbcab05460654ec68a4b9f10d32021",
   "taken_at": 1796143571.7474895,
   "mtime": 1796143556.7473593,
   "on_time": true,
   "late_by": 0.0
  }
 },
 "preset": null,
 "format": 1
}
"""

OLD_FOLLOWUPS_LINE = ('{"kind": "followups", "kata": "docstore", "at": '
                      '"2026-12-01T17:02:11+00:00", "session": "docstore-20261201-164556", '
                      '"ratings": [{"question": "What changes at 100x the load?", "rating": 4}, '
                      '{"question": "Why a lock per collection?", "rating": null}]}')


@pytest.mark.core
def test_a_session_json_written_before_the_state_was_typed_reads_and_writes_back_the_same():
    session = Session.from_json(OLD_SESSION)
    design, code, tests = session.phases
    assert (design.ending, code.ending, session.current) == (Ending.DEADLINE, None, code)
    assert isinstance(design.snapshot, Snapshot) and session.status is Status.ACTIVE
    assert session.late_edits == [LateEdit(PhaseName.DESIGN, "design.md", session.late_edits[0]
                                           .sha256, 1796143561.7475436, 1.908)]
    assert session.change.snapshot.file == "snapshots/docstore.before-change.py"
    assert json.loads(session.to_json()) == json.loads(OLD_SESSION), "the same, field for field"


@pytest.mark.core
def test_status_carries_on_with_a_session_written_before_the_state_was_typed(kit, practice, clock):
    data = json.loads(OLD_SESSION)
    folder = practice / data["id"]
    folder.mkdir(parents=True)
    (folder / "session.json").write_text(OLD_SESSION)
    (practice / "active.json").write_text(json.dumps({"session": data["id"]}))
    clock.now = data["change"]["revealed_at"] + 2
    result = run(kit, practice, "status", now=clock)
    assert result.code == 0, result
    assert "phase    code: 0:04 left" in result.out
    assert "change   revealed at" in result.out


@pytest.mark.core
def test_history_lines_written_before_the_records_were_typed_read_back_as_written(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text(OLD_HISTORY_LINE + "\n" + OLD_FOLLOWUPS_LINE + "\n")
    warned = []
    found = read(path, warned.append)
    assert warned == []
    (record,) = found.sessions
    assert isinstance(record, SessionRecord) and record.share == 0 and record.counts
    assert record.change.total == 14 and record.quality.reference.longest == ("OrderBook.submit",
                                                                             25)
    assert record.to_json() == json.loads(OLD_HISTORY_LINE), "the same line, field for field"
    (round_,) = found.rounds
    assert isinstance(round_, FollowupsRound) and [r.rating for r in round_.ratings] == [4, None]
    assert round_.to_json() == json.loads(OLD_FOLLOWUPS_LINE)


@pytest.mark.edge
def test_a_history_line_with_only_a_kata_reads_with_every_field_at_its_default(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"kata": "adder", "level": "core", "start": "yesterday"}\n')
    (record,) = read(path, pytest.fail).sessions
    assert record.level == "base", "an old level read in today's words"
    assert (record.start, record.score, record.share, record.counts) == (None, None, None, False)


@pytest.mark.errors
@pytest.mark.parametrize("exc, why", [
    (json.JSONDecodeError("Expecting value", "x: y", 0), "Expecting value"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not utf-8 text"),
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (IsADirectoryError(21, "Is a directory", "practice/active.json"), "Is a directory"),
    (ValueError("session is 3, expected an object"), "session is 3, expected an object")])
def test_a_reason_says_why_without_the_file_name_or_position(exc, why):
    assert reason(exc) == why


@pytest.mark.errors
def test_an_error_keeps_what_went_wrong_apart_from_its_remedy():
    error = StateError("C:/practice/x.json is corrupt", "`python timer.py abort` forgets it")
    assert str(error) == "C:/practice/x.json is corrupt: `python timer.py abort` forgets it"
    assert error.what == "C:/practice/x.json is corrupt", "a colon in a path cuts nothing"
    assert StateError("no remedy").what == str(StateError("no remedy"))


@pytest.mark.errors
@pytest.mark.parametrize("read, value, message", [
    (fields.obj, [], "x is [], expected an object"),
    (fields.listed, {}, "x is {}, expected a list"),
    (fields.text, 3, "x is 3, expected a string"),
    (fields.number, float("nan"), "x is nan, expected a number from -1e+10 to 1e+10"),
    (fields.number, True, "x is True, expected a number from -1e+10 to 1e+10"),
    (fields.whole, -1, "x is -1, expected a whole number of at least 0"),
    (fields.flag, "yes", "x is 'yes', expected true or false"),
    (lambda v, w: fields.member(v, w, Status), "done", "x is 'done', expected one of active, "
                                                       "finished, aborted"),
    (lambda v, w: fields.whole(v, w, 1, 2), 3, "x is 3, expected a whole number from 1 to 2")])
def test_each_field_names_the_value_found_and_what_was_expected(read, value, message):
    with pytest.raises(ValueError) as raised:
        read(value, "x")
    assert str(raised.value) == message


def string_constants(path: Path) -> set[str]:
    """The strings a module spells out in its code (its docstrings left aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings}


@pytest.mark.edge
@pytest.mark.parametrize("owner, words", [
    # The categories (but "core", also an old level, and "change", also a key of the state) and
    # where a problem's files are: katakit.kit. How pytest is run: katakit.grading.
    ("kit.py", {"edge", "errors", "concurrency", "extension", "perf", "katas", "solutions",
                "mutants"}),
    ("grading.py", {"pytest"})])
def test_the_kits_vocabulary_is_spelt_out_in_one_module(owner, words):
    spelt = {path.name: string_constants(path) & words
             for path in sorted(KATAKIT.glob("*.py")) if path.name != owner}
    assert {name: found for name, found in spelt.items() if found} == {}, \
        f"{owner} decides these; the others ask it"


@pytest.mark.errors
def test_a_ruff_report_of_another_shape_is_a_review_error_not_a_traceback(tmp_path, monkeypatch):
    from katakit import quality
    mine = tmp_path / "adder.py"
    mine.write_text("def add(a, b):\n    return a + b\n")
    monkeypatch.setattr(quality, "_ruff", lambda: [
        sys.executable, "-c", "print('[{\"code\": \"F401\", \"filename\": 3}]')"])
    (config := tmp_path / "pyproject.toml").write_text("[tool.ruff]\n")
    reviews = quality.ReviewRun([mine], config).result()
    assert reviews[mine].error == "ruff failed: its report cannot be read (ruff's diagnostic 1 " \
                                  "location is None, expected an object)"


@pytest.mark.edge
@pytest.mark.parametrize("settings, limit", [
    ("[tool.ruff.lint.mccabe]\nmax-complexity = 7\n", 7), ("[tool.ruff]\nline-length = 9\n", 10),
    ("[tool.ruff.lint.mccabe]\nmax-complexity = 'x'\n", 10), ("[tool\n", 10),
    ("tool = 3\n", 10)])
def test_the_complexity_limit_is_read_from_the_kits_settings(tmp_path, settings, limit):
    from katakit.quality import max_complexity
    (config := tmp_path / "pyproject.toml").write_text(settings)
    assert max_complexity(config) == limit


@pytest.mark.edge
def test_the_package_docstring_names_every_module():
    named = set(re.findall(r"``(\w+)``", katakit.__doc__))
    modules = {path.stem for path in KATAKIT.glob("*.py")} - {"__init__"}
    assert modules - named == set(), "a module the package's docstring does not name"
