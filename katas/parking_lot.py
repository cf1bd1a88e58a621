"""Parking lot

Size: full

A multi-storey car park is replacing its barrier software. At the entrance a vehicle gets a spot
and a ticket; at the exit it hands the ticket back, the spot is free again, and the driver pays for
every hour started. Spots come in three sizes and the operator wants every vehicle in the smallest
spot that fits it, so that big spots stay free for big vehicles. Build the lot.

Core (the 60-minute part):
- Sizes "small", "medium", "large". Kinds: "motorcycle" fits small, medium or large; "car" fits
  medium or large; "van" fits large only. Sizes and kinds are these exact lower-case strings
  ("Car" is an unknown kind).
- ParkingLot(levels, *, rates, clock=time.time). levels is a non-empty list with one dict per
  level, level 0 first, mapping size -> number of spots (an int >= 0; a missing size means 0). A
  level may be empty, but the lot needs at least one spot. rates maps each of the three kinds to
  its price in cents per started hour (an int >= 0). clock() returns the time in seconds. Money
  is integer cents everywhere, never a float.
- Spot ids are f"{level}-{size}-{n}", n counted from 1 per level and size: a level 2 of
  {"small": 1, "large": 2} has "2-small-1", "2-large-1" and "2-large-2".
- park(plate, kind) -> Ticket gives the vehicle a spot: of the SMALLEST size that fits the kind
  and has a free spot anywhere in the lot; within that size the LOWEST level; within that level
  the LOWEST n. (A car takes a medium spot on level 3 before a large spot on level 0.) A spot
  freed by leave() is free again at once and chosen by the same rule.
- A plate is a str, stripped of surrounding whitespace and upper-cased before use: "ab 12 " and
  "AB 12" are the same plate; inner spaces are kept ("AB12" is another plate).
- Ticket: ticket_id (1, 2, 3, ... over successful parks; a rejected park uses no id), plate
  (normalised), kind, spot_id, entered_at (the clock's reading at park).
- leave(ticket_id) -> Receipt frees the spot; a ticket is used once. The Receipt repeats the
  ticket's id, plate, spot_id and entered_at, adds left_at (the clock's reading at leave) and the
  fee: rates[kind] * the number of hours started between entered_at and left_at, at least 1:
  0 s -> 1 h, 3600 s -> 1 h, 3600.5 s -> 2 h (a clock that went backwards bills 1 h).
- locate(plate) -> the Ticket of the vehicle with that plate inside, or None.
- free_spots() -> {"small": n, "medium": n, "large": n}: the free spots per size, all three keys.
- can_park(kind) -> whether park() would find a spot for that kind now.
- occupied() -> the Tickets of the vehicles inside, by ticket_id.
- Results are new objects: changing a returned list or dict never changes the lot.
- Thread-safe: any method from any thread. 8 threads parking and leaving at once never give one
  spot to two vehicles, never lose a spot and never hand out one ticket id twice.

Extensions (the stretch part, tests marked extension):
- set_rate(kind, cents) sets the rate for vehicles that ENTER afterwards; a vehicle inside pays the
  rate that was in force when it entered.
- Daily cap: ParkingLot(..., daily_cap=None), None or an int >= 0 in cents. With H started hours
  (at least 1, as above), D = H // 24 and R = H % 24: fee = D * min(24 * rate, cap) +
  min(R * rate, cap). No cap: fee = H * rate.
- level_summary() -> one dict per level, level 0 first, of its free spots per size, all three keys,
  as free_spots() gives for the whole lot: the board at each level's ramp.

Errors:
- TypeError for a wrong type: levels not a list, a level or rates not a dict, a size, kind or
  plate not a str, a count, rate, cents, daily_cap or ticket_id not an int (bool is not an int
  here), a clock that is not callable.
- ValueError for a bad value: an unknown size (in levels) or kind (in rates, or given to any
  method), a rate missing for a kind, a negative count, rate, cents or daily_cap, a plate that is
  empty after stripping, an empty levels list, a lot with no spot.
- ParkingError is the base class of the domain errors: AlreadyParkedError (a vehicle with that
  plate is inside), LotFullError (no free spot fits the kind), TicketNotFoundError (no vehicle
  inside holds that ticket id: never issued, or already used).
- park checks its arguments first, then AlreadyParkedError, then LotFullError: a plate that is
  inside gets AlreadyParkedError even when no spot is free for the kind it gives now.
- Every message names the offending value as given: the size, kind, count, rate, cents, ticket id,
  plate, levels or rates of a wrong type or value. A missing rate names its kind; an empty levels
  list or a lot with no spot names levels; an empty plate names plate. AlreadyParkedError names
  the plate (normalised), LotFullError the kind, TicketNotFoundError the ticket id.
- A rejected call changes nothing.

Example:
    >>> now = [0.0]
    >>> lot = ParkingLot([{"small": 1, "large": 1}, {"medium": 2}],
    ...                  rates={"motorcycle": 100, "car": 300, "van": 500}, clock=lambda: now[0])
    >>> ticket = lot.park("ab 12 ", "car")        # the smallest size that fits, on any level
    >>> ticket.ticket_id, ticket.plate, ticket.spot_id, ticket.entered_at
    (1, 'AB 12', '1-medium-1', 0.0)
    >>> lot.park("M 1", "motorcycle").spot_id
    '0-small-1'
    >>> lot.free_spots()
    {'small': 0, 'medium': 1, 'large': 1}
    >>> now[0] = 5400.0                           # an hour and a half: 2 started hours
    >>> lot.leave(lot.locate("AB 12").ticket_id).fee
    600
    >>> [ticket.plate for ticket in lot.occupied()], lot.can_park("car")
    (['M 1'], True)

Complexity:
- park and leave are O(log n) in the number of spots n, never a scan: with 100,000 spots they are
  about as fast as with 1,000, however full the lot is.

Hints:
1. For each size, the free spots form one ordered collection keyed by (level, n): park asks the
   sizes that fit, smallest first, for their lowest free spot, and leave puts a spot back.
2. A min-heap per size of (level, n) gives the lowest free spot and takes a freed one back in
   O(log n). Keep the free counts per size (and per level) as integers updated on every park and
   leave, so questions about them never scan.
3. Two dicts do the rest in O(1): ticket id -> (ticket, spot, rate at entry) and plate -> ticket
   id. A dict keeps insertion order, and ticket ids only grow: occupied() is its values in order.

Change request:
Electric-vehicle charging spots. A level's dict may hold the key "ev": a dict size -> count (an
int >= 0, at most that level's count of that size) of the level's spots that have a charger; they
are the FIRST spots of that size on the level: a level 0 of {"medium": 3, "ev": {"medium": 1}} has
the EV spot "0-medium-1" and the regular spots "0-medium-2" and "0-medium-3". park(plate, kind, *,
ev=False): a vehicle parked with ev=True takes an EV spot that fits when one is free, chosen by
the base rule among the EV spots (smallest size, lowest level, lowest n), even if a regular spot of
a smaller size is free; only when none is free does it take a regular spot by the base rule. A
vehicle parked with ev=False takes a regular spot by the base rule, and an EV spot (by the same
rule among them) only when no regular spot fits. Ticket gains the field charging: bool = False,
True exactly when an ev=True vehicle got an EV spot. ParkingLot(..., charge_rate=0): the price of
charging in cents per started hour (an int >= 0). A charging vehicle's fee is its parking fee plus
charge_rate * H, H its started hours as above (a daily cap limits the parking fee only).
free_spots(), level_summary() and can_park() count EV spots like any other. Errors: ev not a bool,
or "ev" not a dict: TypeError; an unknown size or a bad count in "ev" as in levels; more EV spots
of a size than the level has spots of it: ValueError naming that EV count; charge_rate as a rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


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


@dataclass(frozen=True)
class Receipt:
    """What leave() hands the driver; fee in integer cents."""

    ticket_id: int
    plate: str
    spot_id: str
    entered_at: float
    left_at: float
    fee: int


class ParkingLot:
    """Spots on levels, each vehicle in the smallest free spot that fits it, billed on leaving."""

    def __init__(self, levels: list[dict[str, int]], *, rates: dict[str, int],
                 clock: Callable[[], float] = time.time, daily_cap: int | None = None) -> None:
        """A lot with every spot free.

        levels: one dict size -> count per level, level 0 first; rates: kind -> cents per started
        hour, for all three kinds; clock: seconds; daily_cap: None or cents (the extension).
        TypeError / ValueError as the card says.
        """
        raise NotImplementedError

    def park(self, plate: str, kind: str) -> Ticket:
        """Give the vehicle the lowest free spot (level, then n) of the smallest size that fits it.

        AlreadyParkedError if the (normalised) plate is inside, else LotFullError if no free spot
        fits; TypeError / ValueError for a bad plate or kind.
        """
        raise NotImplementedError

    def leave(self, ticket_id: int) -> Receipt:
        """Free the ticket's spot and bill the stay: rate at entry * started hours (at least 1).

        TicketNotFoundError if no vehicle inside holds the ticket; TypeError for a non-int.
        """
        raise NotImplementedError

    def locate(self, plate: str) -> Ticket | None:
        """The ticket of the vehicle with this plate (normalised) inside, or None."""
        raise NotImplementedError

    def free_spots(self) -> dict[str, int]:
        """A new dict of free spots per size: small, medium and large, zero included."""
        raise NotImplementedError

    def can_park(self, kind: str) -> bool:
        """Whether a vehicle of this kind would find a spot now."""
        raise NotImplementedError

    def occupied(self) -> list[Ticket]:
        """A new list of the tickets of the vehicles inside, by ticket id."""
        raise NotImplementedError

    def set_rate(self, kind: str, cents: int) -> None:
        """The rate for vehicles of this kind that enter from now on (the extension)."""
        raise NotImplementedError

    def level_summary(self) -> list[dict[str, int]]:
        """Free spots per size on each level, level 0 first, all three sizes (the extension)."""
        raise NotImplementedError
