"""Fixtures of the kit's own tests: a temporary kit and practice folder, a clock at the real time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

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
