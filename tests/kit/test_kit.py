"""The kit checking itself: every problem has its files, one API, a fair card, a model design and
tests that bite."""

from __future__ import annotations

import ast
import copy
import doctest
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from katakit import design
from katakit.grading import strict_command
from katakit.kit import Category, Kit, Mutant
from katakit.results import Case, Outcome, RunReport, read_report

ROOT = Path(__file__).resolve().parents[2]
KIT = Kit(ROOT)
PROBLEMS = KIT.names()
KATAS, SOLUTIONS, MUTANTS = ROOT / "katas", ROOT / "solutions", ROOT / "tests" / "mutants"
MIN_MUTANTS, MIN_CHANGE_MUTANTS, MIN_CHANGE_TESTS = 8, 2, 5
# A failure's first line must name the call: these say nothing about it.
GENERIC_FIRST_LINE = re.compile(r"^(assert\b|DID NOT RAISE|AssertionError$|\s*$)")
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


def without_parameters(args: ast.arguments, names: set[str]) -> ast.arguments:
    """`args` less the parameters called one of `names` (those a change request adds)."""
    args = copy.deepcopy(args)
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    kept = [(a, d) for a, d in zip(args.args, defaults) if a.arg not in names]
    args.args = [a for a, _ in kept]
    args.defaults = [d for _, d in kept if d is not None]
    kept = [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if a.arg not in names]
    args.kwonlyargs, args.kw_defaults = [a for a, _ in kept], [d for _, d in kept]
    return args


def signature(node: ast.FunctionDef | ast.AsyncFunctionDef, ignore: set[str]) -> str:
    decorators = "".join(f"@{ast.unparse(d)} " for d in node.decorator_list)
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{decorators}def {node.name}({ast.unparse(without_parameters(node.args, ignore))})" \
           f"{returns}"


def class_api(node: ast.ClassDef, ignore: set[str]) -> dict[str, str]:
    api = {"": f"{''.join('@' + ast.unparse(d) + ' ' for d in node.decorator_list)}class "
                f"{node.name}({', '.join(ast.unparse(b) for b in node.bases)})"}
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(item.name):
            api[item.name] = signature(item, ignore)
        elif isinstance(item, (ast.Assign, ast.AnnAssign)):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            for target in targets:
                if isinstance(target, ast.Name) and is_public(target.id):
                    api[target.id] = ast.unparse(item)
    return api


def public_api(path: Path, ignore: set[str] = frozenset()) -> dict[str, object]:
    """Module-level public names with the signatures and fields that make up the API; parameters
    named in `ignore` left out."""
    api: dict[str, object] = {}
    for node in parse(path).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(node.name):
            api[node.name] = signature(node, ignore)
        elif isinstance(node, ast.ClassDef) and is_public(node.name):
            api[node.name] = class_api(node, ignore)
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
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        is_public(item.name):
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


def grade(problem: str, impl: Path, tmp_path: Path, *options: str,
          only: list[str] | None = None) -> tuple[int, RunReport]:
    """Run tests/test_PROBLEM.py (or `only` the tests named) against `impl` in a child pytest, as
    the timer does; its exit code and its report."""
    report = tmp_path / "report.jsonl"
    command = strict_command(KIT.problem(problem), impl, "full", report, only) + list(options)
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


def change_request_words(problem: str) -> set[str]:
    return set(re.findall(r"\w+", KIT.problem(problem).change_request))


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_kata_and_solution_expose_the_same_public_api(problem: str) -> None:
    """The same API, but for what the sealed change request adds to the solution (and names)."""
    added = change_request_words(problem)
    kata = public_api(kata_file(problem), added)
    solution = public_api(solution_file(problem), added)
    only_kata = sorted(kata.keys() - solution.keys())
    only_solution = sorted(solution.keys() - kata.keys() - added)
    assert not only_kata and not only_solution, \
        f"only in kata: {only_kata}, only in solution (and not named by the change request): " \
        f"{only_solution}"
    for name in kata:
        ours, theirs = kata[name], solution[name]
        if isinstance(ours, dict) and isinstance(theirs, dict):
            theirs = {k: v for k, v in theirs.items() if k in ours or k not in added}
        assert ours == theirs, f"{problem}.{name} differs between kata and solution"


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
    for heading in ("Core", "Extensions", "Errors", "Example", "Complexity", "Hints:",
                    "Change request:"):
        assert re.search(rf"^{re.escape(heading)}", card, re.M), f"card lacks a {heading} section"
    assert card.index("\nHints:") < card.index("\nChange request:"), \
        "the sealed Change request: comes last, after the Hints:"
    hints = KIT.problem(problem).hints
    assert 2 <= len(hints) <= 3, "Hints: needs 2-3 numbered hints"
    assert len(KIT.problem(problem).change_request.split()) >= 20, \
        "Change request: states one new requirement, testable from the card alone"


