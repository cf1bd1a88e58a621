"""Grading in child processes: the kit's strict suite, and the user's own tests.

pytest runs as ``sys.executable -m pytest`` and reports through the kit's ``--report-json`` (never
its text output). The user's tests run twice in scratch folders: against their snapshot under
coverage, and against the reference solution.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import StateError
from .kit import Category, Problem
from .results import Case, read_report

INSTALL = "python3 -m pip install -r requirements.txt"
OWN_TEST_TIMEOUT = 600  # seconds for the user's whole suite; pytest-timeout bounds each test


def require_pytest() -> None:
    """StateError saying how to install pytest when this Python lacks it."""
    if importlib.util.find_spec("pytest") is None:
        raise StateError(f"pytest is not installed for {sys.executable}: install the kit's "
                         f"requirements with `{INSTALL}`")


@dataclass
class Grade:
    """The strict suite's verdict on one implementation."""

    problem: str
    level: str
    tests: list[Case] = field(default_factory=list)
    error: str | None = None  # the implementation could not be graded at all
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def total(self) -> int:
        return len(self.tests)

    @property
    def failures(self) -> list[Case]:
        return [t for t in self.tests if t.outcome.is_failure]

    def by_category(self) -> dict[str, tuple[int, int]]:
        """category -> (passed, total), the kit's categories first, in their order."""
        counts: dict[str, list[int]] = {}
        for test in self.tests:
            entry = counts.setdefault(test.category, [0, 0])
            entry[0] += test.passed
            entry[1] += 1
        order = [c for c in Category if c in counts] + sorted(set(counts) - set(Category))
        return {c: (counts[c][0], counts[c][1]) for c in order}


def strict_command(problem: Problem, impl: Path, level: str, report: Path,
                   only: list[str] | None = None) -> list[str]:
    """The pytest command line grading `impl`, its JSON report written to `report`."""
    targets = [f"{problem.tests}::{name}" for name in only] if only else [str(problem.tests)]
    command = [sys.executable, "-m", "pytest", *targets, "--impl", str(impl),
               "--report-json", str(report), "-q", "-p", "no:cacheprovider"]
    if level == "core":
        command += ["-m", "not extension"]
    return command


def grade(problem: Problem, impl: Path | None, level: str, only: list[str] | None = None
          ) -> Grade:
    """Run tests/test_NAME.py (or `only` the tests named) against `impl` at `level`.

    `impl` None means the file was missing: that is a Grade with an error, not an exception.
    """
    if impl is None or not impl.is_file():
        return Grade(problem.name, level, error=f"there is no {problem.name}.py to grade")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        report = Path(scratch) / "report.json"
        command = strict_command(problem, impl, level, report, only)
        done = subprocess.run(command, cwd=problem.root, capture_output=True, text=True)
        result = _read_report(problem, level, report, done)
    result.seconds = time.perf_counter() - started
    return result


def _read_report(problem: Problem, level: str, report: Path,
                 done: subprocess.CompletedProcess) -> Grade:
    try:
        data = read_report(report)
    except OSError:
        data = None
    if data is None or (data.error is None and not data.finished):
        return Grade(problem.name, level, error=f"pytest exited with code {done.returncode}: "
                                                f"{_what_went_wrong(done)}")
    return Grade(problem.name, level, data.tests, error=data.error)


def _what_went_wrong(done: subprocess.CompletedProcess) -> str:
    """The line of pytest's output that says what went wrong (an error line, else the last)."""
    lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no output"])[-1]


@dataclass
class OwnRun:
    """The user's tests run once: how many, which failed (with their first line)."""

    total: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def passed(self) -> int:
        return self.total - len(self.failed)


