"""Fixtures of the kit's own tests: a temporary kit and practice folder, a clock at the real time,
and the self-check's child runs."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from katakit.grading import strict_command
from katakit.kit import Kit
from katakit.results import RunReport, read_report
from sample_kit import build_kit


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def kit_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary kit with timer.py and its package, for whole sessions in a child process."""
    return build_kit(tmp_path_factory.mktemp("kit"), with_timer=True)


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    return tmp_path / "practice"


@pytest.fixture
def wall(clock):
    """The fake clock set to the real time, so files written now are before its deadlines."""
    clock.now = float(int(time.time()))
    return clock


# --- the self-check's child runs ---------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
CHILD_TESTS = ("test_suite_passes_nothing_against_the_kata",
               "test_every_mutant_is_caught_by_the_tests_it_names")


class ChildRuns:
    """The self-check's child pytest runs (each kata skeleton, each problem's batch of mutants),
    started as soon as the tests are collected and run two at a time in the background, so they
    use the other cores while this process runs the suites; each test waits for the run it reads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kit-child")
        self.runs: dict[tuple[str, str], Future[tuple[int, RunReport]]] = {}

    def start(self, what: str, problem: str, impl: Path) -> None:
        if (what, problem) not in self.runs:
            self.runs[what, problem] = self.pool.submit(self._grade, what, problem, impl)

    def _grade(self, what: str, problem: str, impl: Path) -> tuple[int, RunReport]:
        report = self.folder / f"{what}-{problem}.jsonl"
        command = strict_command(Kit(ROOT).problem(problem), impl, "full", report)
        done = _run(command)
        if not report.exists():
            raise AssertionError(f"pytest wrote no report for {what} {problem}:\n"
                                 f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.returncode, read_report(report)

    def result(self, what: str, problem: str, impl: Path) -> tuple[int, RunReport]:
        self.start(what, problem, impl)
        return self.runs[what, problem].result()

    def kata(self, problem: str) -> tuple[int, RunReport]:
        """The suite against the kata skeleton."""
        return self.result(*kata_run(problem))

    def mutants(self, problem: str) -> tuple[int, RunReport]:
        """Every mutant of the problem, each against the tests its CAUGHT_BY names."""
        return self.result(*mutants_run(problem))

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(command: list[str], attempts: int = 3) -> subprocess.CompletedProcess:
    """Run `command`, starting it again if the start itself failed: on Linux, CPython starts a
    child with vfork() and lets other threads run meanwhile, and while this process runs tests
    on several threads that start has been seen to fail now and then (OSError, "Bad address")."""
    def start() -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)

    for _ in range(attempts - 1):
        with contextlib.suppress(OSError):
            return start()
    return start()


CHILD_RUNS = pytest.StashKey[ChildRuns]()


def kata_run(problem: str) -> tuple[str, str, Path]:
    return "kata", problem, ROOT / "katas" / f"{problem}.py"


def mutants_run(problem: str) -> tuple[str, str, Path]:
    return "mutants", problem, ROOT / "tests" / "mutants" / problem


def pytest_collection_finish(session: pytest.Session) -> None:
    wanted = {item.callspec.params.get("problem") or item.callspec.params["mutant"].parent.name
              for item in session.items if getattr(item, "originalname", "") in CHILD_TESTS}
    if not wanted:
        return
    runs = session.config.stash[CHILD_RUNS] = ChildRuns(Path(tempfile.mkdtemp(prefix="kit-")))
    for problem in sorted(wanted):
        runs.start(*kata_run(problem))
    for problem in sorted(wanted):
        runs.start(*mutants_run(problem))


def pytest_sessionfinish(session: pytest.Session) -> None:
    runs = session.config.stash.get(CHILD_RUNS, None)
    if runs is not None:
        runs.close()


@pytest.fixture
def child_runs(request: pytest.FixtureRequest) -> ChildRuns:
    """The self-check's child runs, started at collection (or now, when a test asks for one)."""
    stash = request.config.stash
    if CHILD_RUNS not in stash:
        stash[CHILD_RUNS] = ChildRuns(Path(tempfile.mkdtemp(prefix="kit-")))
    return stash[CHILD_RUNS]
