"""The code-quality review: ruff with the kit's rules on the candidate's code beside the reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from katakit.quality import ReviewRun, family, quality_lines

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"
CASES = "\n".join(f"    elif kind == {n}:\n        if n > {n}:\n            return {n}\n"
                  f"        return -{n}" for n in range(2, 15))
MESSY = f'''def messy(kind, n):
    if kind == 1:
        return 1
{CASES}
    return 0


def tidy(x):
    return x + 1
'''


def review(tmp_path: Path, source: str, name: str = "mine.py"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    reference = ROOT / "solutions" / "lru_cache.py"
    reviews = ReviewRun([path, reference], CONFIG).result()
    return reviews[path], reviews[reference]


@pytest.mark.core
def test_a_function_of_nested_ifs_over_14_cases_is_flagged_by_name(tmp_path):
    mine, reference = review(tmp_path, MESSY)
    lines = quality_lines(mine, reference)
    assert lines[0].startswith("quality (ruff, not scored): "), lines
    flagged = [line for line in lines if "C901 in messy" in line or "PLR0912 in messy" in line]
    assert flagged, f"the ladder of ifs is not flagged by name: {lines}"
    assert any(line.startswith("  longest function: messy, ") and "(reference " in line
               for line in lines), lines
    assert any(line.startswith("  highest complexity: messy, ") for line in lines), lines
    assert len(lines) <= 8, f"{len(lines)} lines: {lines}"


@pytest.mark.core
def test_the_reference_solution_is_clean_and_its_numbers_are_shown_beside_yours(tmp_path):
    _, reference = review(tmp_path, "def f():\n    return 1\n")
    assert reference.findings == [], reference.findings
    assert reference.longest and reference.most_complex, reference


@pytest.mark.edge
def test_the_most_important_findings_come_first_bugs_before_style(tmp_path):
    source = "def getValue(x=[]):\n    try:\n        return x\n    except:\n        pass\n"
    mine, _ = review(tmp_path, source)
    codes = [f.code for f in mine.top()]
    assert codes[:2] == ["B006", "E722"] and "N802" in codes, codes
    assert {f.function for f in mine.top()} == {"getValue"}, mine.top()


@pytest.mark.edge
def test_the_history_keeps_the_numbers(tmp_path):
    mine, _ = review(tmp_path, MESSY)
    record = mine.to_record()
    assert record["findings"] == len(mine.findings) and record["longest"][0] == "messy", record
    assert record["families"]["complexity"] >= 1, record


@pytest.mark.errors
def test_a_file_that_does_not_parse_is_reported_in_one_line(tmp_path):
    mine, reference = review(tmp_path, "def broken(:\n")
    assert quality_lines(mine, reference) == [f"quality: not reviewed: {mine.error}"], mine
    assert "SyntaxError" in mine.error, mine.error


@pytest.mark.edge
@pytest.mark.parametrize("code, name", [("B006", "likely bugs"), ("E722", "likely bugs"),
                                        ("C901", "complexity"), ("PLR0912", "complexity"),
                                        ("N802", "naming"), ("F401", "unused code"),
                                        ("SIM108", "simpler forms")])
def test_each_rule_belongs_to_one_family(code, name):
    assert family(code) == name, f"family({code!r}) is {family(code)!r}, expected {name!r}"
