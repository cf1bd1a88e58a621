"""A small kit to drive the timer against: the made-up katas ``adder`` (full, with a model design)
and ``pair`` (short, without one) beside the real docstore and copies of the kit's configuration,
and helpers that run timer commands in this process with a fake clock.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from katakit.commands import main
from katakit.context import Setup
from katakit.grading import Case, Grade, OwnRun, OwnTests

ROOT = Path(__file__).resolve().parents[2]


ADDER_KATA = '''"""Adder

Size: full

Add numbers, strictly.

Core (the 60-minute part):
- add(a, b) returns a + b for two numbers.

Extensions (the stretch part, tests marked extension):
- total(numbers) sums a list of numbers.

Errors:
- add raises TypeError for anything but numbers.

Example:
    >>> add(1, 2)
    3

Complexity:
- O(1) per call.

Hints:
1. Python has an operator for it.
2. For total, the standard library has
   a function.
"""


def add(a, b):
    """a + b; TypeError unless both are numbers."""
    raise NotImplementedError


def total(numbers):
    """The sum of a list of numbers."""
    raise NotImplementedError
'''


ADDER_SOLUTION = '''"""Adder: the reference."""


def add(a, b):
    """a + b; TypeError unless both are numbers."""
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError(f"add needs numbers, got {a!r} and {b!r}")
    return a + b


def total(numbers):
    """The sum of a list of numbers."""
    return sum(numbers)
'''


ADDER_CORE_ONLY = '''def add(a, b):
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError("numbers only")
    return a + b


def total(numbers):
    raise NotImplementedError
'''


ADDER_TESTS = '''import pytest


@pytest.mark.core
def test_add_adds(impl):
    assert impl.add(1, 2) == 3


@pytest.mark.edge
def test_add_handles_negatives(impl):
    assert impl.add(-1, 1) == 0


@pytest.mark.errors
def test_add_rejects_strings(impl):
    with pytest.raises(TypeError):
        impl.add("a", 1)


@pytest.mark.extension
def test_total_sums_a_list(impl):
    assert impl.total([1, 2, 3]) == 6
'''


MY_TESTS = '''import pytest

import adder


def test_add_adds():
    assert adder.add(2, 3) == 5


def test_add_rejects_text():
    with pytest.raises(TypeError):
        adder.add("2", 3)
'''


MY_WRONG_TESTS = MY_TESTS + '''

def test_add_concatenates_text():
    assert adder.add("a", "b") == "ab"
'''


ADDER_HANGING = '''import os
import time

if os.environ.get("ADDER_PID_FILE"):  # where the grading processes can be found
    with open(os.environ["ADDER_PID_FILE"], "a") as pid_file:
        pid_file.write(f"{os.getpid()}\\n")


def add(a, b):
    if a < 0 or b < 0:
        while True:  # a hang that even swallows the suite's time limit
            try:
                time.sleep(60)
            except BaseException:
                pass
    if not all(isinstance(x, (int, float)) for x in (a, b)):
        raise TypeError("numbers only")
    return a + b


def total(numbers):
    return sum(numbers)
'''


MY_HANGING_TESTS = MY_TESTS + '''

def test_add_waits_forever():
    import threading
    threading.Event().wait()


def test_add_takes_negatives():
    assert adder.add(-1, 2) == 1
'''


ADDER_DESIGN = """# Design: Adder

## Requirements and assumptions

- add(a, b) for two numbers; total(numbers) for a list.

## API

add(a, b) -> number; total(numbers) -> number; TypeError for anything but numbers.

## Data model

None: both are pure functions.

## Key decisions

- Check the types before adding: a string never reaches the + operator.
  <!-- keys: isinstance, type check, check the types -->
- Bool is not a number here: True + 1 is refused.
  <!-- keys: bool, boolean -->
