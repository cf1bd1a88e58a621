"""What is graded, how a run reports, and the helpers every kata's tests share.

``--impl`` (or the ``KATA_IMPL`` environment variable) chooses the implementation under test:

- ``solutions`` (the default) or ``katas``: the kit's own folders;
- a directory holding ``NAME.py`` files: every problem found there is graded, the rest skipped;
- a single file: only that problem's tests run. The problem is the file's name (``docstore.py``) or,
  for a file elsewhere named, its folder's name (``tests/mutants/docstore/bug.py``).

A file under ``tests/mutants/NAME/`` is a mutation spec rather than a copy: its ``REPLACE`` list of
``(old, new)`` pairs is applied to ``solutions/NAME.py`` (each ``old`` must occur exactly once), so
a mutant states its one bug and nothing else; its ``CAUGHT_BY`` list names the tests that catch it.
``--impl tests/mutants/NAME`` (the folder) grades every mutant in one run, each against only the
tests its CAUGHT_BY names: the kit's self-check uses it.

``--report-json FILE`` streams every test's outcome, category and first failure line as it finishes
(the format is in katakit/results.py).

A graded test that hangs fails at its time limit (pytest.ini's ``timeout``, or its own
``@pytest.mark.timeout``) and the run goes on; once an implementation has hung, the tests after it
share a fixed budget of waiting (see HangBudget), so a hang anywhere costs seconds, not minutes.
"""

from __future__ import annotations

import contextlib
import dis
import gc
import io
import linecache
import os
import re
import reprlib
import signal
import subprocess
import sys
import threading
import time
import timeit
import tracemalloc
import types
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from katakit.kit import Category, Kit, Mutant
from katakit.results import Outcome, ReportWriter

ROOT = Path(__file__).resolve().parent.parent
KIT = Kit(ROOT)
TESTS = ROOT / "tests"
MUTANTS = TESTS / "mutants"
PROBLEMS = tuple(KIT.names())
IMPORT_LIMIT = 5.0  # seconds an implementation may take to import before it counts as hung


# --- which implementation is graded -----------------------------------------------------------


class ImplError(Exception):
    """An implementation that cannot be graded: missing, unreadable or failing to import."""


@dataclass
class Impl:
    """The files chosen by --impl, one per problem that will be graded; for a folder of mutants,
    the mutants too, each graded in turn."""

    label: str
    files: dict[str, Path]
    is_default: bool
    mutants: dict[str, Path] = field(default_factory=dict)  # name -> spec, in --impl MUTANTS/NAME
    modules: dict[Path, types.ModuleType] = field(default_factory=dict)

    def module(self, problem: str, path: Path | None = None) -> types.ModuleType:
        path = path or self.files[problem]
        if path not in self.modules:
            self.modules[path] = load_module(problem, path)
        return self.modules[path]


def resolve_impl(value: str, base: Path) -> Impl:
    """Map an --impl value to the files it names; ImplError (with the reason) when it names none."""
    if value in ("solutions", "katas"):
        folder = KIT.root / value
        return Impl(value, {name: folder / f"{name}.py" for name in PROBLEMS}, value == "solutions")
    path = (base / value).resolve()
    if path.parent == MUTANTS and path.name in PROBLEMS:
        mutants = {spec.stem: spec for spec in sorted(path.glob("*.py"))}
        return Impl(value, {path.name: path}, False, mutants)
    if path.is_dir():
        files = {name: path / f"{name}.py" for name in PROBLEMS if (path / f"{name}.py").is_file()}
        if not files:
            raise ImplError(f"--impl {value}: the folder holds none of the problems' files "
                            f"({', '.join(n + '.py' for n in PROBLEMS)})")
        return Impl(value, files, False)
    if not path.exists():
        raise ImplError(f"--impl {value}: no such file or folder")
    problem = KIT.problem_of(path)
    if problem is None:
        raise ImplError(f"--impl {value}: cannot tell which problem it implements; name the file "
                        f"after one of: {', '.join(PROBLEMS)}")
    return Impl(value, {problem: path}, False)