def card_section(card: str, heading: str) -> str:
    """The lines of the card section `heading` (up to the next line that starts a section)."""
    lines = card.split(f"\n{heading}", 1)[1].splitlines()[1:]
    body = []
    for line in lines:
        if line.strip() and not line.startswith(" "):
            break
        body.append(line)
    return "\n".join(body)


def import_file(path: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_card_example_runs_as_a_doctest_against_the_solution(problem: str) -> None:
    card = KIT.problem(problem).card
    example = card_section(card, "Example:")
    module = import_file(solution_file(problem), f"example_{problem}")
    test = doctest.DocTestParser().get_doctest(example, dict(vars(module)), f"{problem} Example",
                                               str(kata_file(problem)), 0)
    assert test.examples, f"katas/{problem}.py: the Example section holds no >>> lines"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output = io.StringIO()
    runner.run(test, out=output.write)
    assert runner.failures == 0, f"katas/{problem}.py Example fails on the solution:\n" \
                                 f"{output.getvalue()}"


def suite_file(problem: str) -> Path:
    return ROOT / "tests" / f"test_{problem}.py"


def unexplained_checks(path: Path) -> list[str]:
    """Checks whose failure would not name the call: an assert without a message, a bare
    pytest.raises, error_naming without call=."""
    offenders = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Assert) and node.msg is None:
            offenders.append(f"line {node.lineno}: assert without a message")
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name == "pytest.raises":
                offenders.append(f"line {node.lineno}: pytest.raises (use call.raises or "
                                 f"error_naming(..., call=...))")
            elif name == "error_naming" and not any(k.arg == "call" for k in node.keywords):
                offenders.append(f"line {node.lineno}: error_naming without call=")
    return offenders


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_check_in_the_suite_names_what_failed(problem: str) -> None:
    offenders = unexplained_checks(suite_file(problem))
    assert not offenders, f"tests/test_{problem}.py: {len(offenders)} checks would fail " \
                          f"without naming the call: {offenders[:10]}"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_solution_is_clean_under_the_kits_quality_rules(problem: str) -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet",
                           str(solution_file(problem))], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, f"ruff finds in solutions/{problem}.py:\n{done.stdout}" \
                                 f"{done.stderr}"


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_has_a_model_design(problem: str) -> None:
    path = KIT.problem(problem).design
    assert path.is_file(), f"solutions/{problem}.md is missing"
    text = path.read_text(encoding="utf-8")
    model = design.parse(text)
    headings = [h for h in model.sections if h in (*design.DESIGN_HEADINGS, design.FOLLOW_UPS)]
    assert headings == [*design.DESIGN_HEADINGS, design.FOLLOW_UPS], \
        f"solutions/{problem}.md: headings {headings}, expected {design.DESIGN_HEADINGS} and " \
        f"{design.FOLLOW_UPS} last"
    body = text.split(f"## {design.FOLLOW_UPS}")[0].strip().splitlines()
    assert 60 <= len(body) <= 150, f"solutions/{problem}.md: the design is {len(body)} lines, " \
                                   f"expected 60-150 (follow-ups not counted)"
    assert 5 <= len(model.decisions) <= 8, \
        f"solutions/{problem}.md: {len(model.decisions)} key decisions, expected 5-8"
    unkeyed = [d.text for d in model.decisions if not d.keys]
    assert not unkeyed, f"solutions/{problem}.md: decisions without <!-- keys: ... -->: {unkeyed}"
    assert 4 <= len(model.follow_ups) <= 6, \
        f"solutions/{problem}.md: {len(model.follow_ups)} follow-ups, expected 4-6"
    unanswered = [f.question for f in model.follow_ups if len(f.answer.split()) < 10]
    assert not unanswered, f"solutions/{problem}.md: follow-ups without a model answer: " \
                           f"{unanswered}"