- total uses the built-in sum: one pass, no loop of our own.
  <!-- keys: sum(, built-in sum, builtin sum -->
- Decimals are a third kind of number, never mixed with floats.
  <!-- keys: decimal; change request -->

## Complexity

O(1) per add; O(n) for total.

## Edge cases

Negative numbers, floats, an empty list.

## Test plan

One test per rule, and a seeded random model test.

## Follow-ups

### What changes if the numbers are huge?

Nothing: Python's integers are unbounded; floats lose precision past 2**53.

### How would you add decimals?

Accept decimal.Decimal beside int and float, and never mix it with float.
"""


PAIR_KATA = ADDER_KATA.replace("Adder\n", "Pair sums\n", 1).replace("Size: full", "Size: short")


FULL, SHORT = "15/60/15", "10/40/10"


def build_kit(root: Path, with_timer: bool = False) -> Path:
    """A kit with the made-up katas adder (full) and pair (short) and the real docstore card."""
    for name in ("conftest.py", "pytest.ini", "tests/conftest.py", "pyproject.toml",
                 "requirements.txt"):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, root / name)
    shutil.copytree(ROOT / "katakit", root / "katakit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("katas", "solutions", "tests"):
        (root / folder).mkdir(exist_ok=True)
    for name, kata in (("adder", ADDER_KATA), ("pair", PAIR_KATA)):
        (root / "katas" / f"{name}.py").write_text(kata, encoding="utf-8")
        (root / "solutions" / f"{name}.py").write_text(ADDER_SOLUTION, encoding="utf-8")
        (root / "tests" / f"test_{name}.py").write_text(ADDER_TESTS, encoding="utf-8")
    (root / "solutions" / "adder.md").write_text(ADDER_DESIGN, encoding="utf-8")  # pair has none
    for name in ("katas/docstore.py", "solutions/docstore.py", "solutions/docstore.md",
                 "tests/test_docstore.py"):
        shutil.copyfile(ROOT / name, root / name)
    if with_timer:
        shutil.copyfile(ROOT / "timer.py", root / "timer.py")
    return root


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result({self.code}, out={self.out!r}, err={self.err!r})"


def run(kit: Path, practice: Path, command: str, *args: str, **given: Any) -> Result:
    """One timer command in this process, against `kit` and the practice folder `practice`, with
    no terminal, no deadline keeper and no code-quality review (the tests that want one start it
    themselves); `given` are fields of its Setup (now, wait, grade, ...)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([command, *args, "--dir", str(practice)], root=kit, prog=["python", "timer.py"],
                setup=Setup(**{"out": out, "err": err, "review": None, **given}))
    return Result(code, out.getvalue(), err.getvalue())


def ticking(clock, on_wait: Callable[[float], str | bool | None] | None = None):
    """A wait that moves the fake clock instead of sleeping; `on_wait(now)` may type a line (a
    string; True is an empty line, a press of Enter)."""
    calls = []

    def wait(seconds: float) -> str | None:
        calls.append(seconds)
        clock.advance(seconds)
        typed = on_wait(clock.now) if on_wait else None
        if typed is True:
            return ""
        return typed if isinstance(typed, str) else None

    wait.calls = calls
    return wait


def typing(lines: dict[float, str]):
    """An on_wait hook that types each line once the clock reaches its time (seconds after the
    first call)."""
    pending = sorted(lines.items())
    start: list[float] = []

    def hook(now: float) -> str | None:
        if not start:
            start.append(now)
        if pending and now - start[0] >= pending[0][0]:
            return pending.pop(0)[1]
        return None

    return hook


def detach(seconds: float) -> bool:
    raise KeyboardInterrupt  # Ctrl-C at the clock's first wait


def fake_grade(problem, impl, scope, **_):
    """The strict suite, imitated: passes when the snapshot holds a working add()."""
    level = scope.level
    works = impl is not None and "return a + b" in impl.read_text(encoding="utf-8")
    outcome = "passed" if works else "failed"
    tests = [Case("test_add_adds", "core", outcome, None if works else "NotImplementedError"),
             Case("test_add_rejects_strings", "errors", outcome,
                        None if works else "NotImplementedError")]
    if level == "full":
        tests.append(Case("test_total_sums_a_list", "extension", "failed", "boom"))
    return Grade(problem.name, scope, tests)


def failing_grade(tests: list[tuple[str, str, str]], **scope) -> Grade:
    """A grade of made-up tests: (name, category, outcome); each failure says it went wrong."""
    from katakit.grading import Scope
    return Grade("pubsub", Scope(**scope), [Case(name, category, outcome, None if outcome ==
                                                  "passed" else f"{name} went wrong")
                                             for name, category, outcome in tests], seconds=1.2)


def fake_own_tests(problem, code, tests, **_):
    return OwnTests(OwnRun(2), OwnRun(2), 90.0, 75.0)


FAST = {"grade": fake_grade, "own_tests": fake_own_tests}


def start(kit: Path, practice: Path, clock, *args: str, **overrides: object) -> Result:
    """Start a session and detach its clock at once (Ctrl-C), as a user switching terminals."""
    result = run(kit, practice, "start", *args, now=clock, wait=detach, **{**FAST, **overrides})
    assert result.code == 130, result
    return result


def only_session(practice: Path) -> Path:
    (folder,) = [p for p in practice.iterdir() if (p / "session.json").is_file()]
    return folder


def state(practice: Path) -> dict:
    return json.loads((only_session(practice) / "session.json").read_text(encoding="utf-8"))


def history_lines(practice: Path) -> list[dict]:
    path = practice / "history.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def writable(path: Path) -> bool:
    return bool(path.stat().st_mode & stat.S_IWUSR)


def write(path: Path, text: str, mtime: float | None = None) -> None:
    """Edit a file as the user would, even when the timer made it read-only."""
    if path.exists():
        os.chmod(path, path.stat().st_mode | stat.S_IWUSR)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def once(condition: Callable[[float], bool], action: Callable[[], object] | None = None):
    """An on_wait hook that fires the first time `condition(now)` holds: runs `action`, or
    presses Enter twice (the confirmed way to end a phase) when there is none."""
    fired = []

    def hook(now: float) -> bool:
        if len(fired) == 2 or not condition(now):
            return False
        fired.append(now)
        if action is not None:
            fired.append(now)
            action()
            return False
        return True

    return hook


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def one_line_error(result: Result, code: int, *fragments: str) -> str:
    assert result.code == code, result
    assert result.out == "" or "Traceback" not in result.out
    (line,) = result.err.splitlines()
    assert line.startswith("timer: ") and "Traceback" not in result.err
    missing = [f for f in fragments if f not in line]
    assert not missing, f"{line!r} does not name {missing}"
    return line
