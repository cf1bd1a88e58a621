"""A pytest plugin that lets ``pytest --impl FILE`` (and ``--report-json FILE``) name any file.

pytest chooses its root folder, and with it the kit's pytest.ini and conftest.py, from the paths on
its command line, before any plugin or conftest can say that FILE belongs to ``--impl``. A FILE
outside the folder pytest runs in would make it look for its configuration around FILE and never
load the kit. Installed with the kit's requirements, this plugin spots that case and runs the same
command again with ``--impl=FILE``, which pytest does not take for a path.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

__version__ = "1.0"
OPTIONS = ("--impl", "--report-json")  # the kit's options that take a path (see conftest.py)


def joined_options(args: list[str], invocation_dir: Path) -> list[str] | None:
    """`args` with each ``--impl FILE`` written ``--impl=FILE`` where FILE is an existing path
    outside `invocation_dir`; None when nothing needs rewriting."""
    rewritten, changed, index = [], False, 0
    while index < len(args):
        arg = args[index]
        if arg in OPTIONS and index + 1 < len(args):
            value = Path(invocation_dir, args[index + 1])
            if value.exists() and invocation_dir.resolve() not in value.resolve().parents:
                rewritten.append(f"{arg}={args[index + 1]}")
                changed, index = True, index + 2
                continue
        rewritten.append(arg)
        index += 1
    return rewritten if changed else None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> Iterator[None]:
    """Runs before pytest starts capturing output, and before it has read the arguments for good:
    the command is run again here, in this process (pytest is imported already), and its exit
    code ends this one."""
    invocation = early_config.invocation_params
    rewritten = joined_options(list(invocation.args), invocation.dir)
    # pytest.main() called from code leaves sys.argv alone: its caller chose the arguments.
    if rewritten is not None and sys.argv[1:] == list(invocation.args):
        raise SystemExit(pytest.main(rewritten))
    return (yield)