@pytest.mark.edge
@pytest.mark.parametrize("path", [*map(kata_file, PROBLEMS), *map(solution_file, PROBLEMS)],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_katas_and_solutions_import_only_the_standard_library(path: Path) -> None:
    assert non_stdlib_imports(path) == []


def solution_results(problem: str, suite_results, tmp_path: Path) -> tuple[int, RunReport]:
    """The suite's results on the solution: from this very run when it graded the whole suite
    (the suites run before the kit's own tests), else from a child run."""
    categories, outcomes_, deselected = suite_results
    prefix = f"tests/test_{problem}.py::"
    ran = [test_id for test_id in categories if test_id.startswith(prefix)]
    if not ran or suite_file(problem) in deselected or any(i not in outcomes_ for i in ran):
        return grade(problem, solution_file(problem), tmp_path)
    report = RunReport("solutions", [Case(test_id.removeprefix(prefix), categories[test_id],
                                          outcomes_[test_id]) for test_id in ran], None, True)
    failed = any(case.outcome is not Outcome.PASSED for case in report.tests)
    return int(failed), report


@pytest.mark.core
@pytest.mark.timeout(120)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_suite_passes_everything_against_the_solution(problem: str, suite_results,
                                                       tmp_path: Path) -> None:
    code, report = solution_results(problem, suite_results, tmp_path)
    by_outcome = outcomes(report)
    assert code == 0 and set(by_outcome) == {"passed"}, {k: v for k, v in by_outcome.items()
                                                         if k != "passed"}
    wrong = [t.name for t in report.tests if t.category not in set(Category)]
    assert not wrong, f"tests need exactly one category marker of {list(Category)}: {wrong}"
    used = {t.category for t in report.tests}
    assert used == set(Category), f"no tests for categories {set(Category) - used}"
    change = [t.name for t in report.tests if t.category == Category.CHANGE]
    assert len(change) >= MIN_CHANGE_TESTS, \
        f"{len(change)} change tests, expected at least {MIN_CHANGE_TESTS}"


@pytest.mark.core
@pytest.mark.timeout(600)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_suite_passes_nothing_against_the_kata(problem: str, child_runs) -> None:
    code, report = child_runs.kata(problem)
    assert report.error is None and report.tests, report.error
    assert code == 1 and outcomes(report).get("passed", []) == [], \
        f"vacuous tests (pass against the empty kata): {outcomes(report).get('passed')}"


def caught_by(mutant: Path) -> list[str]:
    return list(Mutant.read(mutant).caught_by)


def suite_tests(problem: str) -> set[str]:
    return {node.name for node in parse(suite_file(problem)).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


@pytest.mark.core
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_has_mutants_that_name_the_tests_catching_them(problem: str) -> None:
    mutants = sorted((MUTANTS / problem).glob("*.py"))
    change = [m for m in mutants if m.stem.startswith("change_")]
    assert len(mutants) >= MIN_MUTANTS and len(change) >= MIN_CHANGE_MUTANTS, \
        f"tests/mutants/{problem}/ has {len(mutants)} mutants ({len(change)} change_*), expected " \
        f"at least {MIN_MUTANTS} ({MIN_CHANGE_MUTANTS} of them change_*, for the change request)"
    known = suite_tests(problem)
    for mutant in mutants:
        named = caught_by(mutant)
        assert named and set(named) <= known, \
            f"{mutant.name}: CAUGHT_BY must name tests of tests/test_{problem}.py, got {named}"


@pytest.mark.core
@pytest.mark.timeout(600)
@pytest.mark.parametrize("mutant", MUTANT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_mutant_is_caught_by_the_tests_it_names(mutant: Path, child_runs) -> None:
    """Each problem's mutants are graded in one child run, each against the tests it names."""
    _, report = child_runs.mutants(mutant.parent.name)
    assert report.error is None, f"the mutants of {mutant.parent.name} do not run: {report.error}"
    mine = re.compile(rf"[\[-]mutant:{re.escape(mutant.stem)}[-\]]")
    ran = [t for t in report.tests if mine.search(t.name)]
    assert ran, f"{mutant.name}: none of CAUGHT_BY = {caught_by(mutant)} ran against it"
    broken = [t.message for t in ran if (t.message or "").startswith("cannot grade")]
    assert not broken, f"the mutant does not load: {broken[0]}"
    caught = [t for t in ran if t.outcome.is_failure]
    assert caught, f"{caught_by(mutant)} do not catch {mutant.name}: " \
                   f"{ast.get_docstring(parse(mutant))}"
    vague = [f"{t.name}: {t.message!r}" for t in caught
             if GENERIC_FIRST_LINE.match(t.message or "")]
    assert not vague, f"the failure does not name the call: {vague}"
    if mutant.stem.startswith("change_"):
        assert caught[0].category == Category.CHANGE, \
            f"{mutant.name} is caught by {caught[0].name}, a {caught[0].category} test"


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


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_impl_names_a_file_outside_the_kit_for_about_the_cost_of_naming_the_suite(
        tmp_path: Path, timed) -> None:
    target = tmp_path / "lru_cache.py"
    target.write_bytes(solution_file("lru_cache").read_bytes())

    def outside() -> None:
        done = run_pytest("--impl", str(target), "-m", "core")
        assert done.returncode == 0 and " passed" in done.stdout, \
            f"pytest --impl {target} -m core (run in the kit) exited {done.returncode}:\n" \
            f"{done.stdout[-1500:]}{done.stderr[-1500:]}"

    def named() -> None:
        run_pytest("tests/test_lru_cache.py", f"--impl={target}", "-m", "core")

    ratio = timed.ratio(outside, named, at_most=1.5, repeats=3)
    assert ratio <= 1.5, f"pytest --impl FILE costs {ratio:.2f}x naming tests/test_lru_cache.py " \
                         f"too, expected at most 1.5x"
