"""Order book: one symbol's matching engine, price-time priority, limit and market orders."""

from __future__ import annotations

import heapq
import itertools
import logging
import reprlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_log = logging.getLogger(__name__)

_OPPOSITE = {"buy": "sell", "sell": "buy"}
_TIFS = ("GTC", "IOC", "FOK")


class OrderBookError(Exception):
    """Base class of the order book's own errors."""


@dataclass(frozen=True)
class Trade:
    """One fill: `quantity` changed hands at `price`, the resting order's price."""

    seq: int
    buy_order_id: int
    sell_order_id: int
    price: int
    quantity: int


@dataclass(frozen=True)
class OrderResult:
    """What a submit did: the new order's id, its trades in fill order, what rests, its status."""

    order_id: int
    trades: list[Trade]
    remaining: int
    status: str


@dataclass(frozen=True)
class OrderState:
    """An order as it stands now."""

    order_id: int
    side: str
    price: int | None
    quantity: int
    filled: int
    remaining: int
    status: str


def _show(value: object) -> str:
    try:
        return reprlib.repr(value)
    except ValueError:  # str() refuses an int of more than 4300 digits
        return f"<{type(value).__name__} too long to show>"


def _check_int(name: str, value: object, least: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {_show(value)}")
    if least is not None and value < least:
        raise ValueError(f"{name} must be at least {least}, got {_show(value)}")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}: {_show(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {_show(value)}")


class _Order:
    """An order's live state; `visible` is what it shows while resting (an iceberg: <= display)."""

    __slots__ = ("order_id", "side", "price", "quantity", "display", "filled", "visible",
                 "cancelled")

    def __init__(self, order_id: int, side: str, quantity: int, price: int | None,
                 display: int | None) -> None:
        self.order_id, self.side, self.price = order_id, side, price
        self.quantity, self.display = quantity, display
        self.filled, self.visible, self.cancelled = 0, 0, False

    @property
    def unfilled(self) -> int:
        return self.quantity - self.filled

    @property
    def resting(self) -> bool:
        return not self.cancelled and self.unfilled > 0

    def refill(self) -> None:
        """Show all that is left, or an iceberg's next `display` of it."""
        self.visible = self.unfilled if self.display is None else \
            min(self.display, self.unfilled)

    def state(self) -> OrderState:
        status = "cancelled" if self.cancelled else "filled" if not self.unfilled else \
            "partially_filled" if self.filled else "resting"
        return OrderState(self.order_id, self.side, self.price, self.quantity, self.filled,
                          self.unfilled if self.resting else 0, status)


class _Level:
    """The orders resting at one price, earliest first, with their total quantities."""

    __slots__ = ("orders", "quantity", "visible")

    def __init__(self) -> None:
        self.orders: OrderedDict[int, _Order] = OrderedDict()
        self.quantity = 0  # hidden quantity included: what an incoming order could fill
        self.visible = 0  # what depth() shows


class _Side:
    """One side's resting orders: a level per price and a heap of price keys, best first.

    A key is the price for sells and -price for buys, so the heap's top is the best price either
    way. Emptied levels leave their key behind (lazy deletion); it is skipped when it surfaces.
    """

    def __init__(self, sign: int) -> None:
        self.sign = sign
        self.levels: dict[int, _Level] = {}
        self.heap: list[int] = []
        self.in_heap: set[int] = set()  # prices with a key in the heap: never pushed twice

    def best(self) -> int | None:
        while self.heap and self.sign * self.heap[0] not in self.levels:
            self.in_heap.discard(self.sign * heapq.heappop(self.heap))
        return self.sign * self.heap[0] if self.heap else None

    def crosses(self, price: int, limit: int | None) -> bool:
        """Whether an incoming order with this limit (None: market) trades at `price`."""
        return limit is None or self.sign * price <= self.sign * limit

    def prices(self) -> Iterator[int]:
        """Prices with resting orders, best first: O(k log k) for the first k, heap untouched."""
        frontier = [(self.heap[0], 0)] if self.heap else []
        while frontier:
            key, at = heapq.heappop(frontier)
            if self.sign * key in self.levels:
                yield self.sign * key
            for child in (2 * at + 1, 2 * at + 2):
                if child < len(self.heap):
                    heapq.heappush(frontier, (self.heap[child], child))

    def add(self, order: _Order) -> None:
        level = self.levels.get(order.price)
        if level is None:
            level = self.levels[order.price] = _Level()
            if order.price not in self.in_heap:
                self._push(order.price)
        order.refill()
        level.orders[order.order_id] = order
        level.quantity += order.unfilled
        level.visible += order.visible

    def remove(self, order: _Order) -> None:
        level = self.levels[order.price]
        del level.orders[order.order_id]
        level.quantity -= order.unfilled
        level.visible -= order.visible
        if not level.orders:
            del self.levels[order.price]

    def fill(self, order: _Order, quantity: int) -> None:
        """Trade `quantity` of the visible part; refill an iceberg at the back of its level."""
        level = self.levels[order.price]
        order.filled += quantity
        order.visible -= quantity
        level.quantity -= quantity
        level.visible -= quantity
        if not order.unfilled:
            self.remove(order)
        elif not order.visible:  # an iceberg showed all it had: refill, losing its place
            order.refill()
            level.visible += order.visible
            level.orders.move_to_end(order.order_id)

    def resize(self, order: _Order, quantity: int) -> None:
        """Set a resting order's total quantity; only a raise costs its place in the level."""
        level = self.levels[order.price]
        level.quantity += quantity - order.quantity
        level.visible -= order.visible
        if quantity > order.quantity:
            level.orders.move_to_end(order.order_id)
        order.quantity = quantity
        # An iceberg's hidden part takes a change first: it shows no more than before.
        order.visible = order.unfilled if order.display is None else \
            min(order.visible, order.unfilled)
        level.visible += order.visible

    def _push(self, price: int) -> None:
        heapq.heappush(self.heap, self.sign * price)
        self.in_heap.add(price)
        # Stale keys of emptied levels: rebuild before they outnumber the live ones.
        if len(self.heap) > 2 * len(self.levels) + 16:
            self.heap = [self.sign * p for p in self.levels]
            heapq.heapify(self.heap)
            self.in_heap = set(self.levels)


class OrderBook:
    """A limit order book for one symbol: orders match by price, then time, at the resting price.

    Each side keeps a dict of price levels and a heap of their prices; a level is an OrderedDict
    of orders in arrival order. Every call holds one lock; on_trade runs after it is released.
    """

    def __init__(self, symbol: str, *,
                 on_trade: Callable[[Trade], object] | None = None) -> None:
        if not isinstance(symbol, str):
            raise TypeError(f"symbol must be a str, got {type(symbol).__name__}: {_show(symbol)}")
        if not symbol:
            raise ValueError(f"symbol must be a non-empty str, got {symbol!r}")
        if on_trade is not None and not callable(on_trade):
            raise TypeError(f"on_trade must be callable or None, got {_show(on_trade)}")
        self.symbol = symbol
        self._on_trade = on_trade
        self._sides = {"buy": _Side(-1), "sell": _Side(1)}
        self._orders: dict[int, _Order] = {}  # every accepted order, by id
        self._trades: list[Trade] = []
        self._lock = threading.Lock()

    def submit(self, side: str, quantity: int, price: int | None = None, *, tif: str = "GTC",
               display: int | None = None) -> OrderResult:
        """Match a new order; a limit GTC remainder rests (an iceberg shows `display` of it)."""
        _check_choice("side", side, tuple(_OPPOSITE))
        _check_int("quantity", quantity, 1)
        if price is not None:
            _check_int("price", price, 1)
        _check_choice("tif", tif, _TIFS)
        if display is not None:
            _check_int("display", display, 1)
            if price is None or tif != "GTC":
                raise ValueError(f"display={_show(display)} needs a limit GTC order, got "
                                 f"price={_show(price)}, tif={tif!r}")
        with self._lock:
            order = _Order(len(self._orders) + 1, side, quantity, price, display)
            self._orders[order.order_id] = order
            trades = [] if tif == "FOK" and not self._can_fill(order) else self._match(order)
            if order.unfilled and tif == "GTC" and price is not None:
                self._sides[side].add(order)
            else:
                order.cancelled = order.unfilled > 0
            state = order.state()
        result = OrderResult(order.order_id, trades, state.remaining, state.status)
        self._report(trades)
        return result

    def cancel(self, order_id: int) -> bool:
        """Take a resting order's remainder out of the book; False if it is not resting."""
        _check_int("order_id", order_id)
        with self._lock:
            order = self._orders.get(order_id)
            if order is None or not order.resting:
                return False
            self._sides[order.side].remove(order)
            order.cancelled = True
            return True

    def modify(self, order_id: int, quantity: int) -> bool:
        """Set a resting order's total quantity; False if it is not resting."""
        _check_int("order_id", order_id)
        _check_int("quantity", quantity)
        with self._lock:
            order = self._orders.get(order_id)
            if order is None or not order.resting:
                return False
            if quantity <= order.filled:
                raise ValueError(f"quantity must exceed the {order.filled} already filled, got "
                                 f"{_show(quantity)}")
            self._sides[order.side].resize(order, quantity)
            return True

    def best_bid(self) -> int | None:
        """The highest resting buy price, or None."""
        with self._lock:
            return self._sides["buy"].best()

    def best_ask(self) -> int | None:
        """The lowest resting sell price, or None."""
        with self._lock:
            return self._sides["sell"].best()

    def depth(self, side: str, levels: int = 5) -> list[tuple[int, int]]:
        """(price, total resting quantity) per price, best first, at most `levels` of them."""
        _check_choice("side", side, tuple(_OPPOSITE))
        _check_int("levels", levels, 1)
        with self._lock:
            book = self._sides[side]
            prices = itertools.islice(book.prices(), min(levels, len(book.levels)))
            return [(price, book.levels[price].visible) for price in prices]

    def order(self, order_id: int) -> OrderState | None:
        """The order's current state, or None for an id never issued."""
        _check_int("order_id", order_id)
        with self._lock:
            order = self._orders.get(order_id)
            return None if order is None else order.state()

    def trades(self) -> list[Trade]:
        """Every trade so far, in seq order, as a new list."""
        with self._lock:
            return list(self._trades)

    def _can_fill(self, order: _Order) -> bool:
        """Whether the opposite side holds enough crossing quantity to fill the whole order."""
        book = self._sides[_OPPOSITE[order.side]]
        crossing = itertools.takewhile(lambda p: book.crosses(p, order.price), book.prices())
        available = itertools.accumulate(book.levels[p].quantity for p in crossing)
        return any(total >= order.quantity for total in available)  # stops once it is enough

    def _match(self, order: _Order) -> list[Trade]:
        """Fill the incoming order from the best opposite prices, earliest order first."""
        book = self._sides[_OPPOSITE[order.side]]
        trades = []
        while order.unfilled:
            best = book.best()
            if best is None or not book.crosses(best, order.price):
                break
            resting = next(iter(book.levels[best].orders.values()))
            quantity = min(order.unfilled, resting.visible)
            buy, sell = (order, resting) if order.side == "buy" else (resting, order)
            trade = Trade(len(self._trades) + 1, buy.order_id, sell.order_id, best, quantity)
            self._trades.append(trade)
            trades.append(trade)
            order.filled += quantity
            book.fill(resting, quantity)
        return trades

    def _report(self, trades: list[Trade]) -> None:
        """Hand each trade to on_trade; a failing callback is logged and the rest still go."""
        for trade in trades if self._on_trade is not None else ():
            try:
                self._on_trade(trade)
            except Exception:
                _log.exception("on_trade failed on %r", trade)