def mutant_source(problem: str, spec_path: Path) -> str:
    """The solution's source with the mutant's REPLACE pairs applied."""
    solution = (KIT.root / "solutions" / f"{problem}.py").read_text(encoding="utf-8")
    try:
        return Mutant.read(spec_path).source(solution)
    except ValueError as exc:
        raise ImplError(str(exc)) from None


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
    """Import the implementation at `path` under a private name; ImplError naming path and
    reason."""
    source = implementation_source(problem, path)
    if is_mutant(path):  # tracebacks show the mutated solution's lines, not the spec's
        linecache.cache[str(path)] = (len(source), None, source.splitlines(True), str(path))
    module = types.ModuleType(f"graded_{problem}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module  # dataclasses look their module up while the file runs
    try:
        with _time_limit(IMPORT_LIMIT):
            exec(compile(source, str(path), "exec"), module.__dict__)
    except (Exception, SystemExit) as exc:  # one clear message, whatever a broken file raised
        del sys.modules[module.__name__]
        raise ImplError(f"cannot grade {path}: importing it failed: "
                        f"{type(exc).__name__}: {exc}") from exc
    return module


class ImportHung(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no result within {seconds:g} s (a loop or a wait at import time?)")


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ImportHung in the block after `seconds` (where SIGALRM exists, in the main thread),
    unless a timer already runs: a test's own limit (an import inside a fixture) covers it."""
    if not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread() or \
            signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ImportHung(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def problem_of(item: pytest.Item) -> str | None:
    """The problem a test grades (from its file, tests/test_NAME.py); None for the kit's tests."""
    if item.path.parent != TESTS:
        return None
    name = item.path.stem.removeprefix("test_")
    return name if name in PROBLEMS else None


CATEGORIES = frozenset(map(str, Category))


def category_markers(item: pytest.Item) -> list[str]:
    return [mark.name for mark in item.iter_markers() if mark.name in CATEGORIES]


# --- hangs -------------------------------------------------------------------------------------


@dataclass
class HangBudget:
    """Time limits for graded tests that shrink once the implementation has hung.

    Until a first hang every test has its own limit. After it, the tests still to run share what is
    left of `budget` seconds of waiting: each gets that remainder divided by the hangs still
    expected (the hang rate so far, times the tests left), kept between `floor` and `cap`. A hang
    in every test then costs about `budget` seconds in all; a hang in a few costs little.
    """

    budget: float = 20.0
    floor: float = 0.25
    cap: float = 2.0
    run: int = 0
    hangs: int = 0
    lost: float = 0.0

    def limit(self, own: float, tests_left: int) -> float:
        if not self.hangs:
            return own
        expected = tests_left * (self.hangs + 1) / (self.run + 2)
        share = (self.budget - self.lost) / max(1.0, expected)
        return min(own, max(self.floor, min(self.cap, share)))

    def record(self, hung: bool, limit: float) -> None:
        self.run += 1
        if hung:
            self.hangs += 1
            self.lost += limit


TIMEOUT_MESSAGE = re.compile(r"Timeout \(>[\d.]+s\) from pytest-timeout")


def own_limit(item: pytest.Item) -> float:
    """The test's time limit before any shortening: its timeout marker, else pytest's setting."""
    marker = item.get_closest_marker("timeout")
    if marker is not None:
        return float(marker.args[0] if marker.args else marker.kwargs["timeout"])
    configured = item.config.getoption("timeout", None) or item.config.getini("timeout")
    return float(configured) if configured else 0.0


# --- the run: the report and the limits --------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """A graded test's time limit, whether a hang before it shortened it, and what it grades."""

    seconds: float
    shortened: bool
    variant: Path | None


@dataclass
class Run:
    """One pytest run's grading state, kept in ``config.stash``.

    Hangs are counted per implementation graded (each mutant of a batch has its own budget)."""

    impl: Impl
    writer: ReportWriter | None = None
    hangs: defaultdict[Path | None, HangBudget] = field(
        default_factory=lambda: defaultdict(HangBudget))
    graded_left: Counter[Path | None] = field(default_factory=Counter)
    limits: dict[str, Limit] = field(default_factory=dict)  # by test id
    reports: dict[str, list[pytest.TestReport]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)  # id -> category, as collected
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # id -> outcome, as they finish
    deselected: set[Path] = field(default_factory=set)  # test files not run in full


RUN = pytest.StashKey[Run]()
FIRST_LINE = "kata_first_line"


def pytest_configure(config: pytest.Config) -> None:
    try:
        impl = resolve_impl(config.getoption("--impl"), config.invocation_params.dir)
    except ImplError as exc:
        raise pytest.UsageError(str(exc)) from None
    target = config.getoption("--report-json")
    run = config.stash[RUN] = Run(impl, ReportWriter(Path(target)) if target else None)
    config.pluginmanager.register(Reporter(run), "kata-kit-reporter")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Grading a copy collects only the suites of the problems it implements."""
    impl = config.stash[RUN].impl
    if impl.is_default or collection_path.parent != TESTS:
        return None
    if collection_path.is_dir():
        return True  # the kit's own tests
    problem = collection_path.stem.removeprefix("test_")
    return True if problem in PROBLEMS and problem not in impl.files else None


def _caught_by(spec: Path) -> tuple[str, ...]:
    try:
        return Mutant.read(spec).caught_by
    except ValueError:
        return ()  # a broken spec: every test runs, and reports why it cannot be graded


def graded_variant(item: pytest.Item) -> Path | None:
    """The mutant an item grades in a batch of mutants, None otherwise."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("graded") if callspec else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A batch of mutants runs each test once per mutant."""
    mutants = metafunc.config.stash[RUN].impl.mutants
    if mutants and "graded" in metafunc.fixturenames:
        metafunc.parametrize("graded", list(mutants.values()), indirect=True, scope="module",
                             ids=[f"mutant:{name}" for name in mutants])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run = config.stash[RUN]
    if run.impl.mutants:
        # Each mutant against the tests it names; a broken one errors in its own tests.
        named = {spec: _caught_by(spec) for spec in run.impl.mutants.values()}
        kept = [item for item in items if (spec := graded_variant(item)) is not None
                and (not named[spec] or item.originalname in named[spec])]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
        return
    for problem in sorted({problem_of(item) for item in items} - {None}):
        try:
            run.impl.module(problem)
        except ImplError as exc:
            if run.writer:
                run.writer.error(str(exc))
            pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    # The kit's own tests go last: its self-check reads the results of the suites run before it.
    items.sort(key=lambda item: item.path.parent != TESTS)


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        item.config.stash[RUN].deselected.add(item.path)


def pytest_collection_finish(session: pytest.Session) -> None:
    run = session.config.stash[RUN]
    for item in session.items:
        run.categories[item.nodeid] = "+".join(category_markers(item)) or "uncategorised"
        if problem_of(item) is not None:
            run.graded_left[graded_variant(item)] += 1
    if run.writer:
        run.writer.collected(run.impl.label, list(run.categories.items()))


def pytest_report_header(config: pytest.Config) -> str:
    impl = config.stash[RUN].impl
    return f"grading: {impl.label} ({', '.join(sorted(impl.files))})"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Give a graded test its limit, shortened once the implementation has hung."""
    run = item.config.stash[RUN]
    if problem_of(item) is not None:
        variant = graded_variant(item)
        own = own_limit(item)
        limit = run.hangs[variant].limit(own, run.graded_left[variant]) if own else own
        if limit < own:
            item.add_marker(pytest.mark.timeout(limit), append=False)
        run.limits[item.nodeid] = Limit(limit, limit < own, variant)
        run.graded_left[variant] -= 1
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[
        pytest.TestReport]:
    """Attach to a failed report the first line the grade shows for it."""
    report = yield
    if report.failed and call.excinfo is not None:
        problem = problem_of(item)
        impl_file = graded_variant(item) or (
            item.config.stash[RUN].impl.files.get(problem) if problem else None)
        limit = item.config.stash[RUN].limits.get(item.nodeid, Limit(0.0, False, None))
        setattr(report, FIRST_LINE, first_line(call.excinfo, impl_file, limit.seconds,
                                                limit.shortened))
    return report


def _outcome(reports: list[pytest.TestReport]) -> tuple[Outcome, str | None]:
    """A test's outcome and message from its setup, call and teardown reports."""
    for report in reports:
        if report.failed:
            message = getattr(report, FIRST_LINE, None) or report.longreprtext.strip().split(
                "\n")[0]
            if message.startswith("hung:"):
                return Outcome.HUNG, message
            return (Outcome.FAILED if report.when == "call" else Outcome.ERROR), message
    for report in reports:
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else None
            return Outcome.SKIPPED, reason
    return Outcome.PASSED, None


class Reporter:
    """Collects each test's reports and writes its result once its teardown is done (a plugin
    object, because reports do not carry the config that holds the run)."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        run = self.run
        reports = run.reports.setdefault(report.nodeid, [])
        reports.append(report)
        if report.when != "teardown":
            return
        del run.reports[report.nodeid]
        outcome, message = _outcome(reports)
        run.outcomes[report.nodeid] = outcome
        limit = run.limits.get(report.nodeid)
        if limit is not None:
            run.hangs[limit.variant].record(outcome is Outcome.HUNG, limit.seconds)
        if run.writer:
            run.writer.test(report.nodeid, outcome, message, sum(r.duration for r in reports),
                            limit.seconds if limit else None)

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        if self.run.writer:
            self.run.writer.finished(int(exitstatus))


# --- what a failure says first -----------------------------------------------------------------


def first_line(excinfo: pytest.ExceptionInfo[BaseException], impl_file: Path | None,
               limit: float, shortened: bool) -> str:
    """The one line a grade shows for a failure: the assertion's own message, a hang with its limit,
    or an unexpected exception with the place in the implementation that raised it."""
    text = excinfo.exconly().strip().split("\n")[0]
    where = _where(excinfo, impl_file)
    if TIMEOUT_MESSAGE.search(text):
        why = " (shortened after earlier hangs)" if shortened else ""
        stuck = f"; stuck in {where}" if where else ""
        return f"hung: no result within {limit:.2g} s{why}{stuck}"
    for prefix in ("AssertionError: ", "Failed: "):
        if text.startswith(prefix):
            return text.removeprefix(prefix)
    return f"{text} (raised in {where})" if where else text


def _where(excinfo: pytest.ExceptionInfo[BaseException], impl_file: Path | None) -> str | None:
    """``get, lru_cache.py line 42``: the innermost frame of the graded file, if any."""
    if impl_file is None:
        return None
    inside = [entry for entry in excinfo.traceback if Path(str(entry.path)) == impl_file]
    if not inside:
        return None
    entry = inside[-1]
    return f"{entry.name}, {impl_file.name} line {entry.lineno + 1}"


# --- fixtures every kata's tests use ----------------------------------------------------------


@pytest.fixture(scope="module")
def graded(request: pytest.FixtureRequest) -> Path:
    """The file graded for this test file's problem (tests/test_NAME.py grades NAME): --impl's, or
    in a batch of mutants the mutant's spec."""
    return getattr(request, "param", None) or \
        request.config.stash[RUN].impl.files[request.path.stem.removeprefix("test_")]


@pytest.fixture(scope="module")
def impl(request: pytest.FixtureRequest, graded: Path) -> types.ModuleType:
    """The module under test."""
    problem = request.path.stem.removeprefix("test_")
    try:
        return request.config.stash[RUN].impl.module(problem, graded)
    except ImplError as exc:  # a mutant in a batch: its own tests report it
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def impl_file(request: pytest.FixtureRequest, graded: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runnable file of the implementation under test, for driving its command line."""
    problem = request.path.stem.removeprefix("test_")
    path = graded
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
def suite_results(request: pytest.FixtureRequest) -> tuple[dict[str, str], dict[str, Outcome],
                                                          set[Path]]:
    """This run's categories and outcomes by test id so far, and the test files not run in full:
    the kit's self-check reads the suites' results from the run that has just graded them."""
    run = request.config.stash[RUN]
    return run.categories, run.outcomes, run.deselected


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def new_clock() -> type[FakeClock]:
    """``new_clock(start=1000.0)``: a further fake clock, for tests that need several."""
    return FakeClock


# --- calls that explain themselves -------------------------------------------------------------


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 40


def show(value: object) -> str:
    """A value as a failure message shows it: short, and an object by its type's name."""
    try:
        text = _short.repr(value)
    except ValueError:  # it holds an int too long for str(): Python refuses beyond 4300 digits
        return f"<int of {value.bit_length()} bits>" if isinstance(value, int) else \
            f"<{type(value).__name__} holding a huge int>"
    return type(value).__name__ if " object at 0x" in text else text


def describe(fn: Callable[..., Any], *args: object, **kwargs: object) -> str:
    """How a call reads in a failure message: ``find({'age': 3})``, ``LRUCache(0)``."""
    name = getattr(fn, "__name__", None) or show(fn)
    shown = [show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _names(error: type[BaseException] | tuple[type[BaseException], ...]) -> str:
    errors = error if isinstance(error, tuple) else (error,)
    return " or ".join(e.__name__ for e in errors)


def _fragments(naming: object) -> list[str]:
    return [str(f) for f in (naming if isinstance(naming, (tuple, list)) else (naming,))]


class Calls:
    """Make a call and check what came of it; a failure's first line names the call, its arguments,
    what was expected and what happened: ``subscriber_count('orders.') did not raise ValueError``.
    """

    @staticmethod
    def raises(error: type[BaseException] | tuple[type[BaseException], ...],
               fn: Callable[..., Any], *args: Any, naming: object = (), **kwargs: Any
               ) -> BaseException:
        """``fn(*args, **kwargs)`` must raise `error` with a message that names every `naming`
        fragment (compared as str); returns the exception."""
        __tracebackhide__ = True
        call = describe(fn, *args, **kwargs)
        try:
            result = fn(*args, **kwargs)
        except error as exc:
            missing = [f for f in _fragments(naming) if f not in str(exc)]
            if missing:
                pytest.fail(f"{call} raised {type(exc).__name__}({str(exc)!r}), which does not "
                            f"name {', '.join(map(repr, missing))}")
            return exc
        except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
            pytest.fail(f"{call} raised {type(exc).__name__}: {exc}; expected {_names(error)}")
        pytest.fail(f"{call} did not raise {_names(error)}: it returned {show(result)}")

    @staticmethod
    def returns(expected: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` must return a value equal to `expected`; returns it."""
        __tracebackhide__ = True
        result = Calls.succeeds(fn, *args, **kwargs)
        if not result == expected:
            pytest.fail(f"{describe(fn, *args, **kwargs)} returned {show(result)}, expected "
                        f"{show(expected)}")
        return result

    @staticmethod
    def succeeds(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` must not raise; returns what it returned."""
        __tracebackhide__ = True
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
            pytest.fail(f"{describe(fn, *args, **kwargs)} raised {type(exc).__name__}: {exc}")


@pytest.fixture
def call() -> Calls:
    """``call.raises(ValueError, bus.subscriber_count, "orders.", naming="orders.")``,
    ``call.returns(3, len, cache)``, ``call.succeeds(bus.flush, 2.0)``: checks whose failures name
    the call."""
    return Calls()


@contextlib.contextmanager
def raises_naming(error: type[BaseException] | tuple[type[BaseException], ...], *fragments: object,
                  call: str = "the block") -> Iterator[pytest.ExceptionInfo[BaseException]]:
    """The block must raise `error` whose message names every fragment; `call` says what the
    block does, for the failure's first line."""
    __tracebackhide__ = True
    try:
        with pytest.raises(error) as info:
            yield info
    except pytest.fail.Exception:
        pytest.fail(f"{call} did not raise {_names(error)}")
    except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
        pytest.fail(f"{call} raised {type(exc).__name__}: {exc}; expected {_names(error)}")
    missing = [f for f in _fragments(fragments) if f not in str(info.value)]
    if missing:
        pytest.fail(f"{call} raised {type(info.value).__name__}({str(info.value)!r}), which does "
                    f"not name {', '.join(map(repr, missing))}")


@pytest.fixture
def error_naming() -> Callable[..., contextlib.AbstractContextManager]:
    """``with error_naming(SomeError, "bad-value", call="put('k', ttl=-1)"):`` for a block that must
    raise; prefer ``call.raises`` for a single call."""
    return raises_naming


# --- command lines -----------------------------------------------------------------------------


@dataclass
class Ran:
    """What one run of a command line did: its exit code and what it printed."""

    code: int | None
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> Callable[..., Ran]:
    """``cli(impl.main, "shorten", url, stdin=...)``: the command line run in this process.

    ``main(argv)`` must return its exit code; a SystemExit fails the test unless ``exits=True``
    (for a card that says the command exits)."""

    def run(main: Callable[[list[str]], int | None], *argv: str, stdin: str | bytes = "",
            exits: bool = False) -> Ran:
        __tracebackhide__ = True
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:
            if not exits:
                pytest.fail(f"main({list(argv)!r}) raised SystemExit({exc.code!r}); the card says "
                            f"main returns the exit code")
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


def run_python(*args: str | Path, cwd: Path | None = None, input: str | None = None,
               timeout: float = 30, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in a child process, as a user would, and capture its text output."""
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, input=input, text=True,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """``run_cli(script, *args, cwd=..., input=...)``: a child Python process, output captured; for
    what only a real process shows (signals, pipes, several processes at once)."""
    return run_python


# --- timing ------------------------------------------------------------------------------------


class Timing:
    """Best-of timings for ratio checks; never compare a time with a number of seconds."""

    def __call__(self, fn: Callable[[], object], repeats: int = 5,
                 timer: Callable[[], float] = time.perf_counter) -> float:
        """The best of `repeats` timed calls: the least noisy estimate on a shared machine.
        ``timer=time.process_time`` counts CPU time, steadier still for single-threaded work."""
        return min(timeit.repeat(fn, number=1, repeat=repeats, timer=timer))

    def ratio(self, slow: Callable[[], object], fast: Callable[[], object], at_most: float,
              repeats: int = 7, timer: Callable[[], float] = time.perf_counter) -> float:
        """best(slow) / best(fast), timing the two in turn; the caller asserts on it.

        It stops early once the answer is decisive: after 2 rounds under half of `at_most`, or
        after 3 rounds over 4 times it (a wrong complexity; noise only ever slows one side down,
        and the best of 3 has shed it)."""
        best_slow = best_fast = float("inf")
        for round_ in range(1, repeats + 1):
            best_slow = min(best_slow, self(slow, 1, timer))
            best_fast = min(best_fast, self(fast, 1, timer))
            ratio = best_slow / max(best_fast, 1e-9)
            if (round_ >= 2 and ratio <= at_most / 2) or (round_ >= 3 and ratio >= 4 * at_most):
                break
        return ratio


@pytest.fixture
def timed() -> Timing:
    """``timed(fn)`` is fn's best time; ``timed.ratio(slow, fast, at_most=3)`` compares two."""
    return Timing()


class Memory:
    """Bytes held by what the graded implementation's own code allocated: nothing else this process
    does (another thread, pytest itself) counts."""

    def held(self, module: types.ModuleType, *actions: Callable[[], object]) -> list[int]:
        """Bytes still allocated by `module`'s code after each action in turn, counted from before
        the first."""
        gc.collect()
        tracemalloc.start()
        try:
            only = [tracemalloc.Filter(True, module.__file__)]
            held = []
            for action in actions:
                action()
                gc.collect()
                snapshot = tracemalloc.take_snapshot().filter_traces(only)
                held.append(sum(stat.size for stat in snapshot.statistics("filename")))
            return held
        finally:
            tracemalloc.stop()


@pytest.fixture
def memory() -> Memory:
    """``memory.held(impl, fill, drain)``: what the implementation still holds after each step."""
    return Memory()


# --- threads -----------------------------------------------------------------------------------


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond, so unlocked read-modify-write races show up in one run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


WRITES = frozenset(dis.opmap[name] for name in ("STORE_ATTR", "STORE_SUBSCR", "DELETE_ATTR",
                                                 "DELETE_SUBSCR", "STORE_GLOBAL"))


@contextlib.contextmanager
def switching_inside(module: types.ModuleType) -> Iterator[None]:
    """Threads started in the block hand the GIL over just before every write to an attribute or
    an item in `module`'s own code: an unlocked read-modify-write or check-then-act there
    interleaves in every run, not once in a million (CPython switches threads only at calls and
    loop edges, so a short unlocked window is otherwise almost never hit)."""
    filename = module.__file__

    def each_opcode(frame: types.FrameType, event: str, arg: object) -> object:
        if event == "opcode" and frame.f_code.co_code[frame.f_lasti] in WRITES:
            time.sleep(0)
        return each_opcode

    def on_call(frame: types.FrameType, event: str, arg: object) -> object:
        if frame.f_code.co_filename != filename:
            return None
        frame.f_trace_opcodes = True
        return each_opcode

    before = threading.gettrace()
    threading.settrace(on_call)
    try:
        yield
    finally:
        threading.settrace(before)


@pytest.fixture
def thread_switches_inside() -> Callable[[types.ModuleType], contextlib.AbstractContextManager]:
    """``with thread_switches_inside(impl): run_threads(...)``: races in the graded code show up
    in every run."""
    return switching_inside


def run_in_threads(count: int, work: Callable[[int], object], timeout: float = 4) -> list:
    """Run ``work(n)`` for n in range(count) on threads released together; their results by n.

    Fails if a thread is still running after `timeout` seconds (a deadlock) or if any raised.
    """
    __tracebackhide__ = True
    start = threading.Barrier(count, timeout=timeout)
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
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = sum(t.is_alive() for t in threads)
    if stuck:
        pytest.fail(f"{stuck} of {count} threads still running after {timeout:g} s: a deadlock?")
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def run_threads() -> Callable[..., list]:
    """``run_threads(count, work, timeout=4)``: ``work(n)`` on `count` threads started together."""
    return run_in_threads
