"""Parking lot: spots of three sizes on several levels, the smallest fitting spot first, tickets,
fees per started hour with an optional daily cap, and electric-vehicle charging spots."""

from __future__ import annotations

import heapq
import math
import reprlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_SIZES = ("small", "medium", "large")  # smallest first: the order park() tries them in
_FITS = {"motorcycle": ("small", "medium", "large"), "car": ("medium", "large"),
         "van": ("large",)}
_EV = "ev"  # the key of a level's dict that counts its EV spots (the change request)

_Pool = tuple[str, bool]  # (size, has a charger): free spots are kept per pool
_Spot = tuple[int, int]  # (level, n) within a pool


class ParkingError(Exception):
    """Base class of the lot's domain errors."""


class AlreadyParkedError(ParkingError):
    """park() with a plate that is already inside."""


class LotFullError(ParkingError):
    """park() when no free spot fits the vehicle's kind."""


class TicketNotFoundError(ParkingError):
    """leave() with a ticket id that no vehicle inside holds."""


@dataclass(frozen=True)
class Ticket:
    """What park() hands the driver."""

    ticket_id: int
    plate: str
    kind: str
    spot_id: str
    entered_at: float
    charging: bool = False


@dataclass(frozen=True)
class Receipt:
    """What leave() hands the driver; fee in integer cents."""

    ticket_id: int
    plate: str
    spot_id: str
    entered_at: float
    left_at: float
    fee: int


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: "
                        f"{reprlib.repr(value)}")
    return value


def _check_cents(name: str, value: object) -> int:
    if _check_int(name, value) < 0:
        raise ValueError(f"{name} must be an int >= 0, got {reprlib.repr(value)}")
    return value


def _check_name(what: str, value: object, known: tuple[str, ...]) -> str:
    """`value` if it is one of `known`; TypeError for a non-str, ValueError for another str."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {reprlib.repr(value)}")
    if value not in known:
        raise ValueError(f"unknown {what} {reprlib.repr(value)}: expected one of "
                         f"{', '.join(known)}")
    return value


def _check_kind(kind: object) -> str:
    return _check_name("kind", kind, tuple(_FITS))


def _plate(plate: object) -> str:
    """The plate as the lot uses it: stripped and upper-cased."""
    if not isinstance(plate, str):
        raise TypeError(f"plate must be a str, got {type(plate).__name__}: {reprlib.repr(plate)}")
    normal = plate.strip().upper()
    if not normal:
        raise ValueError(f"plate must not be empty, got {plate!r}")
    return normal


def _size_counts(what: str, counts: object) -> dict[str, int]:
    """`counts`, a dict size -> count, checked, with all three sizes."""
    if not isinstance(counts, dict):
        raise TypeError(f"{what} must be a dict size -> count, got {reprlib.repr(counts)}")
    checked = dict.fromkeys(_SIZES, 0)
    for size, count in counts.items():
        checked[_check_name("size", size, _SIZES)] = _check_cents(f"count of {size}", count)
    return checked


def _level(level: object) -> tuple[dict[str, int], dict[str, int]]:
    """A level's spot counts and EV spot counts, by size."""
    if not isinstance(level, dict):
        raise TypeError(f"a level must be a dict size -> count, got {reprlib.repr(level)}")
    ev = _size_counts("a level's ev", level.get(_EV, {}))
    counts = _size_counts("a level", {size: count for size, count in level.items() if size != _EV})
    for size in _SIZES:
        if ev[size] > counts[size]:
            raise ValueError(f"a level with {counts[size]} {size} spots cannot have {ev[size]} "
                             f"EV {size} spots")
    return counts, ev


def _rates(rates: object) -> dict[str, int]:
    if not isinstance(rates, dict):
        raise TypeError(f"rates must be a dict kind -> cents, got {reprlib.repr(rates)}")
    checked = {_check_kind(kind): _check_cents(f"rate of {kind}", cents)
               for kind, cents in rates.items()}
    missing = [kind for kind in _FITS if kind not in checked]
    if missing:
        raise ValueError(f"rates has no rate for {', '.join(missing)}")
    return checked


