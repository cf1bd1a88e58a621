"""Grading in child processes: the kit's strict suite, and the user's own tests.

pytest runs as ``sys.executable -m pytest`` and reports in JSON lines streamed as each test finishes
(katakit/results.py), never through its text output. Every run is bounded: a child still running
at its wall limit is killed, with everything it started, and the tests it had not reported are
"not run". The user's tests run twice in scratch folders: against their snapshot under coverage,
and against the reference solution.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Any

from . import fields, invocation
from .errors import StateError
from .kit import BASE, FULL, Category, Problem, level_named
from .results import Case, Outcome, RunReport, read_report

STRICT_WALL = 40.0  # seconds a strict run may take; the suite's own limits end a hang sooner
OWN_WALL = 40.0  # the same for each run of the user's tests
OWN_TEST_LIMIT = 5.0  # seconds per test of the user's (shortened after a first hang)
FINISH_GRACE = 3.0  # seconds a run may take to exit after its last result (a thread left running)
POLL = 0.2  # seconds between looks at a running child's report
OWN_CONFTEST = Path(__file__).with_name("own_conftest.py")

Progress = Callable[[int, int], None]  # (tests done, tests collected), called while a run goes on

REQUIREMENTS = (("pytest", "pytest"), ("pytest_timeout", "pytest-timeout"),
                ("coverage", "coverage"), ("kata_kit_pytest", "the kit's pytest plugin"))


def missing_requirements(kit_root: Path) -> list[str]:
    """What grading needs and this Python lacks. Looked up without importing anything, and never
    in the kit's own folder, where ``kata_kit_pytest.py`` sits uninstalled."""
    here = kit_root.resolve()
    path = [p for p in sys.path if _resolved(p) != here]
    return [label for module, label in REQUIREMENTS if PathFinder.find_spec(module, path) is None]


def _resolved(entry: str) -> Path | None:
    try:
        return Path(entry or ".").resolve()
    except (OSError, RuntimeError):
        return None


def require_grading_python(kit_root: Path) -> None:
    """StateError saying exactly what to run when this Python cannot grade."""
    missing = missing_requirements(kit_root)
    if not missing:
        return
    names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    install = invocation.python_command("-m", "pip", "install", "-r", "requirements.txt")
    if _resolved(".") != kit_root.resolve():  # requirements.txt names the kit's folder as "."
        install = f"`cd {kit_root.resolve()} && {install[1:]}"
    hint = f"install the kit's requirements with {install}"
    venv = next((p for p in (kit_root / ".venv" / "bin" / "python",
                             kit_root / ".venv" / "Scripts" / "python.exe") if p.exists()), None)
    if venv is not None and _resolved(str(venv)) != _resolved(invocation.running_python()):
        with contextlib.suppress(ValueError):
            venv = venv.relative_to(Path.cwd())
        hint += f", or run the timer with the kit's virtual environment: " \
                f"{invocation.again_with(str(venv))}"
    raise StateError(f"{invocation.running_python()} cannot grade: it lacks {names}; {hint}")


# --- what a run selects ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which tests of a suite a run grades. `level` full is every category, base all but the
    extensions; `perf` adds the perf tests; `change` adds the sealed change request's tests,
    which stay out until the change request is revealed."""

    level: str = FULL
    perf: bool = True
    change: bool = False

    def left_out(self) -> list[Category]:
        return [category for category, out in ((Category.EXTENSION, self.level == BASE),
                                               (Category.PERF, not self.perf),
                                               (Category.CHANGE, not self.change)) if out]

    def marker_expression(self) -> str | None:
        """pytest's ``-m`` expression for this scope, None when nothing is left out."""
        return " and ".join(f"not {category}" for category in self.left_out()) or None


# --- bounded child processes -------------------------------------------------------------------


@dataclass
class Child:
    """How a bounded child process ended: its exit code (None when it was stopped), its output."""

    code: int | None
    output: str
    stopped_after: float | None = None


@dataclass(frozen=True)
class Watch:
    """How the caller follows a run: told how far it has got, and able to stop it."""

    progress: Progress | None = None
    cancel: threading.Event | None = None

    def tell(self, report: RunReport) -> None:
        if self.progress is not None:
            self.progress(sum(t.outcome is not Outcome.NOT_RUN for t in report.tests),
                          len(report.tests))

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


