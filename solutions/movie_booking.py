"""Movie ticket booking: seats held for a while, confirmed into bookings, never sold twice; seat
categories priced in integer cents."""

from __future__ import annotations

import heapq
import itertools
import math
import string
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_MAX_ROWS, _MAX_SEATS_PER_ROW = 26, 1_000
_ROW_OF = {letter: row for row, letter in enumerate(string.ascii_uppercase)}
_DIGITS, _FIRST_DIGITS = frozenset(string.digits), frozenset("123456789")
_DEFAULT_CATEGORY = "standard"


class BookingError(Exception):
    """Base class of the service's domain errors."""


class ShowNotFoundError(BookingError):
    """A show id that add_show never created."""


class ShowExistsError(BookingError):
    """add_show() with a show id already taken."""


class SeatUnavailableError(BookingError):
    """hold() of seats that are booked or under a live hold."""


class HoldNotFoundError(BookingError):
    """A hold id that is unknown, already confirmed or already released."""


class HoldExpiredError(BookingError):
    """A hold whose hold_seconds passed before it was confirmed or released."""


class BookingNotFoundError(BookingError):
    """A booking id that is unknown or cancelled."""


class LimitExceededError(BookingError):
    """hold() that would give a user more seats of a show than max_seats_per_user."""


@dataclass(frozen=True)
class Booking:
    """A confirmed booking; its seats sorted by row, then by number."""

    booking_id: str
    show_id: str
    user_id: str
    seats: tuple[str, ...]
    total_cents: int


@dataclass(frozen=True)
class _Hold:
    """A live hold. Its deadline lives in the service's heap, its price is fixed here."""

    show_id: str
    user_id: str
    seats: tuple[str, ...]
    total_cents: int


@dataclass
class _Show:
    """A hall's shape, each row's category, the categories' prices, and the seats taken."""

    rows: int
    seats_per_row: int
    row_categories: list[str]  # by row, A = 0
    prices: dict[str, int]  # category -> cents
    taken: set[str] = field(default_factory=set)  # booked or under a live hold

    def seat(self, name: object) -> str:
        """`name` as the upper-case name of one of this show's seats; TypeError / ValueError."""
        if not isinstance(name, str):
            raise TypeError(f"a seat name must be a str, got {type(name).__name__}: {name!r}")
        row = _ROW_OF.get(name[:1].upper()) if name[:1].isascii() else None
        digits = name[1:]  # plain ASCII digits, no leading zero; int() would take " +1_0"
        plain = digits[:1] in _FIRST_DIGITS and _DIGITS.issuperset(digits) and len(digits) < 5
        if row is None or row >= self.rows or not plain or int(digits) > self.seats_per_row:
            raise ValueError(f"seat {name!r} is not in {self.rows} rows of {self.seats_per_row}")
        return f"{string.ascii_uppercase[row]}{digits}"

    def price(self, seats: Sequence[str]) -> int:
        """What `seats` cost now, in cents."""
        return sum(self.prices[self.row_categories[_ROW_OF[seat[0]]]] for seat in seats)


