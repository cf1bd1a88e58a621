"""What is graded, and the helpers every kata's tests share.

``--impl`` (or the ``KATA_IMPL`` environment variable) chooses the implementation under test:

- ``solutions`` (the default) or ``katas``: the kit's own folders;
- a directory holding ``NAME.py`` files: every problem found there is graded, the rest skipped;
- a single file: only that problem's tests run. The problem is the file's name (``docstore.py``) or,
  for a file elsewhere named, its folder's name (``tests/mutants/docstore/bug.py``).

A file under ``tests/mutants/NAME/`` is a mutation spec rather than a copy: its ``REPLACE`` list of
``(old, new)`` pairs is applied to ``solutions/NAME.py`` (each ``old`` must occur exactly once), so a
mutant states its one bug and nothing else.

``--report-json FILE`` writes every test's outcome, category and first failure line, for tools.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
KATAS = ROOT / "katas"
MUTANTS = ROOT / "tests" / "mutants"
PROBLEMS = tuple(sorted(p.stem for p in SOLUTIONS.glob("*.py")))
CATEGORIES = ("core", "edge", "errors", "concurrency", "extension", "perf")


# --- which implementation is graded -----------------------------------------------------------


class ImplError(Exception):
    """An implementation that cannot be graded: missing, unreadable or failing to import."""


@dataclass
class Impl:
    """The files chosen by --impl, one per problem that will be graded."""

    label: str
    files: dict[str, Path]
    is_default: bool
    modules: dict[str, types.ModuleType] = field(default_factory=dict)

    def path(self, problem: str) -> Path:
        return self.files[problem]

    def module(self, problem: str) -> types.ModuleType:
        if problem not in self.modules:
            self.modules[problem] = load_module(problem, self.files[problem])
        return self.modules[problem]


def resolve_impl(value: str, base: Path) -> Impl:
    """Map an --impl value to the files it names; ImplError (with the reason) when it names none."""
    if value in ("solutions", "katas"):
        folder = SOLUTIONS if value == "solutions" else KATAS
        return Impl(value, {name: folder / f"{name}.py" for name in PROBLEMS}, value == "solutions")
    path = (base / value).resolve()
    if path.is_dir():
        files = {name: path / f"{name}.py" for name in PROBLEMS if (path / f"{name}.py").is_file()}
        if not files:
            raise ImplError(f"--impl {value}: the folder holds none of the problems' files "
                            f"({', '.join(n + '.py' for n in PROBLEMS)})")
        return Impl(value, files, False)
    if not path.exists():
        raise ImplError(f"--impl {value}: no such file or folder")
    for candidate in (path.stem, path.parent.name):
        if candidate in PROBLEMS:
            return Impl(value, {candidate: path}, False)
    raise ImplError(f"--impl {value}: cannot tell which problem it implements; name the file "
                    f"after one of: {', '.join(PROBLEMS)}")


def mutant_source(problem: str, spec_path: Path) -> str:
    """The solution's source with the mutant's REPLACE pairs applied."""
    spec = ast.literal_eval(_assigned_value(spec_path, "REPLACE"))
    source = (SOLUTIONS / f"{problem}.py").read_text(encoding="utf-8")
    for old, new in spec:
        found = source.count(old)
        if found != 1:
            raise ImplError(f"mutant {spec_path.name}: {old!r} occurs {found} times in "
                            f"solutions/{problem}.py, expected exactly once")
        source = source.replace(old, new)
    return source


def _assigned_value(path: Path, name: str) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.unparse(node.value)
    raise ImplError(f"mutant {path.name}: no {name} = [(old, new), ...] list")


def is_mutant(path: Path) -> bool:
    return MUTANTS in path.resolve().parents


def implementation_source(problem: str, path: Path) -> str:
    """The source code that is graded for `problem` at `path` (mutants built from the solution)."""
    if not path.is_file():
        raise ImplError(f"cannot grade {path}: no such file")
    if is_mutant(path):
        return mutant_source(problem, path)
    return path.read_text(encoding="utf-8")


def load_module(problem: str, path: Path) -> types.ModuleType:
    """Import the implementation at `path` under a private name; ImplError naming path and reason."""
    source = implementation_source(problem, path)
    module = types.ModuleType(f"graded_{problem}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module  # dataclasses look their module up while the file runs
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)
    except (Exception, SystemExit) as exc:  # a broken file gives one clear message, whatever it raised
        del sys.modules[module.__name__]
        raise ImplError(f"cannot grade {path}: importing it failed: "
                        f"{type(exc).__name__}: {exc}") from exc
    return module


# --- pytest hooks -----------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.kata_impl = resolve_impl(config.getoption("--impl"), config.invocation_params.dir)
    except ImplError as exc:
        raise pytest.UsageError(str(exc)) from None


def problem_of(item: pytest.Item) -> str | None:
    """The problem a test grades (from its file, tests/test_NAME.py), None for the kit's own tests."""
    name = item.path.stem.removeprefix("test_")
    return name if name in PROBLEMS else None


