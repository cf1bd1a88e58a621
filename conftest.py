"""The kit's command-line options and its test categories.

They live at the top of the tree, not in tests/conftest.py, so that pytest knows them before it
has found the tests: otherwise `pytest --impl practice/docstore.py` would read the path as a test to
collect. Everything they drive is in tests/conftest.py.
"""

import os

import pytest

from katakit.kit import Category


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata kit")
    group.addoption("--impl", default=os.environ.get("KATA_IMPL", "solutions"),
                    help="what to grade: solutions (default), katas, a folder of NAME.py files, "
                         "or one file (env KATA_IMPL)")
    group.addoption("--report-json", default=None, metavar="FILE",
                    help="write each test's outcome, category and first failure line to FILE as "
                         "it finishes, one JSON object per line (see katakit/results.py)")


def pytest_configure(config: pytest.Config) -> None:
    for category in Category:
        config.addinivalue_line("markers", f"{category}: {category.description}")
