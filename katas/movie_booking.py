"""Movie ticket booking: seats, holds that expire, no double booking

Size: full

A cinema chain sells seats online. A customer picks seats, and the seats are held for a few
minutes while they pay; paying confirms the hold into a booking, and a hold nobody pays for
expires on its own, so its seats go back on sale. However many customers click at once, a seat is
never sold twice. Build the booking service.

Core (the 60-minute part):
- BookingService(*, hold_seconds=300, clock=time.monotonic): hold_seconds is an int or float > 0;
  math.inf, or an int too big for a float (10**400), means holds never expire. clock() gives the
  time in seconds; the service reads it when it needs it, never sleeps and starts no thread.
- add_show(show_id, rows, seats_per_row): show_id a non-empty str; rows an int from 1 to 26,
  seats_per_row an int from 1 to 1000. A seat's name is its row letter and its number from 1:
  "A1" .. "C12" in a show of 3 rows of 12. A seat name is taken in either case ("c12" is "C12")
  and always returned upper-case. Nothing else names a seat: the letter is ASCII (A-Z or a-z) and
  the number is plain digits 0-9 without a leading zero, sign, space or underscore ("A01", "A+1",
  "A 1", "A1_0" and "A0" name no seat).
- available(show_id) -> list[str]: the show's free seats (neither booked nor under a live hold),
  by row, then by number: "A2" before "A10", every A seat before "B1". A new list on every call.
- hold(show_id, user_id, seats) -> str: holds every seat named, or none of them, and returns a new
  hold id. user_id is a non-empty str; seats is a list or tuple of seat names (a str on its own is
  a TypeError). A seat that is booked or under any live hold, the same user's included, is
  unavailable: SeatUnavailableError naming every unavailable seat of the list. An empty list, a
  seat that does not exist, or a seat named twice ("A1" and "a1" included): ValueError naming it.
- hold checks in this order and raises for the first problem found: the show, the seat list,
  availability, the per-user limit (an extension).
- A hold is live for hold_seconds after it was made: made when clock() was t, it is live while
  clock() < t + hold_seconds. From t + hold_seconds on, its seats are free for everyone, without
  any other call having to come first.
- confirm(hold_id) -> str: turns a live hold into a booking of the same seats and returns the new
  booking id. release(hold_id): gives up a live hold; its seats are free again.
- A hold that expired stays expired: confirm and release of it raise HoldExpiredError every time,
  however long ago it expired. A hold id that is unknown, already confirmed or already released
  raises HoldNotFoundError (also once its hold_seconds have passed).
- cancel(booking_id): the booking's seats are free again. booking(booking_id) -> Booking (given
  below), its seats a tuple in available()'s order. Both raise BookingNotFoundError for a
  booking id that is unknown or cancelled.
- Ids are str and never reused; a hold id is never a booking id: confirm(a booking id) raises
  HoldNotFoundError and cancel(a hold id) BookingNotFoundError.
- Thread-safe: any method from any thread. However many threads hold overlapping seats at once,
  every seat ends up in at most one hold.

Extensions (the stretch part, tests marked extension):
- BookingService(..., max_seats_per_user=None): None means no limit, else an int >= 1. The seats
  of one user's live holds and bookings for one show may not exceed it: a hold that would go over
  raises LimitExceededError naming the user. Released, expired and cancelled seats no longer
  count, and other shows never do.
- best_available(show_id, n) -> list[str] | None: n adjacent free seats in one row, left to
  right; None when no row has n adjacent free seats (always when n > seats_per_row). It holds
  nothing. The row comes first: of the rows that have such a block, the one closest to the middle
  row (middle = (rows - 1) / 2, counting row A as 0), and of two equally close, the earlier letter
  (nearer the screen). In that row, the block whose centre is closest to the row's centre; of two
  equally close, the leftmost. n is an int >= 1. With 5 rows of 10 seats all free, n = 3 gives
  ["C4", "C5", "C6"] (C4-C6 and C5-C7 are equally central: the leftmost wins); with only C1-C3
  free in row C, n = 3 gives ["C1", "C2", "C3"].

Errors:
- Wrong types raise TypeError: ids and user ids are str; rows, seats_per_row, n and
  max_seats_per_user are ints; hold_seconds an int or float; bool is not a number here. clock must
  be callable. Bad values raise ValueError: an empty show_id or user_id, rows or seats_per_row out
  of range (10**400 included), hold_seconds <= 0 or NaN, n < 1, max_seats_per_user < 1.
- Domain failures raise the subclasses of BookingError given below: ShowNotFoundError,
  ShowExistsError (add_show of a show id already taken), SeatUnavailableError, HoldNotFoundError,
  HoldExpiredError, BookingNotFoundError, LimitExceededError. A str id that names nothing is a
  domain failure, never a ValueError.
- Every message names the offending value: the show id, the seat names, the hold or booking id,
  the user id, the bad number. A rejected call changes nothing: a refused hold holds no seat.

Example:
    >>> now = [0.0]
    >>> service = BookingService(hold_seconds=60, clock=lambda: now[0])
    >>> service.add_show("matinee", rows=3, seats_per_row=4)
    >>> ada = service.hold("matinee", "ada", ["b2", "B3"])
    >>> service.available("matinee")
    ['A1', 'A2', 'A3', 'A4', 'B1', 'B4', 'C1', 'C2', 'C3', 'C4']
    >>> service.booking(service.confirm(ada)).seats
    ('B2', 'B3')
    >>> bob = service.hold("matinee", "bob", ["A1"])
    >>> now[0] = 60.0
    >>> try:
    ...     service.confirm(bob)
    ... except HoldExpiredError:
    ...     print("expired")
    expired
    >>> service.available("matinee")[:2]
    ['A1', 'A2']

Complexity:
- hold and confirm cost O(k) in the k seats named (release and cancel too), whatever the size of
  the hall and the number of holds: holding 2 seats in a hall of 26 rows of 1000 costs about what
  it costs in 26 rows of 10.
- Expired holds are cleaned lazily: no background thread, and never a scan of all holds (a heap
  of expiry times, or a check of a seat's own hold when that seat is touched). With 2,000 live
  holds, a hold and a confirm cost about what they cost with 100.
- available() is O(rows x seats_per_row) of its own show, whatever the other shows hold.

Hints:
1. Keep, per show, which seats are taken (booked or held). A hold checks all of its seats before
   it claims any, and the check and the claim happen under one lock: otherwise two threads can
   both see a seat free.
2. A hold needs a record (show, user, seats). To expire holds without scanning, push (deadline,
   hold id) on a heap when a hold is made; at the start of every call pop the entries whose
   deadline has come and free their holds' seats, skipping holds already confirmed or released.
3. Keep expired hold ids in a set of their own, so confirm can tell "expired" from "unknown". For
   the limit, count seats per (show, user) wherever seats are held or freed; for best_available,
   visit the rows sorted by (distance from the middle, row) and slide a window along each row.

Change request:
Seat categories with prices in integer cents; what a booking costs is fixed when its hold is made.
- add_show(show_id, rows, seats_per_row, categories=None): categories is a dict mapping a category
  name (a non-empty str) to the letters of its rows as one upper-case str: {"front": "AB",
  "middle": "CDE"}. Every row of the show belongs to exactly one category: a row in none or in
  two, or a letter that is not a row of the show, raises ValueError naming that letter; anything
  but a dict of str to str raises TypeError. None means one category, "standard", for every row.
- set_price(show_id, category, cents) -> None: cents is an int >= 0 (TypeError otherwise, bool
  included; ValueError when negative; there is no upper bound: 10**400 is a price). A category
  whose price was never set costs 0. ShowNotFoundError for an unknown show, ValueError naming a
  category the show does not have.
- hold_total(hold_id) -> int: the total of a live hold in cents: the sum of its seats' category
  prices at the moment hold() made it. It raises HoldExpiredError and HoldNotFoundError as
  confirm does.
- Booking gets a last field, total_cents: int, the total of the hold it was confirmed from.
  A price set after a hold was made changes neither its hold_total nor its booking's total_cents;
  a later hold of the same seats pays the new price.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


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


class BookingService:
    """Shows of lettered rows of numbered seats, holds that expire, and bookings."""

    def __init__(self, *, hold_seconds: float = 300, clock: Callable[[], float] = time.monotonic,
                 max_seats_per_user: int | None = None) -> None:
        """A service with no shows. A hold is live for `hold_seconds` (an int or float > 0; inf
        or a huge int: forever) as measured by `clock`. max_seats_per_user: None or an int >= 1.

        TypeError for a wrong type (bool included) or a clock that is not callable; ValueError
        for hold_seconds <= 0 or NaN, or max_seats_per_user < 1.
        """
        raise NotImplementedError

    def add_show(self, show_id: str, rows: int, seats_per_row: int) -> None:
        """Create a show of `rows` rows (1-26, A-Z) of `seats_per_row` seats (1-1000), all free.

        TypeError / ValueError for a bad argument; ShowExistsError if show_id is taken.
        """
        raise NotImplementedError

    def available(self, show_id: str) -> list[str]:
        """The free seats of the show by row, then number ("A2" before "A10"), as a new list.

        ShowNotFoundError for an unknown show.
        """
        raise NotImplementedError

    def hold(self, show_id: str, user_id: str, seats: Sequence[str]) -> str:
        """Hold all of `seats` (a list or tuple of seat names, either case) or none; a new hold id.

        Checks in order: the show (ShowNotFoundError); the seat list (TypeError for a non-list or
        a non-str name, ValueError for an empty list, a seat that does not exist or one named
        twice); availability (SeatUnavailableError naming every seat booked or under a live hold,
        the user's own included); the per-user limit (LimitExceededError).
        """
        raise NotImplementedError

    def confirm(self, hold_id: str) -> str:
        """Book the seats of a live hold; the new booking id.

        HoldExpiredError for a hold that expired (every time); HoldNotFoundError for an unknown,
        confirmed or released one.
        """
        raise NotImplementedError

    def release(self, hold_id: str) -> None:
        """Give up a live hold, freeing its seats; raises as confirm does."""
        raise NotImplementedError

    def cancel(self, booking_id: str) -> None:
        """Cancel a booking, freeing its seats; BookingNotFoundError if unknown or cancelled."""
        raise NotImplementedError

    def booking(self, booking_id: str) -> Booking:
        """The booking with this id; BookingNotFoundError if unknown or cancelled."""
        raise NotImplementedError

    def best_available(self, show_id: str, n: int) -> list[str] | None:
        """n adjacent free seats in one row, left to right, chosen as the card says; None if no
        row has them. Holds nothing. TypeError / ValueError unless n is an int >= 1."""
        raise NotImplementedError