def category_markers(item: pytest.Item) -> list[str]:
    return [mark.name for mark in item.iter_markers() if mark.name in CATEGORIES]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    impl: Impl = config.kata_impl
    if not impl.is_default:
        # Grading a copy runs only the tests of the problems it implements, not the kit's own checks.
        kept = [item for item in items if problem_of(item) in impl.files]
        dropped = [item for item in items if problem_of(item) not in impl.files]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    for problem in sorted({problem_of(item) for item in items} - {None}):
        try:
            impl.module(problem)
        except ImplError as exc:
            config.kata_report_error = str(exc)
            _write_report(config)
            pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_report_header(config: pytest.Config) -> str:
    impl: Impl = config.kata_impl
    return f"grading: {impl.label} ({', '.join(sorted(impl.files))})"


_REPORTS: list[pytest.TestReport] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _REPORTS.append(report)


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config.kata_categories = {
        item.nodeid: category_markers(item) for item in session.items}


def pytest_sessionfinish(session: pytest.Session) -> None:
    _write_report(session.config)


def _write_report(config: pytest.Config) -> None:
    target = config.getoption("--report-json")
    if not target:
        return
    categories = getattr(config, "kata_categories", {})
    tests: dict[str, dict] = {}
    for report in _REPORTS:
        entry = tests.setdefault(report.nodeid, {
            "name": report.nodeid.split("::", 1)[-1],
            "file": report.nodeid.split("::", 1)[0],
            "categories": categories.get(report.nodeid, []),
            "outcome": None,
            "message": None,
        })
        if entry["outcome"] in ("failed", "error"):
            continue  # keep the first thing that went wrong
        if report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["message"] = _first_line(report)
        elif report.skipped:
            entry["outcome"] = "skipped"
            entry["message"] = _first_line(report)
        elif report.when == "call":
            entry["outcome"] = "passed"
    result = {"impl": config.kata_impl.label,
              "error": getattr(config, "kata_report_error", None),
              "tests": list(tests.values())}
    Path(target).write_text(json.dumps(result, indent=1), encoding="utf-8")


def _first_line(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    if isinstance(report.longrepr, tuple):  # skips: (file, line, reason)
        text = report.longrepr[2]
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0] if lines else report.outcome


# --- fixtures every kata's tests use ----------------------------------------------------------


@pytest.fixture(scope="module")
def impl(request: pytest.FixtureRequest) -> types.ModuleType:
    """The module under test for this file's problem (tests/test_NAME.py grades NAME)."""
    return request.config.kata_impl.module(request.path.stem.removeprefix("test_"))


@pytest.fixture(scope="module")
def impl_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runnable file of the implementation under test, for driving its command line."""
    problem = request.path.stem.removeprefix("test_")
    path = request.config.kata_impl.path(problem)
    if not is_mutant(path):
        return path
    built = tmp_path_factory.mktemp("mutant") / f"{problem}.py"
    built.write_text(mutant_source(problem, path), encoding="utf-8")
    return built


class FakeClock:
    """A clock the test moves by hand: pass it as ``clock=`` and call ``advance``."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def best_time(fn: Callable[[], object], repeats: int = 5,
              timer: Callable[[], float] = time.perf_counter) -> float:
    """Best time of `repeats` calls: the least noisy estimate on a shared machine.

    Pass ``timer=time.process_time`` to count CPU time, steadier still for single-threaded work.
    """
    best = float("inf")
    for _ in range(repeats):
        start = timer()
        fn()
        best = min(best, timer() - start)
    return best


@pytest.fixture
def timed() -> Callable[..., float]:
    """``timed(fn, repeats=5, timer=...)``: the best of several timings, for ratio checks only."""
    return best_time


@contextlib.contextmanager
def raises_naming(exc_type: type[BaseException], *fragments: object) -> Iterator[pytest.ExceptionInfo]:
    """Expect `exc_type` whose message mentions every fragment (compared as str)."""
    with pytest.raises(exc_type) as info:
        yield info
    message = str(info.value)
    missing = [str(f) for f in fragments if str(f) not in message]
    assert not missing, f"{exc_type.__name__} message {message!r} does not name {missing}"


@pytest.fixture
def error_naming() -> Callable[..., contextlib.AbstractContextManager]:
    """``with error_naming(SomeError, "bad-value"):`` checks the type and what the message names."""
    return raises_naming


def run_python(*args: str | Path, cwd: Path | None = None, input: str | None = None,
               timeout: float = 30, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in a child process, as a user would, and capture its text output."""
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, input=input, text=True,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """``run_cli(script, *args, cwd=..., input=...)``: a child Python process, output captured."""
    return run_python


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond, so unlocked read-modify-write races show up in one run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_in_threads(count: int, work: Callable[[int], object], timeout: float = 8) -> list:
    """Run ``work(n)`` for n in range(count) on threads released together; their results by n.

    Fails if a thread is still running after `timeout` seconds (a deadlock) or if any raised.
    """
    start = threading.Barrier(count, timeout=5)
    results: list = [None] * count
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            results[n] = work(n)
        except BaseException as exc:  # re-raised in the test's own thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), f"threads still running after {timeout} s: deadlock?"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def run_threads() -> Callable[..., list]:
    """``run_threads(count, work, timeout=8)``: ``work(n)`` on `count` threads started together."""
    return run_in_threads