def _started_hours(seconds: float) -> int:
    """Every started hour counts, and a stay costs at least one (a clock gone back: one)."""
    return max(1, math.ceil(seconds / 3600))


def _parking_fee(hours: int, rate: int, cap: int | None) -> int:
    """rate per started hour; with a cap, each whole day and the rest costs at most `cap`."""
    if cap is None:
        return hours * rate
    days, rest = divmod(hours, 24)
    return days * min(24 * rate, cap) + min(rest * rate, cap)


def _runs(counts: list[dict[str, int]], ev: list[dict[str, int]], size: str,
          charger: bool) -> list[tuple[int, int, int]]:
    """(level, first n, last n) on each level for the spots of one size with or without a
    charger: the EV spots are a level's first ones of their size, the regular spots the rest."""
    if charger:
        return [(level, 1, ev[level][size]) for level in range(len(counts))]
    return [(level, ev[level][size] + 1, counts[level][size]) for level in range(len(counts))]


class _Spots:
    """The free spots of one pool, handed out lowest (level, n) first.

    Spots are not listed one by one: those never used yet lie past a frontier, in (level, n)
    order, and those given back wait in a min-heap. A spot given back was handed out before, so
    it lies behind the frontier: the heap, when not empty, holds the lowest free spot. Building a
    pool costs O(levels) whatever the counts; take and give_back cost O(log n).
    """

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        self._runs = deque(run for run in runs if run[1] <= run[2])  # (level, first n, last n)
        self._next = self._runs[0][1] if self._runs else 0
        self._given_back: list[_Spot] = []
        self.free = sum(last - first + 1 for _, first, last in self._runs)

    def take(self) -> _Spot:
        """The lowest free spot, now taken; only when self.free > 0."""
        self.free -= 1
        if self._given_back:
            return heapq.heappop(self._given_back)
        level, _, last = self._runs[0]
        n = self._next
        if n == last:
            self._runs.popleft()
            self._next = self._runs[0][1] if self._runs else 0
        else:
            self._next += 1
        return level, n

    def give_back(self, spot: _Spot) -> None:
        self.free += 1
        heapq.heappush(self._given_back, spot)


@dataclass(frozen=True)
class _Stay:
    """A vehicle inside: its ticket, its spot, and the rate in force when it entered."""

    ticket: Ticket
    pool: _Pool
    spot: _Spot
    rate: int


