"""Vending machine: integer cents, bounded-coin change in the fewest coins: the model answer."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_MAX_DENOMINATION = 1_000_000  # cents; the change-making table is as long as the change


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


def _whole(value: object, what: str, low: int, high: int | None = None) -> int:
    """`value` if it is an int in low..high: TypeError for a non-int (bool included), else
    ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < low or (high is not None and value > high):
        expected = f">= {low}" if high is None else f"from {low} to {high}"
        raise ValueError(f"{what} must be {expected}, got {value!r}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError(f"{what} must not be empty")
    return value


def _denominations(values: object) -> frozenset[int]:
    if not isinstance(values, Iterable):
        raise TypeError(f"denominations must be a collection of ints, got {values!r}")
    found: set[int] = set()
    for value in values:
        if _whole(value, "a denomination", 1, _MAX_DENOMINATION) in found:
            raise ValueError(f"denomination {value!r} is given twice")
        found.add(value)
    if not found:
        raise ValueError("denominations must not be empty")
    return frozenset(found)


def _with_value(fewest: list[int], value: int, limit: int) -> list[int]:
    """`fewest` (fewest coins for each amount) once up to `limit` coins of `value` may be added.

    Amounts a, a + value, a + 2 * value ... form a chain: the j-th one costs the minimum over the
    last limit + 1 entries i of fewest[i] + (j - i). A deque of (i, fewest[i] - i), increasing,
    gives that sliding-window minimum in O(1) amortised, so each value costs O(amount)."""
    unreachable = len(fewest)  # more coins than any amount of whole cents needs
    result = [unreachable] * len(fewest)
    for start in range(value):
        window: deque[tuple[int, int]] = deque()
        for j, amount in enumerate(range(start, len(fewest), value)):
            score = fewest[amount] - j
            while window and window[-1][1] >= score:
                window.pop()
            window.append((j, score))
            if window[0][0] < j - limit:
                window.popleft()
            result[amount] = min(window[0][1] + j, unreachable)
    return result


def _fewest_coins(amount: int, available: Mapping[int, int]) -> dict[int, int] | None:
    """`amount` in the fewest coins of `available` (value -> count), ties going to the most of the
    largest value, then of the next; None when it cannot be paid exactly."""
    values = sorted(value for value, count in available.items() if value <= amount and count)
    # tables[i][a]: the fewest coins that pay a with the i smallest values (amount + 1: none do).
    tables = [[0] + [amount + 1] * amount]
    for value in values:
        tables.append(_with_value(tables[-1], value, available[value]))
    if tables[-1][amount] > amount:
        return None
    change: dict[int, int] = {}
    for i in range(len(values), 0, -1):  # largest value first: take as many as an optimum allows
        value, fewer = values[i - 1], tables[i - 1]
        coins = tables[i][amount]
        count = min(available[value], amount // value)
        while fewer[amount - count * value] + count != coins:
            count -= 1
        if count:
            change[value] = count
        amount -= count * value
    return change


class VendingMachine:
    """The credit of the customer at the machine, its slots and its coins, behind one lock.

    The float is a Counter value -> count; the coins of the current transaction are kept apart
    until a sale (they join the float) or a cancel (they go back as they came)."""

    def __init__(self, denominations: Iterable[int] = (5, 10, 25, 100, 200), *,
                 coins: Mapping[int, int] | None = None,
                 tube_capacity: int | None = None) -> None:
        self._denominations = _denominations(denominations)
        self._capacity = None if tube_capacity is None else \
            _whole(tube_capacity, "tube_capacity", 1)
        start = self._coin_counts({} if coins is None else coins, "coins")
        self._lock = threading.Lock()
        self._float: Counter[int] = Counter()
        self._cash_box: Counter[int] = Counter()
        self._inserted: Counter[int] = Counter()
        self._credit = 0
        self._slots: dict[str, tuple[str, int, int]] = {}  # slot -> (name, price, count)
        self._sales: dict[str, tuple[int, int]] = {}  # slot -> (items sold, cents taken)
        self._fill(start)

    def _coin_counts(self, coins: object, what: str) -> Counter[int]:
        """A checked copy of a dict value -> count; TypeError / ValueError naming the culprit."""
        if not isinstance(coins, Mapping):
            raise TypeError(f"{what} must be a dict value -> count, got {coins!r}")
        counts: Counter[int] = Counter()
        for value, count in coins.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"a coin value in {what} must be an int, got {value!r}")
            if value not in self._denominations:
                raise ValueError(f"{what} holds {value!r}, which is not a denomination")
            counts[value] = _whole(count, f"the count of {value} in {what}", 0)
        return counts

    def _fill(self, coins: Counter[int]) -> None:
        """Make `coins` the float; with a tube capacity, the surplus of each value goes to the
        cash box."""
        if self._capacity is not None:
            for value, count in coins.items():
                if count > self._capacity:
                    self._cash_box[value] += count - self._capacity
                    coins[value] = self._capacity
        self._float = +coins  # drops zero counts

    def stock(self, slot: str, name: str, price: int, count: int) -> None:
        """Fill `slot` with `count` items of `name` at `price` cents, replacing what it held."""
        _text(slot, "slot")
        item = (_text(name, "name"), _whole(price, "price", 1), _whole(count, "count", 0))
        with self._lock:
            self._slots[slot] = item

    def insert(self, coin: int) -> int:
        """Add `coin` to the credit and return the credit. TypeError, InvalidCoinError."""
        if isinstance(coin, bool) or not isinstance(coin, int):
            raise TypeError(f"a coin must be an int, got {type(coin).__name__}: {coin!r}")
        if coin not in self._denominations:
            raise InvalidCoinError(f"{coin!r} is not a coin this machine takes: "
                                   f"{sorted(self._denominations)}")
        with self._lock:
            self._inserted[coin] += 1
            self._credit += coin
            return self._credit

    @property
    def credit(self) -> int:
        """The cents inserted since the last sale or cancel."""
        with self._lock:
            return self._credit

    def select(self, slot: str) -> Vend:
        """Sell one item of `slot` and pay the change in the fewest coins. TypeError,
        UnknownSlotError, SoldOutError, InsufficientCreditError, ExactChangeError, in that order."""
        if not isinstance(slot, str):
            raise TypeError(f"slot must be a str, got {type(slot).__name__}: {slot!r}")
        with self._lock:
            if slot not in self._slots:
                raise UnknownSlotError(f"no slot {slot!r}")
            name, price, count = self._slots[slot]
            if count == 0:
                raise SoldOutError(f"slot {slot!r} ({name}) is sold out")
            if self._credit < price:
                raise InsufficientCreditError(f"{name} costs {price} cents, the credit is "
                                              f"{self._credit}")
            due = self._credit - price
            available = self._float + self._inserted
            change = _fewest_coins(due, available)
            if change is None:
                raise ExactChangeError(f"cannot pay {due} cents of change exactly; insert the "
                                       f"exact amount or cancel")
            self._fill(available - Counter(change))
            self._inserted.clear()
            self._credit = 0
            self._slots[slot] = (name, price, count - 1)
            sold, taken = self._sales.get(slot, (0, 0))
            self._sales[slot] = (sold + 1, taken + price)
            return Vend(name, price, change)

    def cancel(self) -> dict[int, int]:
        """Give back the coins inserted since the last sale or cancel; the credit becomes 0."""
        with self._lock:
            returned = dict(self._inserted)
            self._inserted.clear()
            self._credit = 0
            return returned

    def inventory(self) -> dict[str, tuple[str, int, int]]:
        """slot -> (name, price, count), as a new dict."""
        with self._lock:
            return dict(self._slots)

    def coins(self) -> dict[int, int]:
        """The float: value -> count of the coins that pay change, non-zero counts only."""
        with self._lock:
            return dict(self._float)

    def refill(self, coins: Mapping[int, int]) -> None:
        """Add `coins` (value -> count) to the float, all or nothing."""
        added = self._coin_counts(coins, "refill")
        with self._lock:
            self._fill(self._float + added)

    def sales(self) -> dict[str, tuple[int, int]]:
        """slot -> (items sold, cents taken) for every slot that has sold something."""
        with self._lock:
            return dict(self._sales)

    def cash_box(self) -> dict[int, int]:
        """The coins the tubes had no room for: value -> count, non-zero counts only."""
        with self._lock:
            return dict(self._cash_box)

    def collect(self) -> dict[int, int]:
        """Empty the cash box and return what it held."""
        with self._lock:
            taken = dict(self._cash_box)
            self._cash_box.clear()
            return taken
