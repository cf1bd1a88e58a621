"""Vending machine

Size: short

A snack machine takes coins, sells what is in its slots and pays change from the coins it holds.
Build its controller: the customer's credit, the slots, and the change-making, which must find
change whenever the coins in the machine can pay it exactly, not only when "largest coin first"
happens to work. Money is integer cents everywhere, never a float.

Core (the 60-minute part):
- VendingMachine(denominations=(5, 10, 25, 100, 200), *, coins=None): the coin values the machine
  takes, in cents (a non-empty collection of distinct ints, each from 1 to 1,000,000). `coins` is
  the float, the coins already in the machine to pay change from: a dict value -> count (None: no
  coins). The machine keeps its own copy.
- stock(slot, name, price, count) fills a slot: slot and name are non-empty strs, price an int
  >= 1, count an int >= 0. Stocking a slot again replaces its name and price and sets its count.
- insert(coin) adds an accepted coin to the credit and returns the new credit. `credit` (a
  property) is the credit now: the cents inserted since the last sale or cancel.
- select(slot) sells one item and returns a Vend(product, price, change): the slot's name, its
  price, and the change for credit - price as a dict value -> count (non-zero counts only; {} for
  no change). Checks, in this order: a slot never stocked raises UnknownSlotError; a count of 0
  SoldOutError (naming the slot); credit < price InsufficientCreditError (naming the price and the
  credit); change that cannot be paid exactly from the float plus the coins inserted since the last
  sale or cancel ExactChangeError (naming the change). After any error nothing has changed: the
  credit and the inserted coins stay. On success the inserted coins join the float, the change
  leaves it, the credit becomes 0 and the slot's count drops by one.
- Change is paid in the FEWEST coins possible with the coins actually there (each value's count is
  a limit): with denominations (10, 25) and coins {25: 5, 10: 5}, change of 30 is three 10s,
  although "largest coin first" takes a 25 and gets stuck. Among ways with equally few coins, the
  one with the most coins of the largest value wins, then the most of the next largest, and so on.
- cancel() returns exactly the coins inserted since the last sale or cancel, as a dict value ->
  count (non-zero counts; {} when none), and the credit becomes 0.
- inventory() returns a dict slot -> (name, price, count) tuple, sold-out slots included. coins()
  returns the float as a dict value -> count, non-zero counts only; inserted coins are not in it
  until a sale. Every dict the machine returns (Vend.change included) is a new one: editing it
  never changes the machine.
- Thread-safe: any method may be called from any thread; each call is atomic.

Extensions (the stretch part, tests marked extension):
- refill(coins) adds coins to the float: a dict value -> count, checked like the constructor's
  `coins`, applied all or nothing.
- sales() returns a dict slot -> (items sold, cents taken) tuple holding every slot that has sold
  at least one item since the machine was built. Stocking a slot again keeps its totals; a select
  that raises counts nothing.

Errors:
- VendingError is the base of the machine's own errors: InvalidCoinError, UnknownSlotError,
  SoldOutError, InsufficientCreditError and ExactChangeError.
- TypeError for an argument of the wrong type: a coin, denomination, price, count, or a key or
  count of `coins`, that is not an int (bool is not an int here); a slot or name that is not a
  str (select included); denominations that are not a collection; `coins` that is not a dict.
- ValueError for a bad value: no denominations, one given twice, or one outside 1..1,000,000; an
  empty slot or name; a price < 1; a count < 0; a `coins` key that is not a denomination or a
  count < 0.
- insert() of an int that is not a denomination raises InvalidCoinError; select() of a str that
  was never stocked raises UnknownSlotError.
- Every message names the offending value. A rejected call changes nothing.

Example:
    >>> machine = VendingMachine((10, 25), coins={25: 5, 10: 5})
    >>> machine.stock("A1", "crisps", 45, 2)
    >>> machine.insert(25), machine.insert(25), machine.insert(25)
    (25, 50, 75)
    >>> machine.select("A1")
    Vend(product='crisps', price=45, change={10: 3})
    >>> sorted(machine.coins().items()), machine.credit, machine.inventory()
    ([(10, 2), (25, 8)], 0, {'A1': ('crisps', 45, 1)})
    >>> machine.insert(10), machine.cancel()
    (10, {10: 1})

Complexity:
- select's change-making is a bounded-coin dynamic programme, about O(change x number of
  denominations), not a search through combinations, and not a loop over every count of a coin
  at every amount: paying 4,000 cents of change costs about ten times as much as paying 400
  (linear growth; a log factor is fine), never a hundred times. Everything else is O(1), or
  O(size) for what inventory(), coins() and cancel() return.

Hints:
1. Greedy fails once counts are limited. Work out the best way to pay every smaller amount
   first: a table fewest[a] = the fewest coins that pay a cents.
2. Add the denominations one at a time, smallest first, keeping one table per step: with c coins
   of value v, new[a] = min over k <= c of old[a - k*v] + k. Read the answer back from the largest
   value down, taking the most coins of it that still leave an optimal rest: that is the
   tie-break, for free.
3. To keep a step O(change) rather than O(change x c): the amounts a, a + v, a + 2v ... form a
   chain, and new[] along it is a sliding-window minimum of old[i] - i over the last c + 1 links (a
   deque). Splitting c into bundles of 1, 2, 4 ... coins is simpler and costs only a log factor.

Change request:
Coin tubes and a cash box. A real machine pays change from tubes of limited size.
VendingMachine(denominations=(5, 10, 25, 100, 200), *, coins=None, tube_capacity=None) takes
tube_capacity, the most coins of each value the float may hold: an int >= 1 (TypeError for a
non-int, bool included; ValueError below 1); None means no limit, as before. Whenever coins enter
the float (coins= at construction, refill(), a sale), each value keeps at most tube_capacity coins
and the surplus goes to the cash box. On a sale the change is found exactly as before, from the
float plus the coins inserted since the last sale or cancel; only then do the coins left over
fill the tubes. The cash box never pays change, and coins() still returns the float only.
cash_box() -> dict[int, int] returns the cash box's coins (value -> count, non-zero counts; {}
when empty); collect() -> dict[int, int] returns them too and empties the cash box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class VendingError(Exception):
    """Base class of the machine's own errors."""