@dataclass(frozen=True)
class Bounded:
    """A child process run within bounds: `command` in `cwd`, stopped (with every process it
    started) after `wall` seconds, or a few seconds after its JSON-lines `report` says it
    finished, or when its watcher cancels it (KeyboardInterrupt)."""

    command: list[str]
    cwd: Path
    wall: float
    report: Path | None = None
    env: dict[str, str] | None = None

    def run(self, watch: Watch | None = None) -> Child:
        """Whatever ends this call, Ctrl-C included, leaves no process of the run behind."""
        watch = watch or Watch()
        started = time.monotonic()
        finished_at: float | None = None
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as output:
            process = subprocess.Popen(self.command, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT, env=self.env,
                                       **_OWN_GROUP)
            try:
                while True:
                    try:
                        code: int | None = process.wait(timeout=POLL)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                    now = time.monotonic()
                    if watch.cancelled:
                        raise KeyboardInterrupt
                    data = _peek(self.report)
                    if data is not None:
                        watch.tell(data)
                    if data is not None and data.finished:
                        finished_at = finished_at or now
                        if now - finished_at > FINISH_GRACE:
                            _stop(process)
                            code = data.exit_code
                            break
                    if now - started > self.wall:
                        _stop(process)
                        output.seek(0)
                        return Child(None, output.read(), self.wall)
            finally:
                if process.poll() is None:
                    _stop(process)
            output.seek(0)
            return Child(code, output.read())


if os.name == "posix":
    _OWN_GROUP: dict = {"process_group": 0}

    def _stop(process: subprocess.Popen) -> None:
        """Kill the child and its process group (a suite may have started processes of its own)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
else:  # pragma: no cover - Windows: the child alone
    _OWN_GROUP = {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}

    def _stop(process: subprocess.Popen) -> None:
        process.kill()
        process.wait()


def _peek(report: Path | None) -> RunReport | None:
    if report is None:
        return None
    try:
        return read_report(report)
    except OSError:
        return None


def _what_went_wrong(output: str) -> str:
    """The line of pytest's output that says what went wrong (an error line, else the last)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no output"])[-1]


def stopped_message(seconds: float) -> str:
    return f"not run: grading stopped after {seconds:g} s"


def mark_stopped(tests: list[Case], seconds: float) -> None:
    """After a run stopped at its wall limit: the first test without a result was running (tests
    run in the order collected), so it hung past every limit; the ones after it never ran."""
    running = True
    for case in tests:
        if case.outcome is Outcome.NOT_RUN:
            if running:
                case.outcome = Outcome.HUNG
                case.message = f"hung: still running when grading stopped after {seconds:g} s"
                running = False
            else:
                case.message = stopped_message(seconds)


# --- the strict suite --------------------------------------------------------------------------


