"""The report of one graded pytest run: written by tests/conftest.py, read by the timer and the kit.

``pytest --report-json FILE`` writes one JSON object per line as the run goes, so a reader can show
progress while it runs and still has every result up to the moment a run had to be stopped:

    {"event": "collected", "impl": LABEL, "tests": [{"id": NODEID, "category": CATEGORY}, ...]}
    {"event": "test", "id": NODEID, "outcome": OUTCOME, "message": FIRST LINE, "seconds": S,
     "limit": S}
    {"event": "error", "message": WHY}       the implementation could not be graded at all
    {"event": "finished", "exit": CODE}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the test's setup or teardown failed
    SKIPPED = "skipped"
    HUNG = "hung"  # no result within the test's time limit
    NOT_RUN = "not run"  # the run stopped before reaching it

    @property
    def is_failure(self) -> bool:
        return self in (Outcome.FAILED, Outcome.ERROR, Outcome.HUNG)


@dataclass
class Case:
    """One test's result. `name` is its node id without the file: ``test_x[case-1]``."""

    name: str
    category: str
    outcome: Outcome
    message: str | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)  # ValueError for an outcome the kit does not know

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    @property
    def function(self) -> str:
        """The test function, parametrized cases folded together."""
        return self.name.partition("[")[0]


@dataclass
class RunReport:
    impl: str | None = None
    tests: list[Case] = field(default_factory=list)
    error: str | None = None
    finished: bool = False
    exit_code: int | None = None


def short_name(node_id: str) -> str:
    return node_id.split("::", 1)[-1]


class ReportWriter:
    """Appends the report's lines to FILE, each flushed at once for readers following along."""

    def __init__(self, path: Path) -> None:
        # open for the whole run, closed by finished()
        self.stream: IO[str] = open(path, "w", encoding="utf-8")  # noqa: SIM115

    def _write(self, **line: Any) -> None:
        self.stream.write(json.dumps(line) + "\n")
        self.stream.flush()

    def collected(self, impl: str, tests: list[tuple[str, str]]) -> None:
        self._write(event="collected", impl=impl,
                    tests=[{"id": node_id, "category": category} for node_id, category in tests])

    def test(self, node_id: str, outcome: Outcome, message: str | None, seconds: float,
             limit: float | None) -> None:
        self._write(event="test", id=node_id, outcome=str(outcome), message=message,
                    seconds=round(seconds, 4), limit=limit)

    def error(self, message: str) -> None:
        self._write(event="error", message=message)

    def finished(self, exit_code: int) -> None:
        self._write(event="finished", exit=exit_code)
        self.stream.close()


def read_report(path: Path) -> RunReport:
    """What the report at `path` holds so far; tests collected but not reported are NOT_RUN.

    OSError when there is no report; a torn last line (a run being written or killed) is ignored.
    """
    report = RunReport()
    cases: dict[str, Case] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            _apply(report, cases, entry)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            continue  # a torn or foreign line
    report.tests = list(cases.values())
    return report


def _apply(report: RunReport, cases: dict[str, Case], entry: dict[str, Any]) -> None:
    event = entry["event"]
    if event == "collected":
        report.impl = str(entry.get("impl") or "")
        cases.clear()
        cases.update({t["id"]: Case(short_name(t["id"]), str(t["category"]), Outcome.NOT_RUN)
                      for t in entry["tests"]})
    elif event == "test" and entry.get("id") in cases:
        case = cases[entry["id"]]
        case.outcome = Outcome(entry["outcome"])
        message = entry.get("message")
        case.message = None if message is None else str(message)
        case.seconds = float(entry.get("seconds") or 0.0)
    elif event == "error":
        report.error = str(entry.get("message"))
    elif event == "finished":
        report.finished = True
        report.exit_code = entry.get("exit") if isinstance(entry.get("exit"), int) else None