@dataclass
class OwnTests:
    """The user's test_mine.py against their own code (with coverage) and the reference."""

    mine: OwnRun
    reference: OwnRun
    line: float | None = None  # coverage of NAME.py in percent; None when not measured
    branch: float | None = None

    @property
    def valid(self) -> bool:
        """A suite is valid when it has tests and the reference solution passes all of them."""
        return self.reference.error is None and self.reference.total > 0 and \
            not self.reference.failed

    def to_dict(self) -> dict:
        return {"tests": self.mine.total, "passed": self.mine.passed,
                "failed": self.mine.failed, "error": self.mine.error,
                "coverage": {"line": self.line, "branch": self.branch},
                "reference": asdict(self.reference) | {"passed": self.reference.passed},
                "valid": self.valid}


def run_own_tests(problem: Problem, code: Path | None, tests: Path | None) -> OwnTests:
    """test_mine.py against `code` under coverage and against the reference, side by side."""
    if tests is None or not tests.is_file():
        missing = OwnRun(error="there is no test_mine.py")
        return OwnTests(missing, missing)
    with ThreadPoolExecutor(max_workers=2) as pool:
        mine = pool.submit(_own_run, problem.name, code, tests, True)
        reference = pool.submit(_own_run, problem.name, problem.solution, tests, False)
        (run, line, branch), (ref, _, _) = mine.result(), reference.result()
    return OwnTests(run, ref, line, branch)


def _own_run(name: str, code: Path | None, tests: Path,
             measure: bool) -> tuple[OwnRun, float | None, float | None]:
    if code is None or not code.is_file():
        return OwnRun(error=f"there is no {name}.py to test"), None, None
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        folder = Path(scratch)
        shutil.copyfile(code, folder / f"{name}.py")
        shutil.copyfile(tests, folder / "test_mine.py")
        # An ini file here keeps pytest from adopting any configuration above the scratch folder.
        (folder / "pytest.ini").write_text("[pytest]\ntimeout = 60\n" if _has("pytest_timeout")
                                           else "[pytest]\n", encoding="utf-8")
        pytest_args = ["-m", "pytest", "test_mine.py", "-q", "-p", "no:cacheprovider",
                       "--junitxml", "results.xml"]
        measure = measure and _has("coverage")
        if measure:
            pytest_args = ["-m", "coverage", "run", "--branch", f"--include={name}.py",
                           *pytest_args]
        try:
            done = subprocess.run([sys.executable, *pytest_args], cwd=folder, text=True,
                                  capture_output=True, timeout=OWN_TEST_TIMEOUT)
        except subprocess.TimeoutExpired:
            return OwnRun(error=f"test_mine.py ran over {OWN_TEST_TIMEOUT} s"), None, None
        run = _read_junit(folder / "results.xml", done)
        line = branch = None
        if measure and run.total:
            line, branch = _coverage(folder, name)
    return run, line, branch


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _read_junit(path: Path, done: subprocess.CompletedProcess) -> OwnRun:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return OwnRun(error=f"pytest exited with code {done.returncode}: {_what_went_wrong(done)}")
    run = OwnRun()
    for case in root.iter("testcase"):
        run.total += 1
        failure = next((child for child in case if child.tag in ("failure", "error")), None)
        if failure is not None:
            message = (failure.get("message") or failure.text or failure.tag).strip()
            run.failed[case.get("name", "?")] = message.splitlines()[0] if message else failure.tag
    if run.total == 0 and done.returncode not in (0, 5):
        run.error = f"pytest exited with code {done.returncode}: {_what_went_wrong(done)}"
    return run


def _coverage(folder: Path, name: str) -> tuple[float | None, float | None]:
    subprocess.run([sys.executable, "-m", "coverage", "json", "-q", "-o", "coverage.json",
                    f"--include={name}.py"], cwd=folder, capture_output=True, text=True)
    try:
        totals = json.loads((folder / "coverage.json").read_text(encoding="utf-8"))["totals"]
    except (OSError, ValueError, KeyError):
        return None, None
    line = 100.0 * totals["covered_lines"] / totals["num_statements"] \
        if totals["num_statements"] else 100.0
    branch = 100.0 * totals["covered_branches"] / totals["num_branches"] \
        if totals.get("num_branches") else 100.0
    return round(line, 1), round(branch, 1)
