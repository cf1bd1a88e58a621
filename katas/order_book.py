"""Order book

Size: full

A stock exchange runs one matching engine per listed symbol. Traders send buy and sell orders; the
engine matches each new order at once against the orders waiting in its book, and keeps what
cannot trade yet in the book for later orders. Build the matching engine for one symbol.

Core (the 60-minute part):
- OrderBook(symbol, *, on_trade=None): symbol is a non-empty str, kept as book.symbol. Prices are
  int ticks > 0, quantities ints > 0 (money is never a float here).
- submit(side, quantity, price=None, *, tif="GTC") -> OrderResult places an order: side is "buy"
  or "sell"; a price makes it a limit order, price=None a market order.
- Matching: an incoming buy trades with resting sells priced at or below its limit (at any price
  for a market order): the lowest price first and, at one price, the earliest order first
  (price-time priority). A sell mirrors it: resting buys at or above its limit, highest first.
  Each fill is one Trade at the RESTING order's price, for as much as both orders still have;
  matching goes on until the incoming order is filled or nothing left crosses.
- After matching, a limit order's remainder rests in the book, at the back of its price level; a
  market order's remainder is cancelled: a market order never rests.
- OrderResult: order_id, trades (this submit's Trades, in fill order), remaining (the quantity now
  resting: 0 when filled or cancelled) and status: "filled" (nothing left), "resting" (rests with
  nothing filled), "partially_filled" (rests after some fills) or "cancelled" (its remainder was
  dropped instead of resting, as a market order's is, with or without fills before it).
- Order ids are ints from 1, consecutive over accepted submits, whatever became of the order (a
  market order that found nothing uses one too); a submit that raises uses none.
- Trade: seq (consecutive from 1 per book), buy_order_id, sell_order_id, price, quantity.
- cancel(order_id) -> True if the order was resting: its remainder leaves the book, what it had
  filled stays filled. False if the id was never issued or the order is filled, already
  cancelled, or never rested (a market order).
- best_bid() / best_ask(): the highest resting buy price / the lowest resting sell price, or None.
- depth(side, levels=5) -> [(price, total resting quantity at that price), ...] for one side of
  the book, best price first, at most `levels` pairs (all there are, if fewer; [] for an empty
  side).
- order(order_id) -> OrderState, or None for an id never issued. OrderState: order_id, side, price
  (None for a market order), quantity (the order's size), filled (traded so far), remaining (the
  quantity now resting: 0 once filled or cancelled) and status ("resting", "partially_filled",
  "filled" or "cancelled": OrderResult's meanings, as the order stands now). It knows every
  accepted order, market orders included.
- trades() -> every trade of the book so far, in seq order.
- trades() and OrderResult.trades are new lists: changing one never changes the book.
- Thread-safe: any method may be called from any thread; each call is atomic.

Extensions (the stretch part, tests marked extension):
- tif, the time in force: "GTC" (good till cancelled: the default, as above), "IOC" (immediate or
  cancel: fill what crosses now and never rest; status "cancelled" if anything was left over) or
  "FOK" (fill or kill: fill the whole quantity now, or nothing at all: status "cancelled", no
  trades, the book unchanged). A market order takes any tif; for it GTC means the same as IOC. A
  cancelled IOC or FOK order uses an order id like any other.
- modify(order_id, quantity) -> bool sets a resting order's total quantity (what it has filled
  included: quantity - filled is left resting) and returns True. It returns False if the order is
  not resting (checked before the quantity's value), and raises ValueError if quantity <= filled.
  Lowering the quantity, or leaving it as it is, keeps the order's place in its price level;
  raising it moves the order to the back of its level, behind every order resting there.
- on_trade(trade), when given, is called with each Trade of a submit, in fill order, after the
  whole submit has been applied (the book already shows its result) and before submit returns:
  in the submitting thread, while no lock is held (it may call the book). An exception from it is
  logged with the logging module at ERROR level and ignored: the later trades are still reported
  and submit returns its result.

Errors:
- side and tif: TypeError if not a str; ValueError for any str but exactly "buy" / "sell" and
  "GTC" / "IOC" / "FOK" (case-sensitive: "BUY" and "gtc" are ValueErrors).
- quantity, price, levels, order_id, modify's quantity: TypeError if not an int (bool is not an
  int here, and neither is a float such as 100.0); ValueError for a quantity, price or levels
  below 1. Ints of any size work. Any int is an acceptable order_id: one never issued is unknown.
- symbol: TypeError if not a str, ValueError if empty. on_trade: TypeError if neither callable
  nor None.
- Every message names the offending value. Arguments are checked before anything happens, so a
  rejected call changes nothing (and a submit that raises uses no order id); modify checks its
  argument types first, then whether the order rests, then the quantity's value.
- OrderBookError is the base class of the book's own errors. No call here raises one: cancel and
  modify answer False for an order that is not resting.

Example:
    >>> book = OrderBook("ACME")
    >>> book.submit("sell", 5, 101)
    OrderResult(order_id=1, trades=[], remaining=5, status='resting')
    >>> book.submit("sell", 5, 100).status
    'resting'
    >>> result = book.submit("buy", 7, 101)
    >>> [(trade.sell_order_id, trade.price, trade.quantity) for trade in result.trades]
    [(2, 100, 5), (1, 101, 2)]
    >>> result.status, book.best_ask(), book.depth("sell")
    ('filled', 101, [(101, 3)])
    >>> book.cancel(1), book.cancel(1), book.best_ask()
    (True, False, None)

Complexity:
- For P price levels with resting orders: submit O(log P + fills), cancel and modify O(1) or
  O(log P) (lazy deletion is fine), best_bid and best_ask O(1) amortised. With 100,000 resting
  orders, a submit that trades once, a submit that rests and a cancel are each about as fast as
  with 100.

Hints:
1. A side of the book is a set of price levels, and a level is a queue of orders in arrival
   order. List what must be fast: the best price, the front of a level, an order by its id.
2. A dict of price -> level finds a level; a heap of prices finds the best one (store -price for
   the bids). When a level empties, leave its price in the heap and skip it once it surfaces at
   the top (lazy deletion).
3. An OrderedDict of order_id -> order per level gives the front order, removal by id and
   move_to_end, all in O(1). Collect a submit's trades under the lock, call on_trade after it.

Change request:
Iceberg orders. submit takes one more keyword: submit(side, quantity, price=None, *, tif="GTC",
display=None). display is an int >= 1 (TypeError if not an int, bool included; ValueError below
1, and ValueError with a market, IOC or FOK order: only a limit GTC order may be an iceberg). An
iceberg matches on arrival like any order; its remainder rests showing at most `display`: the
visible part is min(display, remainder), the rest is hidden. Incoming orders trade with the
visible part only, and depth() counts only visible parts. When a fill takes the visible part to
0 and hidden quantity is left, it is refilled at once with min(display, hidden) and the order
moves to the back of its price level (it loses its time priority); the same incoming order may
go on to trade with it there. Each fill is its own Trade: an incoming buy of 10 against a lone
iceberg selling 10 with display 4 trades 4, then 4, then 2. Hidden quantity counts as available
for FOK. remaining (in OrderResult and OrderState) is visible plus hidden; cancel removes both.
modify keeps its rules; a change of quantity goes to the hidden part first: a raise adds to
the hidden part, and a cut shrinks the visible part only once the hidden part is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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


class OrderBook:
    """A limit order book for one symbol: orders match by price, then time, at the resting price."""

    def __init__(self, symbol: str, *,
                 on_trade: Callable[[Trade], object] | None = None) -> None:
        """An empty book for `symbol` (a non-empty str, kept as .symbol).

        on_trade(trade), when given, hears every trade after the submit that made it.
        TypeError / ValueError for a bad symbol, TypeError for an on_trade not callable.
        """
        raise NotImplementedError

    def submit(self, side: str, quantity: int, price: int | None = None, *,
               tif: str = "GTC") -> OrderResult:
        """Match a new order against the book and return what happened to it.

        side: "buy" or "sell". quantity: int >= 1. price: int >= 1 (a limit order) or None (a
        market order). tif: "GTC" (a limit remainder rests), "IOC" (the remainder is cancelled)
        or "FOK" (all or nothing). A market order's remainder never rests.
        TypeError for a wrong type (bool included), ValueError for a bad value.
        """
        raise NotImplementedError

    def cancel(self, order_id: int) -> bool:
        """Take a resting order's remainder out of the book; False if it is not resting.

        TypeError if order_id is not an int.
        """
        raise NotImplementedError

    def modify(self, order_id: int, quantity: int) -> bool:
        """Set a resting order's total quantity (filled part included) and return True.

        False if the order is not resting; ValueError if quantity <= its filled quantity.
        Lowering or keeping the quantity keeps the order's time priority, raising it moves the
        order to the back of its price level. TypeError for a non-int argument (checked first).
        """
        raise NotImplementedError

    def best_bid(self) -> int | None:
        """The highest resting buy price, or None."""
        raise NotImplementedError

    def best_ask(self) -> int | None:
        """The lowest resting sell price, or None."""
        raise NotImplementedError

    def depth(self, side: str, levels: int = 5) -> list[tuple[int, int]]:
        """(price, total resting quantity) per price of one side, best first, at most `levels`.

        side as for submit; levels: an int >= 1 (TypeError / ValueError).
        """
        raise NotImplementedError

    def order(self, order_id: int) -> OrderState | None:
        """The order's current state (any accepted order), or None for an id never issued.

        TypeError if order_id is not an int.
        """
        raise NotImplementedError

    def trades(self) -> list[Trade]:
        """Every trade of the book so far, in seq order, as a new list."""
        raise NotImplementedError
