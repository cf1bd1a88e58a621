"""The kit's command-line options.

They live at the top of the tree, not in tests/conftest.py, so that pytest knows them before it
has found the tests: otherwise `pytest --impl practice/docstore.py` would read the path as a test to
collect. Everything they drive is in tests/conftest.py.
"""

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata kit")
    group.addoption("--impl", default=os.environ.get("KATA_IMPL", "solutions"),
                    help="what to grade: solutions (default), katas, a folder of NAME.py files, "
                         "or one file (env KATA_IMPL)")
    group.addoption("--report-json", default=None, metavar="FILE",
                    help="write each test's outcome, category and first failure line to FILE")
