"""The kit checking itself: every problem has its files, one API, a fair card and tests that bite."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from katakit.grading import strict_command
from katakit.kit import Category, Kit
from katakit.results import RunReport, read_report

ROOT = Path(__file__).resolve().parents[2]
KIT = Kit(ROOT)
PROBLEMS = KIT.names()
KATAS, SOLUTIONS, MUTANTS = ROOT / "katas", ROOT / "solutions", ROOT / "tests" / "mutants"
CATEGORIES = [c for c in Category if c is not Category.CHANGE]  # every suite uses each of these
VOCABULARY_BASES = re.compile(r"(Error|Exception|Exceeded|Warning|Enum|NamedTuple|TypedDict)$")
MUTANT_FILES = sorted(MUTANTS.glob("*/*.py"))


def kata_file(problem: str) -> Path:
    return KATAS / f"{problem}.py"


def solution_file(problem: str) -> Path:
    return SOLUTIONS / f"{problem}.py"


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    decorators = "".join(f"@{ast.unparse(d)} " for d in node.decorator_list)
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{decorators}def {node.name}({ast.unparse(node.args)}){returns}"


def class_api(node: ast.ClassDef) -> dict[str, str]:
    api = {"": f"{''.join('@' + ast.unparse(d) + ' ' for d in node.decorator_list)}class "
                f"{node.name}({', '.join(ast.unparse(b) for b in node.bases)})"}
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(item.name):
            api[item.name] = signature(item)
        elif isinstance(item, (ast.Assign, ast.AnnAssign)):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            for target in targets:
                if isinstance(target, ast.Name) and is_public(target.id):
                    api[target.id] = ast.unparse(item)
    return api


def public_api(path: Path) -> dict[str, object]:
    """Module-level public names with the signatures and fields that make up the API."""
    api: dict[str, object] = {}
    for node in parse(path).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(node.name):
            api[node.name] = signature(node)
        elif isinstance(node, ast.ClassDef) and is_public(node.name):
            api[node.name] = class_api(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and is_public(target.id):
                    api[target.id] = "value"
    return api


def is_vocabulary(node: ast.ClassDef, vocabulary: set[str]) -> bool:
    """Exceptions, data classes and enums are given in full in a kata: they are not the exercise."""
    if any("dataclass" in ast.unparse(d) for d in node.decorator_list):
        return True
    bases = [ast.unparse(b).split(".")[-1] for b in node.bases]
    return any(VOCABULARY_BASES.search(b) or b in vocabulary for b in bases)


def unimplemented_bodies(path: Path) -> list[str]:
    """Public functions and methods of non-vocabulary classes whose body is not just a raise."""
    vocabulary: set[str] = set()
    offenders = []

    def check(func: ast.FunctionDef | ast.AsyncFunctionDef, owner: str) -> None:
        body = func.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        raises = (len(body) == 1 and isinstance(body[0], ast.Raise) and body[0].exc is not None
                  and "NotImplementedError" in ast.unparse(body[0].exc))
        if not raises:
            offenders.append(f"{owner}{func.name} (line {func.lineno})")

    for node in parse(path).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(node.name):
            check(node, "")
        elif isinstance(node, ast.ClassDef):
            if is_vocabulary(node, vocabulary):
                vocabulary.add(node.name)
                continue
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(item.name):
                    check(item, f"{node.name}.")
    return offenders


def non_stdlib_imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." if node.level else node.module or "")
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    return [name for name in names if name.split(".")[0] not in allowed]


def grade(problem: str, impl: Path, tmp_path: Path, *options: str) -> tuple[int, RunReport]:
    """Run tests/test_PROBLEM.py against `impl` in a child pytest, as the timer does; its exit code
    and its report."""
    report = tmp_path / "report.jsonl"
    command = strict_command(KIT.problem(problem), impl, "full", report) + list(options)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert report.exists(), f"pytest wrote no report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.returncode, read_report(report)


def outcomes(report: RunReport) -> dict[str, list[str]]:
    by_outcome: dict[str, list[str]] = {}
    for test in report.tests:
        by_outcome.setdefault(str(test.outcome), []).append(test.name)
    return by_outcome


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_has_kata_solution_and_tests(problem: str) -> None:
    missing = [str(p.relative_to(ROOT)) for p in
               (kata_file(problem), solution_file(problem), ROOT / "tests" / f"test_{problem}.py")
               if not p.is_file()]
    assert not missing, f"{problem} lacks {missing}"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_kata_and_solution_expose_the_same_public_api(problem: str) -> None:
    kata, solution = public_api(kata_file(problem)), public_api(solution_file(problem))
    assert kata.keys() == solution.keys(), (
        f"only in kata: {sorted(kata.keys() - solution.keys())}, "
        f"only in solution: {sorted(solution.keys() - kata.keys())}")
    for name in kata:
        assert kata[name] == solution[name], f"{problem}.{name} differs between kata and solution"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_kata_body_raises_not_implemented(problem: str) -> None:
    offenders = unimplemented_bodies(kata_file(problem))
    assert not offenders, f"katas/{problem}.py implements {offenders}: bodies must raise " \
                          f"NotImplementedError"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_kata_docstring_is_a_complete_problem_card(problem: str) -> None:
    card = ast.get_docstring(parse(kata_file(problem))) or ""
    assert re.search(r"^Size: (full|short)$", card, re.M), "card needs a 'Size: full|short' line"
    for heading in ("Core", "Extensions", "Errors", "Example", "Complexity", "Hints:"):
        assert re.search(rf"^{re.escape(heading)}", card, re.M), f"card lacks a {heading} section"
    hints = card.split("\nHints:", 1)[-1]
    assert 2 <= len(re.findall(r"^\s*\d+\.\s", hints, re.M)) <= 3, "Hints: needs 2-3 numbered hints"


@pytest.mark.edge
@pytest.mark.parametrize("path", [*map(kata_file, PROBLEMS), *map(solution_file, PROBLEMS)],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_katas_and_solutions_import_only_the_standard_library(path: Path) -> None:
    assert non_stdlib_imports(path) == []


@pytest.mark.core
@pytest.mark.timeout(900)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_suite_passes_everything_against_the_solution(problem: str, tmp_path: Path) -> None:
    code, report = grade(problem, solution_file(problem), tmp_path)
    by_outcome = outcomes(report)
    assert code == 0 and set(by_outcome) == {"passed"}, {k: v for k, v in by_outcome.items()
                                                         if k != "passed"}
    wrong = [t.name for t in report.tests if t.category not in set(Category)]
    assert not wrong, f"tests need exactly one category marker of {list(Category)}: {wrong}"
    used = {t.category for t in report.tests}
    assert used >= set(CATEGORIES), f"no tests for categories {set(CATEGORIES) - used}"


@pytest.mark.core
@pytest.mark.timeout(900)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_suite_passes_nothing_against_the_kata(problem: str, tmp_path: Path) -> None:
    code, report = grade(problem, kata_file(problem), tmp_path)
    assert report.error is None and report.tests, report.error
    assert code == 1 and outcomes(report).get("passed", []) == [], \
        f"vacuous tests (pass against the empty kata): {outcomes(report).get('passed')}"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_has_mutants(problem: str) -> None:
    assert len(list((MUTANTS / problem).glob("*.py"))) >= 4, f"tests/mutants/{problem}/ needs mutants"


@pytest.mark.core
@pytest.mark.timeout(900)
@pytest.mark.parametrize("mutant", MUTANT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_mutant_is_caught(mutant: Path, tmp_path: Path) -> None:
    code, report = grade(mutant.parent.name, mutant, tmp_path, "-x")
    assert report.error is None, f"the mutant does not load: {report.error}"
    caught = {"failed", "error"} & outcomes(report).keys()
    assert code == 1 and caught, \
        f"no test catches {mutant.name}: {ast.get_docstring(parse(mutant))}"


def run_pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.errors
@pytest.mark.timeout(120)
@pytest.mark.parametrize("content, reason", [
    (None, "no such file or folder"),
    ("def broken(:\n", "SyntaxError"),
    ("import not_a_module_anywhere\n", "No module named 'not_a_module_anywhere'"),
    ("raise SystemExit('bye')\n", "SystemExit"),
])
def test_a_missing_or_broken_implementation_gives_one_clear_error(tmp_path: Path, content, reason):
    target = tmp_path / "docstore.py"
    if content is not None:
        target.write_text(content, encoding="utf-8")
    done = run_pytest("--impl", str(target), str(ROOT / "tests"), cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "docstore.py" in output and reason in output, output
    assert "Traceback" not in output and output.count(reason) <= 2, output


@pytest.mark.timeout(120)
@pytest.mark.errors
def test_a_file_named_after_no_problem_is_refused_with_the_known_names(tmp_path: Path):
    (tmp_path / "mine.py").write_text("", encoding="utf-8")
    done = run_pytest("--impl", str(tmp_path / "mine.py"), "tests")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "mine.py" in done.stderr and "docstore" in done.stderr


@pytest.mark.timeout(120)
@pytest.mark.edge
def test_a_folder_grades_only_the_problems_it_holds(tmp_path: Path):
    (tmp_path / "docstore.py").write_bytes(kata_file("docstore").read_bytes())
    report = tmp_path / "report.jsonl"
    done = run_pytest("--impl", str(tmp_path), "--report-json", str(report), "tests")
    graded = {t.name for t in read_report(report).tests}
    assert done.returncode == 1
    assert graded and graded == {t.name for t in grade("docstore", kata_file("docstore"),
                                                       tmp_path)[1].tests}, graded


@pytest.mark.timeout(120)
@pytest.mark.edge
def test_the_report_gives_each_outcome_with_its_category_and_first_failure_line(tmp_path: Path):
    code, report = grade("docstore", kata_file("docstore"), tmp_path, "-m", "core")
    assert code == 1 and report.tests
    for test in report.tests:
        assert test.category == "core" and test.outcome.is_failure
        assert "NotImplementedError" in test.message, test