@dataclass
class Grade:
    """The strict suite's verdict on one implementation."""

    problem: str
    scope: Scope
    tests: list[Case] = field(default_factory=list)
    error: str | None = None  # the implementation could not be graded at all
    seconds: float = 0.0
    stopped_after: float | None = None  # the run was stopped at its wall limit

    @property
    def level(self) -> str:
        return self.scope.level

    @property
    def passed(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def total(self) -> int:
        return len(self.tests)

    @property
    def all_passed(self) -> bool:
        return self.error is None and self.passed == self.total

    @property
    def failures(self) -> list[Case]:
        """Every test that did not pass, hung and not run included, in the suite's order."""
        return [t for t in self.tests if t.outcome not in (Outcome.PASSED, Outcome.SKIPPED)]

    def category(self, name: str) -> tuple[int, int]:
        tests = [t for t in self.tests if t.category == name]
        return sum(t.passed for t in tests), len(tests)

    def by_category(self) -> dict[str, tuple[int, int]]:
        """category -> (passed, total), the kit's categories first, in their order."""
        counts: dict[str, list[int]] = {}
        for test in self.tests:
            entry = counts.setdefault(test.category, [0, 0])
            entry[0] += test.passed
            entry[1] += 1
        return {c: (counts[c][0], counts[c][1]) for c in sorted(counts, key=Category.rank)}


def strict_command(problem: Problem, impl: Path, scope: Scope | str, report: Path,
                   only: list[str] | None = None) -> list[str]:
    """The pytest command line grading `impl`, its JSON report written to `report`.

    `scope` may also be a bare level, "full" or "base", for a run of every test at that level
    (the kit's own checks grade so, change tests included).

    ``--impl=FILE`` is one word so that pytest never takes FILE for a path to collect (a FILE
    outside the kit would otherwise make the kit's plugin run pytest a second time), and
    tracebacks are not formatted: only the report is read.
    """
    if isinstance(scope, str):
        scope = Scope(level_named(scope), perf=True, change=True)
    targets = [f"{problem.tests}::{name}" for name in only] if only else [str(problem.tests)]
    command = [sys.executable, "-m", "pytest", *targets, f"--impl={impl}",
               f"--report-json={report}", "-q", "--tb=no", "-rN", "-p", "no:cacheprovider"]
    expression = scope.marker_expression()
    if expression and not only:
        command += ["-m", expression]
    return command


def grade(problem: Problem, impl: Path | None, scope: Scope, only: list[str] | None = None,
          watch: Watch | None = None) -> Grade:
    """Run tests/test_NAME.py (or `only` the tests named) against `impl` within `scope`.

    `impl` None means the file was missing: that is a Grade with an error, not an exception.
    """
    if impl is None or not impl.is_file():
        return Grade(problem.name, scope, error=f"there is no {problem.name}.py to grade")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        report = Path(scratch) / "report.jsonl"
        command = strict_command(problem, impl, scope, report, only)
        child = Bounded(command, problem.root, STRICT_WALL, report).run(watch)
        result = _read_strict(problem, scope, report, child)
    result.seconds = time.perf_counter() - started
    return result


def _read_strict(problem: Problem, scope: Scope, report: Path, child: Child) -> Grade:
    data = _peek(report)
    if child.stopped_after is not None:
        if data is None or data.impl is None:
            return Grade(problem.name, scope, error=f"grading stopped after "
                                                    f"{child.stopped_after:g} s before any "
                                                    f"test ran")
        mark_stopped(data.tests, child.stopped_after)
        return Grade(problem.name, scope, data.tests, data.error, stopped_after=child.stopped_after)
    if data is None or (data.error is None and not data.finished):
        return Grade(problem.name, scope, error=f"pytest exited with code {child.code}: "
                                                f"{_what_went_wrong(child.output)}")
    return Grade(problem.name, scope, data.tests, error=data.error)


# --- the user's own tests ----------------------------------------------------------------------


@dataclass
class OwnRun:
    """The user's tests run once: how many, which failed (with their first line)."""

    total: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def passed(self) -> int:
        return self.total - len(self.failed)

    @classmethod
    def from_json(cls, data: dict[str, Any], what: str) -> OwnRun:
        """A run as the history keeps it (`total` named ``tests`` for the user's own code)."""
        failed = fields.obj(data.get("failed", {}), f"{what} failed")
        return cls(fields.whole(data.get("tests", data.get("total", 0)), f"{what} tests"),
                   {str(name): fields.text(message, f"{what} failed {name}")
                    for name, message in failed.items()},
                   fields.optional(fields.text, data.get("error"), f"{what} error"))


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

    def to_json(self) -> dict[str, Any]:
        """What the history keeps of the user's tests."""
        return {"tests": self.mine.total, "passed": self.mine.passed,
                "failed": self.mine.failed, "error": self.mine.error,
                "coverage": {"line": self.line, "branch": self.branch},
                "reference": asdict(self.reference) | {"passed": self.reference.passed},
                "valid": self.valid}

    @classmethod
    def from_json(cls, value: Any, what: str) -> OwnTests:
        """The user's tests as the history keeps them; ValueError naming what is wrong."""
        data = fields.obj(value, what)
        coverage = fields.obj(data.get("coverage") or {}, f"{what} coverage")
        return cls(OwnRun.from_json(data, what),
                   OwnRun.from_json(fields.obj(data.get("reference") or {},
                                               f"{what} reference"), f"{what} reference"),
                   *(fields.optional(fields.number, coverage.get(key), f"{what} coverage {key}")
                     for key in ("line", "branch")))


def run_own_tests(problem: Problem, code: Path | None, tests: Path | None,
                  watch: Watch | None = None) -> OwnTests:
    """test_mine.py against `code` under coverage and against the reference, side by side (the
    progress told is the run on `code`'s)."""
    if tests is None or not tests.is_file():
        missing = OwnRun(error="there is no test_mine.py")
        return OwnTests(missing, missing)
    runs: dict[bool, tuple[OwnRun, float | None, float | None]] = {}
    watch = watch or Watch()
    stop = watch.cancel or threading.Event()
    reference_done = threading.Event()

    def one(measure: bool) -> None:
        try:
            runs[measure] = _own_run(problem.name, code if measure else problem.solution, tests,
                                     measure, Watch(watch.progress if measure else None, stop))
        finally:
            if not measure:
                reference_done.set()

    # Waited for through an event, not join(): see scoring._Beside.
    threading.Thread(target=one, args=(False,)).start()
    try:
        one(True)
    except BaseException:
        stop.set()  # the run beside this one stops too
        raise
    finally:
        reference_done.wait()
    if False not in runs:
        raise StateError("the reference run of your tests ended without a result")
    (run, line, branch), (reference, _, _) = runs[True], runs[False]
    return OwnTests(run, reference, line, branch)


def _own_run(name: str, code: Path | None, tests: Path, measure: bool,
             watch: Watch) -> tuple[OwnRun, float | None, float | None]:
    if code is None or not code.is_file():
        return OwnRun(error=f"there is no {name}.py to test"), None, None
    with tempfile.TemporaryDirectory(prefix="katakit-") as scratch:
        folder = Path(scratch)
        shutil.copyfile(code, folder / f"{name}.py")
        shutil.copyfile(tests, folder / "test_mine.py")
        shutil.copyfile(OWN_CONFTEST, folder / "conftest.py")
        # An ini file here keeps pytest from adopting any configuration above the scratch folder.
        (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        report = folder / "report.jsonl"
        command = [sys.executable, "-m", "pytest", "test_mine.py", "-q", "--tb=no", "-rN",
                   "-p", "no:cacheprovider"]
        if measure:
            command[1:3] = ["-m", "coverage", "run", "--branch", f"--include={name}.py", "-m",
                            "pytest"]
        env = {**os.environ, "KATAKIT_OWN_REPORT": str(report),
               "KATAKIT_OWN_LIMIT": f"{OWN_TEST_LIMIT:g}"}
        child = Bounded(command, folder, OWN_WALL, report, env).run(watch)
        run = _read_own(report, child)
        line = branch = None
        if measure and run.total and child.stopped_after is None:
            line, branch = _coverage(folder, name)
    return run, line, branch


def _read_own(report: Path, child: Child) -> OwnRun:
    data = _peek(report)
    if data is None or (data.impl is None and data.error is None):
        if child.stopped_after is not None:
            return OwnRun(error=f"test_mine.py was stopped after {child.stopped_after:g} s "
                                f"before any test ran")
        return OwnRun(error=f"pytest exited with code {child.code}: "
                            f"{_what_went_wrong(child.output)}")
    if data.error is not None:
        return OwnRun(error=data.error)
    run = OwnRun(len(data.tests))
    if child.stopped_after is not None:
        mark_stopped(data.tests, child.stopped_after)
    for case in data.tests:
        if case.outcome is Outcome.NOT_RUN or case.outcome.is_failure:
            run.failed[case.name] = case.message or str(case.outcome)
    return run


def _coverage(folder: Path, name: str) -> tuple[float | None, float | None]:
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-m", "coverage", "json", "-q", "-o", "coverage.json",
                        f"--include={name}.py"], cwd=folder, capture_output=True, text=True,
                       timeout=30)
    try:
        totals = json.loads((folder / "coverage.json").read_text(encoding="utf-8"))["totals"]
        line = 100.0 * totals["covered_lines"] / totals["num_statements"] \
            if totals["num_statements"] else 100.0
        branch = 100.0 * totals["covered_branches"] / totals["num_branches"] \
            if totals.get("num_branches") else 100.0
    except (OSError, ValueError, KeyError, TypeError):
        return None, None
    return round(line, 1), round(branch, 1)
