"""Reading back the JSON the timer wrote (session.json, active.json, the history): one function
per kind of value, each returning it typed, or raising ValueError that names the field, the value
found and what was expected. The parse of each file is built from these, so all of them check
alike and say what is wrong alike."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

LATEST_TIME = 1e10  # epoch seconds (the year 2286): anything later is a corrupt value
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def shown(value: Any) -> str:
    """A value as a message quotes it: its repr, cut at 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _wrong(what: str, value: Any, expected: str) -> ValueError:
    return ValueError(f"{what} is {shown(value)}, expected {expected}")


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(what, value, "an object")
    return value


def listed(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _wrong(what, value, "a list")
    return value


def text(value: Any, what: str, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str):
        raise _wrong(what, value, "a string")
    if pattern is not None and not pattern.match(value):
        raise ValueError(f"{what} is {shown(value)}, not a valid name")
    return value


def number(value: Any, what: str, low: float = -LATEST_TIME, high: float = LATEST_TIME) -> float:
    """A finite number from `low` to `high` (an int stays an int)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or not low <= value <= high:
        raise _wrong(what, value, f"a number from {low:g} to {high:g}")
    return value


def moment(value: Any, what: str) -> float:
    """Epoch seconds."""
    return number(value, what, 0, LATEST_TIME)


def whole(value: Any, what: str, low: int = 0, high: int | None = None) -> int:
    """A whole number from `low` (to `high`, when there is one): a count, by default."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or \
            (high is not None and value > high):
        raise _wrong(what, value, f"a whole number from {low} to {high}" if high is not None
                     else f"a whole number of at least {low}")
    return value


def flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise _wrong(what, value, "true or false")
    return value


def member(value: Any, what: str, kind: type[E]) -> E:
    """`value` as a member of the enumeration `kind`."""
    if isinstance(value, str) and value in kind.__members__.values():
        return kind(value)
    raise _wrong(what, value, f"one of {', '.join(kind)}")


def optional(read: Callable[[Any, str], T], value: Any, what: str) -> T | None:
    """None, or what `read` makes of `value`."""
    return None if value is None else read(value, what)


def timestamp(value: Any, what: str) -> datetime | None:
    """An ISO 8601 time as the history writes it (``clock.iso``); None for one that is missing or
    that cannot be read, which is no reason to lose the rest of a line."""
    try:
        moment = datetime.fromisoformat(text(value, what))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()  # one without a zone is local