class ParkingLot:
    """Spots on levels, each vehicle in the smallest free spot that fits it, billed on leaving."""

    def __init__(self, levels: list[dict[str, int]], *, rates: dict[str, int],
                 clock: Callable[[], float] = time.time, daily_cap: int | None = None,
                 charge_rate: int = 0) -> None:
        if not isinstance(levels, list):
            raise TypeError(f"levels must be a list of dicts, got {reprlib.repr(levels)}")
        if not levels:
            raise ValueError("levels must hold at least one level, got []")
        parsed = [_level(level) for level in levels]
        counts, ev = [c for c, _ in parsed], [e for _, e in parsed]
        if not any(any(level.values()) for level in counts):
            raise ValueError(f"levels must hold at least one spot, got {reprlib.repr(levels)}")
        self._rates = _rates(rates)
        self._cap = None if daily_cap is None else _check_cents("daily_cap", daily_cap)
        self._charge_rate = _check_cents("charge_rate", charge_rate)
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {reprlib.repr(clock)}")
        self._clock = clock
        self._pools = {(size, charger): _Spots(_runs(counts, ev, size, charger))
                       for size in _SIZES for charger in (True, False)}
        self._level_free = [dict(level) for level in counts]
        self._stays: dict[int, _Stay] = {}  # by ticket id: insertion order is ticket order
        self._inside: dict[str, int] = {}  # plate -> ticket id
        self._last_id = 0
        self._lock = threading.Lock()

    def park(self, plate: str, kind: str, *, ev: bool = False) -> Ticket:
        """Give the vehicle the lowest free spot of the smallest size that fits it."""
        plate = _plate(plate)
        _check_kind(kind)
        if not isinstance(ev, bool):
            raise TypeError(f"ev must be a bool, got {type(ev).__name__}: {reprlib.repr(ev)}")
        with self._lock:
            if plate in self._inside:
                raise AlreadyParkedError(f"plate {plate!r} is already inside, ticket "
                                         f"{self._inside[plate]}")
            pool = self._choose(kind, ev)
            now = self._clock()
            level, n = self._pools[pool].take()
            size, charger = pool
            self._level_free[level][size] -= 1
            self._last_id += 1
            ticket = Ticket(self._last_id, plate, kind, f"{level}-{size}-{n}", now,
                            charging=ev and charger)
            self._stays[ticket.ticket_id] = _Stay(ticket, pool, (level, n), self._rates[kind])
            self._inside[plate] = ticket.ticket_id
            return ticket

    def _choose(self, kind: str, ev: bool) -> _Pool:
        """The pool to park in: EV spots first for an EV, last for any other vehicle; sizes
        smallest first within each."""
        order = (True, False) if ev else (False, True)
        for charger in order:
            for size in _FITS[kind]:
                if self._pools[size, charger].free:
                    return size, charger
        raise LotFullError(f"no free spot fits a {kind}")

    def leave(self, ticket_id: int) -> Receipt:
        """Free the ticket's spot and bill the stay."""
        _check_int("ticket_id", ticket_id)
        with self._lock:
            stay = self._stays.get(ticket_id)
            if stay is None:
                raise TicketNotFoundError(f"no vehicle inside holds ticket {ticket_id}")
            now = self._clock()
            fee = self._fee(stay, now)  # before any change: a clock that fails changes nothing
            del self._stays[ticket_id]
            ticket = stay.ticket
            del self._inside[ticket.plate]
            self._pools[stay.pool].give_back(stay.spot)
            self._level_free[stay.spot[0]][stay.pool[0]] += 1
        return Receipt(ticket.ticket_id, ticket.plate, ticket.spot_id, ticket.entered_at, now, fee)

    def _fee(self, stay: _Stay, now: float) -> int:
        """The stay's parking fee at its rate at entry, plus charging if it charged."""
        hours = _started_hours(now - stay.ticket.entered_at)
        fee = _parking_fee(hours, stay.rate, self._cap)
        return fee + hours * self._charge_rate if stay.ticket.charging else fee

    def locate(self, plate: str) -> Ticket | None:
        """The ticket of the vehicle with this plate inside, or None."""
        plate = _plate(plate)
        with self._lock:
            ticket_id = self._inside.get(plate)
            return None if ticket_id is None else self._stays[ticket_id].ticket

    def free_spots(self) -> dict[str, int]:
        """Free spots per size, all three sizes."""
        with self._lock:
            return {size: self._pools[size, True].free + self._pools[size, False].free
                    for size in _SIZES}

    def can_park(self, kind: str) -> bool:
        """Whether a vehicle of this kind would find a spot now."""
        _check_kind(kind)
        with self._lock:
            return any(self._pools[size, charger].free
                       for size in _FITS[kind] for charger in (True, False))

    def occupied(self) -> list[Ticket]:
        """The tickets of the vehicles inside, by ticket id."""
        with self._lock:
            return [stay.ticket for stay in self._stays.values()]

    def set_rate(self, kind: str, cents: int) -> None:
        """The rate for vehicles of this kind that enter from now on."""
        _check_kind(kind)
        _check_cents(f"rate of {kind}", cents)
        with self._lock:
            self._rates[kind] = cents

    def level_summary(self) -> list[dict[str, int]]:
        """Free spots per size on each level, level 0 first."""
        with self._lock:
            return [dict(level) for level in self._level_free]