class InvalidCoinError(VendingError):
    """A coin whose value is not one of the machine's denominations."""


class UnknownSlotError(VendingError):
    """A slot that was never stocked."""


class SoldOutError(VendingError):
    """A slot whose count is 0."""


class InsufficientCreditError(VendingError):
    """The credit is below the price."""


class ExactChangeError(VendingError):
    """The change cannot be paid exactly from the coins in the machine."""


@dataclass(frozen=True)
class Vend:
    """One sale: the product's name, the price paid and the change (value -> count)."""

    product: str
    price: int
    change: dict[int, int]


class VendingMachine:
    """One machine: the customer's credit, the slots, and the coins that pay change."""

    def __init__(self, denominations: Iterable[int] = (5, 10, 25, 100, 200), *,
                 coins: Mapping[int, int] | None = None) -> None:
        """A machine taking coins of `denominations` (cents), with `coins` (value -> count) as
        its float. TypeError / ValueError for bad arguments."""
        raise NotImplementedError

    def stock(self, slot: str, name: str, price: int, count: int) -> None:
        """Fill `slot` with `count` items of `name` at `price` cents, replacing what it held."""
        raise NotImplementedError

    def insert(self, coin: int) -> int:
        """Add `coin` to the credit and return the credit. TypeError for a non-int coin (bool
        included), InvalidCoinError for an int that is not a denomination."""
        raise NotImplementedError

    @property
    def credit(self) -> int:
        """The cents inserted since the last sale or cancel."""
        raise NotImplementedError

    def select(self, slot: str) -> Vend:
        """Sell one item of `slot` and pay the change in the fewest coins. Raises TypeError,
        UnknownSlotError, SoldOutError, InsufficientCreditError, ExactChangeError, checked in
        that order; a failed select changes nothing."""
        raise NotImplementedError

    def cancel(self) -> dict[int, int]:
        """Give back exactly the coins inserted since the last sale or cancel (value -> count);
        the credit becomes 0."""
        raise NotImplementedError

    def inventory(self) -> dict[str, tuple[str, int, int]]:
        """slot -> (name, price, count) for every stocked slot, as a new dict."""
        raise NotImplementedError

    def coins(self) -> dict[int, int]:
        """The float: value -> count of the coins that pay change, non-zero counts only."""
        raise NotImplementedError

    def refill(self, coins: Mapping[int, int]) -> None:
        """Extension: add `coins` (value -> count) to the float, all or nothing."""
        raise NotImplementedError

    def sales(self) -> dict[str, tuple[int, int]]:
        """Extension: slot -> (items sold, cents taken) for every slot that has sold something."""
        raise NotImplementedError