def _check_id(what: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {value!r}")
    return value


def _check_name(what: str, value: object) -> str:
    if not _check_id(what, value):
        raise ValueError(f"{what} must be a non-empty str, got ''")
    return value


def _check_int(what: str, value: object, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f">= {low}" if high is None else f"from {low} to {high}"
        raise ValueError(f"{what} must be an int {allowed}, got {value!r}")
    return value


def _check_seconds(value: object) -> float:
    """hold_seconds as a float: inf for math.inf or an int beyond a float's range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"hold_seconds must be an int or float, got {value!r}")
    if not value > 0:  # NaN fails the comparison too
        raise ValueError(f"hold_seconds must be > 0, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # 10**400 seconds outlast any clock
        return math.inf


def _row_categories(categories: object, rows: int) -> list[str]:
    """Each row's category, by row; every row must be in exactly one category."""
    if categories is None:
        return [_DEFAULT_CATEGORY] * rows
    if not isinstance(categories, dict):
        raise TypeError(f"categories must be a dict of name -> row letters, got {categories!r}")
    owner: dict[int, str] = {}
    for name, letters in categories.items():
        _check_name("a category name", name)
        for letter in _check_id(f"the rows of category {name!r}", letters):
            row = _ROW_OF.get(letter)
            if row is None or row >= rows:
                raise ValueError(f"{letter!r} of category {name!r} is not a row of the show")
            if row in owner:
                raise ValueError(f"row {letter!r} is in two categories: {owner[row]!r}, {name!r}")
            owner[row] = name
    missing = [string.ascii_uppercase[row] for row in range(rows) if row not in owner]
    if missing:
        raise ValueError(f"rows {', '.join(missing)} are in no category")
    return [owner[row] for row in range(rows)]


class BookingService:
    """Shows, live holds, expired hold ids and bookings, behind one lock.

    Every call that looks at seats first pops the holds whose deadline has come off a heap, so
    expiry costs O(log n) per hold and never a scan.
    """

    def __init__(self, *, hold_seconds: float = 300, clock: Callable[[], float] = time.monotonic,
                 max_seats_per_user: int | None = None) -> None:
        self._hold_seconds = _check_seconds(hold_seconds)
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        self._clock = clock
        self._max_seats = None if max_seats_per_user is None else \
            _check_int("max_seats_per_user", max_seats_per_user, 1)
        self._shows: dict[str, _Show] = {}
        self._holds: dict[str, _Hold] = {}  # live holds only
        self._expired: set[str] = set()  # every hold that expired, kept for good
        self._deadlines: list[tuple[float, str]] = []  # heap of (deadline, hold id)
        self._bookings: dict[str, Booking] = {}
        self._seats_of: dict[tuple[str, str], int] = {}  # (show, user) -> seats held or booked
        self._hold_ids, self._booking_ids = itertools.count(1), itertools.count(1)
        self._lock = threading.Lock()

    def add_show(self, show_id: str, rows: int, seats_per_row: int,
                 categories: dict[str, str] | None = None) -> None:
        """Create a show of `rows` rows of `seats_per_row` seats, all free and priced 0."""
        _check_name("show_id", show_id)
        _check_int("rows", rows, 1, _MAX_ROWS)
        _check_int("seats_per_row", seats_per_row, 1, _MAX_SEATS_PER_ROW)
        row_categories = _row_categories(categories, rows)
        with self._lock:
            if show_id in self._shows:
                raise ShowExistsError(f"show {show_id!r} already exists")
            self._shows[show_id] = _Show(rows, seats_per_row, row_categories,
                                         dict.fromkeys(categories or [_DEFAULT_CATEGORY], 0))

    def set_price(self, show_id: str, category: str, cents: int) -> None:
        """Price a category's seats for holds made from now on."""
        _check_id("show_id", show_id)
        _check_id("category", category)
        _check_int("cents", cents, 0)
        with self._lock:
            show = self._show(show_id)
            if category not in show.prices:
                raise ValueError(f"show {show_id!r} has no category {category!r}")
            show.prices[category] = cents

    def available(self, show_id: str) -> list[str]:
        """The show's free seats, by row, then by number."""
        _check_id("show_id", show_id)
        with self._lock:
            self._expire()
            show = self._show(show_id)
            return [seat for letter in string.ascii_uppercase[:show.rows]
                    for number in range(1, show.seats_per_row + 1)
                    if (seat := f"{letter}{number}") not in show.taken]

    def hold(self, show_id: str, user_id: str, seats: Sequence[str]) -> str:
        """Hold every seat named, or none; the new hold id."""
        _check_id("show_id", show_id)
        _check_name("user_id", user_id)
        if not isinstance(seats, (list, tuple)):
            raise TypeError(f"seats must be a list or tuple of seat names, got {seats!r}")
        with self._lock:
            now = self._expire()
            show = self._show(show_id)
            wanted = self._seat_list(show, seats)
            taken = [seat for seat in wanted if seat in show.taken]
            if taken:
                raise SeatUnavailableError(f"show {show_id!r}: {', '.join(taken)} taken")
            self._check_limit(show_id, user_id, len(wanted))
            hold_id = f"H{next(self._hold_ids)}"
            show.taken.update(wanted)
            self._count(show_id, user_id, len(wanted))
            self._holds[hold_id] = _Hold(show_id, user_id, wanted, show.price(wanted))
            heapq.heappush(self._deadlines, (now + self._hold_seconds, hold_id))
            return hold_id

    def hold_total(self, hold_id: str) -> int:
        """What a live hold costs, in cents, at the prices of the moment it was made."""
        _check_id("hold_id", hold_id)
        with self._lock:
            return self._live_hold(hold_id).total_cents

    def confirm(self, hold_id: str) -> str:
        """Book a live hold's seats; the new booking id."""
        _check_id("hold_id", hold_id)
        with self._lock:
            hold = self._live_hold(hold_id)
            del self._holds[hold_id]
            booking_id = f"B{next(self._booking_ids)}"
            self._bookings[booking_id] = Booking(booking_id, hold.show_id, hold.user_id,
                                                 hold.seats, hold.total_cents)
            return booking_id

    def release(self, hold_id: str) -> None:
        """Give up a live hold; its seats are free again."""
        _check_id("hold_id", hold_id)
        with self._lock:
            hold = self._live_hold(hold_id)
            del self._holds[hold_id]
            self._free(hold)

    def cancel(self, booking_id: str) -> None:
        """Cancel a booking; its seats are free again."""
        _check_id("booking_id", booking_id)
        with self._lock:
            self._free(self._booking(booking_id))
            del self._bookings[booking_id]

    def booking(self, booking_id: str) -> Booking:
        """The booking with this id."""
        _check_id("booking_id", booking_id)
        with self._lock:
            return self._booking(booking_id)

    def best_available(self, show_id: str, n: int) -> list[str] | None:
        """n adjacent free seats in the row closest to the middle, the most central block of it."""
        _check_id("show_id", show_id)
        _check_int("n", n, 1)
        with self._lock:
            self._expire()
            show = self._show(show_id)
            if n > show.seats_per_row:
                return None
            middle = show.rows - 1  # twice the middle row's index: distances stay whole numbers
            for row in sorted(range(show.rows), key=lambda row: (abs(2 * row - middle), row)):
                block = self._central_block(show, string.ascii_uppercase[row], n)
                if block is not None:
                    return block
            return None

    # --- the helpers below run under the lock ---------------------------------------------

    def _expire(self) -> float:
        """Read the clock once and free every hold whose deadline has come; the reading."""
        now = self._clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            _, hold_id = heapq.heappop(self._deadlines)
            hold = self._holds.pop(hold_id, None)
            if hold is not None:  # neither confirmed nor released in time
                self._expired.add(hold_id)
                self._free(hold)
        return now

    def _show(self, show_id: str) -> _Show:
        show = self._shows.get(show_id)
        if show is None:
            raise ShowNotFoundError(f"no show {show_id!r}")
        return show

    def _booking(self, booking_id: str) -> Booking:
        booking = self._bookings.get(booking_id)
        if booking is None:
            raise BookingNotFoundError(f"no booking {booking_id!r}: unknown or cancelled")
        return booking

    def _live_hold(self, hold_id: str) -> _Hold:
        self._expire()
        if hold_id in self._expired:
            raise HoldExpiredError(f"hold {hold_id!r} expired: its seats went back on sale")
        hold = self._holds.get(hold_id)
        if hold is None:
            raise HoldNotFoundError(f"no live hold {hold_id!r}: unknown, confirmed or released")
        return hold

    @staticmethod
    def _seat_list(show: _Show, seats: Sequence[str]) -> tuple[str, ...]:
        """The seats named, upper-case and sorted; ValueError for none, a bad one or a repeat."""
        if not seats:
            raise ValueError("seats must name at least one seat, got an empty list")
        wanted: set[str] = set()
        for name in seats:
            seat = show.seat(name)
            if seat in wanted:
                raise ValueError(f"seat {name!r} is named twice")
            wanted.add(seat)
        return tuple(sorted(wanted, key=lambda seat: (seat[0], int(seat[1:]))))

    def _check_limit(self, show_id: str, user_id: str, more: int) -> None:
        after = self._seats_of.get((show_id, user_id), 0) + more
        if self._max_seats is not None and after > self._max_seats:
            raise LimitExceededError(f"user {user_id!r} would have {after} seats of show "
                                     f"{show_id!r}, over the limit of {self._max_seats}")

    def _count(self, show_id: str, user_id: str, change: int) -> None:
        key = (show_id, user_id)
        self._seats_of[key] = self._seats_of.get(key, 0) + change
        if not self._seats_of[key]:
            del self._seats_of[key]

    def _free(self, owner: _Hold | Booking) -> None:
        """Put the seats of a hold or booking back on sale."""
        self._shows[owner.show_id].taken.difference_update(owner.seats)
        self._count(owner.show_id, owner.user_id, -len(owner.seats))

    @staticmethod
    def _central_block(show: _Show, letter: str, n: int) -> list[str] | None:
        """The free block of n seats in the row closest to its centre (the leftmost of two)."""
        best: tuple[int, int] | None = None  # (twice the distance from the centre, first seat)
        run = 0
        for number in range(1, show.seats_per_row + 1):
            run = 0 if f"{letter}{number}" in show.taken else run + 1
            if run >= n:
                first = number - n + 1
                offset = abs(2 * first + n - show.seats_per_row - 2)
                if best is None or offset < best[0]:
                    best = (offset, first)
        return None if best is None else [f"{letter}{i}" for i in range(best[1], best[1] + n)]
