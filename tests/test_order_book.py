"""Grades an order book matching engine (katas/order_book.py): run with --impl to grade your copy."""

from __future__ import annotations

import itertools
import logging
import random
import threading
from dataclasses import dataclass

import pytest


@pytest.fixture
def book(impl):
    return impl.OrderBook("ACME")


def shown(args: tuple, kwargs: dict) -> str:
    """How a submit call reads in a failure message: submit('buy', 5, 100, tif='IOC')."""
    return "submit(" + ", ".join([repr(a) for a in args] +
                                 [f"{k}={v!r}" for k, v in kwargs.items()]) + ")"


def fills(trades) -> list[tuple[int, int, int, int]]:
    """Trades as (buy_order_id, sell_order_id, price, quantity)."""
    return [(t.buy_order_id, t.sell_order_id, t.price, t.quantity) for t in trades]


def submitted(book, *args, **kwargs):
    """book.submit(...), failing with the call named if it raises."""
    __tracebackhide__ = True
    try:
        return book.submit(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
        pytest.fail(f"{shown(args, kwargs)} raised {type(exc).__name__}: {exc}")


def expect(book, *args, want: tuple, **kwargs):
    """submit(...) must return (order_id, fills, remaining, status) == want; returns the result."""
    __tracebackhide__ = True
    result = submitted(book, *args, **kwargs)
    got = (result.order_id, fills(result.trades), result.remaining, result.status)
    assert got == want, f"{shown(args, kwargs)} returned (order_id, fills, remaining, status) " \
                        f"{got!r}, expected {want!r}"
    return result


def expect_book(book, bids: list, asks: list) -> None:
    """depth() of both sides (up to 100 levels) and best_bid/best_ask must agree with these."""
    __tracebackhide__ = True
    got = (book.depth("buy", 100), book.depth("sell", 100))
    assert got == (bids, asks), f"depth('buy', 100), depth('sell', 100) returned {got!r}, " \
                                f"expected {(bids, asks)!r}"
    best = (book.best_bid(), book.best_ask())
    want = (bids[0][0] if bids else None, asks[0][0] if asks else None)
    assert best == want, f"best_bid(), best_ask() returned {best!r}, expected {want!r}"


def expect_state(book, order_id: int, want: tuple) -> None:
    """order(order_id) as (side, price, quantity, filled, remaining, status) must equal want."""
    __tracebackhide__ = True
    state = book.order(order_id)
    got = None if state is None else (state.side, state.price, state.quantity, state.filled,
                                      state.remaining, state.status)
    assert got == want, f"order({order_id}) is {got!r} as (side, price, quantity, filled, " \
                        f"remaining, status), expected {want!r}"


# --- a slow, obvious model for the randomized tests ---------------------------------------------


@dataclass
class ModelOrder:
    order_id: int
    side: str
    price: int | None
    quantity: int
    display: int | None
    time: int
    filled: int = 0
    visible: int = 0
    cancelled: bool = False

    @property
    def unfilled(self) -> int:
        return self.quantity - self.filled

    def refill(self) -> None:
        self.visible = self.unfilled if self.display is None else min(self.display, self.unfilled)

    def state(self) -> tuple:
        resting = not self.cancelled and self.unfilled > 0
        status = "cancelled" if self.cancelled else "filled" if not self.unfilled else \
            "partially_filled" if self.filled else "resting"
        return (self.side, self.price, self.quantity, self.filled,
                self.unfilled if resting else 0, status)


class ModelBook:
    """Every resting order in one list, searched and sorted on every step."""

    def __init__(self) -> None:
        self.orders: dict[int, ModelOrder] = {}
        self.resting: list[ModelOrder] = []
        self.trades: list[tuple[int, int, int, int]] = []
        self.clock = 0

    def tick(self) -> int:
        self.clock += 1
        return self.clock

    def crossing(self, order: ModelOrder) -> list[ModelOrder]:
        """The resting orders the incoming one may trade with, in matching order."""
        sign = 1 if order.side == "buy" else -1
        found = [r for r in self.resting if r.side != order.side and
                 (order.price is None or sign * r.price <= sign * order.price)]
        return sorted(found, key=lambda r: (sign * r.price, r.time))

    def submit(self, side, quantity, price=None, tif="GTC", display=None) -> tuple:
        order = ModelOrder(len(self.orders) + 1, side, price, quantity, display, self.tick())
        self.orders[order.order_id] = order
        made = []
        if tif != "FOK" or sum(r.unfilled for r in self.crossing(order)) >= quantity:
            while order.unfilled and (crossing := self.crossing(order)):
                resting = crossing[0]
                size = min(order.unfilled, resting.visible)
                ids = (order.order_id, resting.order_id)
                made.append((*(ids if side == "buy" else ids[::-1]), resting.price, size))
                order.filled += size
                resting.filled += size
                resting.visible -= size
                if not resting.visible:
                    if resting.unfilled:
                        resting.refill()
                        resting.time = self.tick()
                    else:
                        self.resting.remove(resting)
        if order.unfilled and tif == "GTC" and price is not None:
            order.refill()
            self.resting.append(order)
        else:
            order.cancelled = order.unfilled > 0
        self.trades += made
        state = order.state()
        return order.order_id, made, state[4], state[5]

    def cancel(self, order_id: int) -> bool:
        order = self.orders.get(order_id)
        if order is None or order not in self.resting:
            return False
        self.resting.remove(order)
        order.cancelled = True
        return True

    def modify(self, order_id: int, quantity: int) -> bool | str:
        order = self.orders.get(order_id)
        if order is None or order not in self.resting:
            return False
        if quantity <= order.filled:
            return "ValueError"
        if quantity > order.quantity:
            order.time = self.tick()
        order.quantity = quantity
        order.visible = order.unfilled if order.display is None else \
            min(order.visible, order.unfilled)
        return True

    def depth(self, side: str) -> list[tuple[int, int]]:
        totals: dict[int, int] = {}
        for order in self.resting:
            if order.side == side:
                totals[order.price] = totals.get(order.price, 0) + order.visible
        return sorted(totals.items(), reverse=side == "buy")


def random_session(impl, seed: int, steps: int, *, tif: bool = False, modify: bool = False,
                   icebergs: bool = False) -> None:
    """Random submits and cancels (and the extras asked for), each compared with the model."""
    rng = random.Random(seed)
    book, model = impl.OrderBook("ACME"), ModelBook()
    for step in range(steps):
        op = rng.random()
        if op < 0.6:
            kwargs = {"tif": rng.choice(["GTC", "GTC", "IOC", "FOK"])} if tif else {}
            price = None if rng.random() < 0.1 else rng.randint(96, 104)
            if icebergs and price is not None and kwargs.get("tif", "GTC") == "GTC" and \
                    rng.random() < 0.4:
                kwargs["display"] = rng.randint(1, 4)
            args = (rng.choice(["buy", "sell"]), rng.randint(1, 12), price)
            result = submitted(book, *args, **kwargs)
            got = (result.order_id, fills(result.trades), result.remaining, result.status)
            want = model.submit(*args, **kwargs)
            what = shown(args, kwargs)
        elif op < 0.8 or not modify:
            order_id = rng.randint(0, len(model.orders) + 1)
            got, want, what = book.cancel(order_id), model.cancel(order_id), f"cancel({order_id})"
        else:
            order_id, quantity = rng.randint(1, len(model.orders) + 1), rng.randint(0, 14)
            want, what = model.modify(order_id, quantity), f"modify({order_id}, {quantity})"
            try:
                got = book.modify(order_id, quantity)
            except ValueError:
                got = "ValueError"
        assert got == want, f"step {step} (seed {seed}): {what} returned {got!r}, expected {want!r}"
        for side in ("buy", "sell"):
            depth = book.depth(side, 100)
            assert depth == model.depth(side), f"step {step} (seed {seed}): after {what}, " \
                f"depth({side!r}, 100) is {depth!r}, expected {model.depth(side)!r}"
        if not model.orders:
            continue
        order_id = rng.randint(1, len(model.orders))
        state = book.order(order_id)
        got_state = state and (state.side, state.price, state.quantity, state.filled,
                               state.remaining, state.status)
        assert got_state == model.orders[order_id].state(), f"step {step} (seed {seed}): after " \
            f"{what}, order({order_id}) is {state!r}, expected {model.orders[order_id].state()!r}"
    trades = book.trades()
    assert fills(trades) == model.trades and [t.seq for t in trades] == \
        list(range(1, len(trades) + 1)), f"trades() after {steps} random steps (seed {seed}) " \
                                         f"differs from the model's {len(model.trades)} trades"


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_resting_orders_set_the_best_bid_and_ask_and_the_depth(book):
    expect(book, "buy", 5, 99, want=(1, [], 5, "resting"))
    expect(book, "buy", 3, 98, want=(2, [], 3, "resting"))
    expect(book, "sell", 4, 101, want=(3, [], 4, "resting"))
    expect(book, "buy", 2, 99, want=(4, [], 2, "resting"))
    expect_book(book, bids=[(99, 7), (98, 3)], asks=[(101, 4)])
    assert book.symbol == "ACME", f"OrderBook('ACME').symbol is {book.symbol!r}, expected 'ACME'"


@pytest.mark.core
def test_a_crossing_buy_trades_at_the_resting_orders_price(impl, book, call):
    expect(book, "sell", 5, 100, want=(1, [], 5, "resting"))
    expect(book, "buy", 3, 105, want=(2, [(2, 1, 100, 3)], 0, "filled"))
    expect_book(book, bids=[], asks=[(100, 2)])
    call.returns([impl.Trade(1, 2, 1, 100, 3)], book.trades)


@pytest.mark.core
def test_a_crossing_sell_trades_at_the_resting_orders_price(book):
    expect(book, "buy", 5, 100, want=(1, [], 5, "resting"))
    expect(book, "sell", 3, 95, want=(2, [(1, 2, 100, 3)], 0, "filled"))
    expect_book(book, bids=[(100, 2)], asks=[])


@pytest.mark.core
def test_a_buy_takes_the_lowest_ask_first_then_the_earliest_order_at_that_price(book):
    expect(book, "sell", 2, 102, want=(1, [], 2, "resting"))
    expect(book, "sell", 2, 101, want=(2, [], 2, "resting"))
    expect(book, "sell", 2, 101, want=(3, [], 2, "resting"))
    expect(book, "sell", 2, 103, want=(4, [], 2, "resting"))
    expect(book, "buy", 5, 102, want=(5, [(5, 2, 101, 2), (5, 3, 101, 2), (5, 1, 102, 1)], 0,
                                     "filled"))
    expect_book(book, bids=[], asks=[(102, 1), (103, 2)])


@pytest.mark.core
def test_a_sell_takes_the_highest_bid_first_then_the_earliest_order_at_that_price(book):
    expect(book, "buy", 2, 98, want=(1, [], 2, "resting"))
    expect(book, "buy", 2, 99, want=(2, [], 2, "resting"))
    expect(book, "buy", 2, 99, want=(3, [], 2, "resting"))
    expect(book, "buy", 2, 97, want=(4, [], 2, "resting"))
    expect(book, "sell", 5, 98, want=(5, [(2, 5, 99, 2), (3, 5, 99, 2), (1, 5, 98, 1)], 0,
                                      "filled"))
    expect_book(book, bids=[(98, 1), (97, 2)], asks=[])


@pytest.mark.core
def test_a_limit_remainder_rests_and_reports_partially_filled(book):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "sell", 3, 103, want=(2, [], 3, "resting"))
    expect(book, "buy", 10, 101, want=(3, [(3, 1, 100, 3)], 7, "partially_filled"))
    expect_book(book, bids=[(101, 7)], asks=[(103, 3)])
    expect_state(book, 3, ("buy", 101, 10, 3, 7, "partially_filled"))
    expect_state(book, 1, ("sell", 100, 3, 3, 0, "filled"))


@pytest.mark.core
def test_a_market_order_sweeps_every_price_and_its_remainder_never_rests(book):
    expect(book, "sell", 2, 100, want=(1, [], 2, "resting"))
    expect(book, "sell", 2, 150, want=(2, [], 2, "resting"))
    expect(book, "buy", 3, want=(3, [(3, 1, 100, 2), (3, 2, 150, 1)], 0, "filled"))
    expect(book, "buy", 4, None, want=(4, [(4, 2, 150, 1)], 0, "cancelled"))
    expect_book(book, bids=[], asks=[])
    expect_state(book, 4, ("buy", None, 4, 1, 0, "cancelled"))
    expect(book, "buy", 1, 90, want=(5, [], 1, "resting"))
    expect(book, "sell", 5, want=(6, [(5, 6, 90, 1)], 0, "cancelled"))
    expect_book(book, bids=[], asks=[])


@pytest.mark.core
def test_order_ids_and_trade_seqs_are_consecutive_from_1(book, call):
    expect(book, "buy", 1, want=(1, [], 0, "cancelled"))
    expect(book, "sell", 2, 100, want=(2, [], 2, "resting"))
    first = expect(book, "buy", 1, 100, want=(3, [(3, 2, 100, 1)], 0, "filled"))
    second = expect(book, "buy", 1, 100, want=(4, [(4, 2, 100, 1)], 0, "filled"))
    seqs = [t.seq for t in first.trades + second.trades]
    assert seqs == [1, 2], f"the trades of submits 3 and 4 have seqs {seqs!r}, expected [1, 2]"
    call.returns([1, 2], lambda: [t.seq for t in book.trades()])


@pytest.mark.core
def test_cancel_takes_a_resting_order_out_and_says_whether_it_was_resting(book, call):
    expect(book, "sell", 5, 100, want=(1, [], 5, "resting"))
    expect(book, "sell", 4, 100, want=(2, [], 4, "resting"))
    expect(book, "sell", 1, 101, want=(3, [], 1, "resting"))
    call.returns(True, book.cancel, 1)
    expect_book(book, bids=[], asks=[(100, 4), (101, 1)])
    call.returns(False, book.cancel, 1)
    call.returns(False, book.cancel, 99)
    expect(book, "buy", 6, 101, want=(4, [(4, 2, 100, 4), (4, 3, 101, 1)], 1, "partially_filled"))
    expect_state(book, 1, ("sell", 100, 5, 0, 0, "cancelled"))


@pytest.mark.core
def test_order_tells_the_state_of_every_accepted_order(book, call):
    expect(book, "buy", 5, 100, want=(1, [], 5, "resting"))
    expect_state(book, 1, ("buy", 100, 5, 0, 5, "resting"))
    expect(book, "sell", 2, 100, want=(2, [(1, 2, 100, 2)], 0, "filled"))
    expect_state(book, 1, ("buy", 100, 5, 2, 3, "partially_filled"))
    expect_state(book, 2, ("sell", 100, 2, 2, 0, "filled"))
    expect(book, "sell", 3, want=(3, [(1, 3, 100, 3)], 0, "filled"))
    expect_state(book, 1, ("buy", 100, 5, 5, 0, "filled"))
    expect_state(book, 3, ("sell", None, 3, 3, 0, "filled"))
    call.returns(None, book.order, 4)
    call.returns(None, book.order, 0)


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2])
def test_random_submits_and_cancels_agree_with_a_list_model(impl, seed):
    random_session(impl, seed, 2_000)


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_market_order_on_an_empty_side_is_cancelled_and_uses_an_id(book, call):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "sell", 3, want=(2, [], 0, "cancelled"))
    expect_state(book, 2, ("sell", None, 3, 0, 0, "cancelled"))
    expect(book, "buy", 1, 99, want=(3, [], 1, "resting"))
    call.returns(False, book.cancel, 2)
    call.returns([], book.trades)


@pytest.mark.edge
def test_an_order_exactly_at_the_best_opposite_price_trades(book):
    expect(book, "sell", 1, 100, want=(1, [], 1, "resting"))
    expect(book, "buy", 1, 100, want=(2, [(2, 1, 100, 1)], 0, "filled"))
    expect(book, "buy", 1, 100, want=(3, [], 1, "resting"))
    expect(book, "sell", 1, 101, want=(4, [], 1, "resting"))
    expect_book(book, bids=[(100, 1)], asks=[(101, 1)])


@pytest.mark.edge
def test_cancel_is_false_for_filled_cancelled_market_and_unknown_orders(book, call):
    expect(book, "sell", 2, 100, want=(1, [], 2, "resting"))
    expect(book, "buy", 2, 100, want=(2, [(2, 1, 100, 2)], 0, "filled"))
    expect(book, "buy", 1, want=(3, [], 0, "cancelled"))
    for order_id in (1, 2, 3, 4, 0, -1, 10**30):
        call.returns(False, book.cancel, order_id)
    expect_state(book, 1, ("sell", 100, 2, 2, 0, "filled"))


@pytest.mark.edge
def test_a_partly_filled_order_cancelled_keeps_what_it_filled(book, call):
    expect(book, "buy", 10, 100, want=(1, [], 10, "resting"))
    expect(book, "sell", 4, 100, want=(2, [(1, 2, 100, 4)], 0, "filled"))
    call.returns(True, book.cancel, 1)
    expect_state(book, 1, ("buy", 100, 10, 4, 0, "cancelled"))
    expect_book(book, bids=[], asks=[])


@pytest.mark.edge
def test_cancelling_one_order_keeps_the_time_priority_of_the_others(book, call):
    for _ in range(4):
        submitted(book, "sell", 1, 100)
    call.returns(True, book.cancel, 2)
    expect(book, "buy", 3, 100, want=(5, [(5, 1, 100, 1), (5, 3, 100, 1), (5, 4, 100, 1)], 0,
                                      "filled"))


@pytest.mark.edge
def test_the_best_price_moves_on_when_its_level_empties_and_comes_back(book, call):
    for price in (101, 102, 103):
        submitted(book, "sell", 1, price)
    for price in (99, 98):
        submitted(book, "buy", 1, price)
    call.returns(True, book.cancel, 1)
    call.returns(102, book.best_ask)
    call.returns(True, book.cancel, 4)
    call.returns(98, book.best_bid)
    expect(book, "buy", 1, 102, want=(6, [(6, 2, 102, 1)], 0, "filled"))
    call.returns(103, book.best_ask)
    expect(book, "sell", 2, 101, want=(7, [], 2, "resting"))
    expect(book, "buy", 1, 99, want=(8, [], 1, "resting"))
    expect_book(book, bids=[(99, 1), (98, 1)], asks=[(101, 2), (103, 1)])
    expect(book, "buy", 3, 103, want=(9, [(9, 7, 101, 2), (9, 3, 103, 1)], 0, "filled"))
    expect_book(book, bids=[(99, 1), (98, 1)], asks=[])


@pytest.mark.edge
def test_depth_returns_at_most_levels_pairs_best_first(book, call):
    for price in (100, 104, 102, 101, 103):
        submitted(book, "sell", price - 99, price)
        submitted(book, "buy", price - 99, price - 10)
    call.returns([(100, 1), (101, 2), (102, 3), (103, 4), (104, 5)], book.depth, "sell")
    call.returns([(94, 5), (93, 4), (92, 3), (91, 2), (90, 1)], book.depth, "buy")
    call.returns([(100, 1), (101, 2)], book.depth, "sell", 2)
    call.returns([(94, 5)], book.depth, "buy", levels=1)
    call.returns([(94, 5), (93, 4), (92, 3), (91, 2), (90, 1)], book.depth, "buy", 10**400)
    submitted(book, "sell", 1, 99)
    call.returns([(99, 1), (100, 1), (101, 2), (102, 3), (103, 4)], book.depth, "sell")


@pytest.mark.edge
def test_an_empty_book_has_no_best_prices_and_no_depth(book, call):
    call.returns(None, book.best_bid)
    call.returns(None, book.best_ask)
    call.returns([], book.depth, "buy")
    call.returns([], book.depth, "sell", 3)
    call.returns([], book.trades)


@pytest.mark.edge
def test_ints_of_any_size_work_as_prices_and_quantities(book, call):
    huge = 10**400
    expect(book, "sell", huge, huge, want=(1, [], huge, "resting"))
    expect(book, "sell", 1, huge + 1, want=(2, [], 1, "resting"))
    expect(book, "buy", huge + 1, huge + 1, want=(3, [(3, 1, huge, huge), (3, 2, huge + 1, 1)],
                                                 0, "filled"))
    expect(book, "buy", 5, 1, want=(4, [], 5, "resting"))
    call.returns([(1, 5)], book.depth, "buy")


@pytest.mark.edge
def test_returned_trade_lists_are_copies(book, call):
    submitted(book, "sell", 2, 100)
    result = submitted(book, "buy", 1, 100)
    book.trades().clear()
    result.trades.clear()
    call.returns([(2, 1, 100, 1)], lambda: fills(book.trades()))
    again = submitted(book, "buy", 1, 100)
    call.returns([(3, 1, 100, 1)], lambda: fills(again.trades))


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("symbol, error", [(7, TypeError), (None, TypeError), (b"ACME", TypeError),
                                           ("", ValueError)])
def test_a_bad_symbol_is_refused(impl, call, symbol, error):
    call.raises(error, impl.OrderBook, symbol, naming=repr(symbol) if symbol else "")


@pytest.mark.errors
def test_an_on_trade_that_is_not_callable_is_a_type_error(impl, call):
    call.raises(TypeError, impl.OrderBook, "ACME", on_trade="print", naming="print")


@pytest.mark.errors
@pytest.mark.parametrize("args, kwargs, error, naming", [
    (("BUY", 1, 100), {}, ValueError, "BUY"),
    (("bid", 1, 100), {}, ValueError, "bid"),
    ((1, 1, 100), {}, TypeError, "1"),
    (("buy", 0, 100), {}, ValueError, "0"),
    (("buy", -7, 100), {}, ValueError, "-7"),
    (("buy", True, 100), {}, TypeError, "True"),
    (("buy", 2.5, 100), {}, TypeError, "2.5"),
    (("buy", "3", 100), {}, TypeError, "3"),
    (("buy", 1, 0), {}, ValueError, "0"),
    (("buy", 1, -3), {}, ValueError, "-3"),
    (("buy", 1, 100.0), {}, TypeError, "100.0"),
    (("buy", 1, True), {}, TypeError, "True"),
    (("buy", 1, 100), {"tif": "gtc"}, ValueError, "gtc"),
    (("buy", 1, 100), {"tif": "DAY"}, ValueError, "DAY"),
    (("buy", 1, None), {"tif": None}, TypeError, "None"),
    (("sell", -10**400, 100), {}, ValueError, ()),
])
def test_a_bad_submit_is_refused_and_uses_no_order_id(book, call, args, kwargs, error, naming):
    submitted(book, "sell", 1, 100)
    call.raises(error, book.submit, *args, naming=naming, **kwargs)
    expect_book(book, bids=[], asks=[(100, 1)])
    expect(book, "buy", 1, 99, want=(2, [], 1, "resting"))


@pytest.mark.errors
@pytest.mark.parametrize("bad", [True, "1", 1.0, None])
def test_order_ids_must_be_ints(book, call, bad):
    submitted(book, "sell", 1, 100)
    call.raises(TypeError, book.cancel, bad, naming=repr(bad).strip("'"))
    call.raises(TypeError, book.order, bad, naming=repr(bad).strip("'"))
    expect_state(book, 1, ("sell", 100, 1, 0, 1, "resting"))


@pytest.mark.errors
@pytest.mark.parametrize("args, error, naming", [
    (("BUY",), ValueError, "BUY"),
    ((None,), TypeError, "None"),
    (("buy", 0), ValueError, "0"),
    (("buy", -2), ValueError, "-2"),
    (("buy", True), TypeError, "True"),
    (("buy", 2.0), TypeError, "2.0"),
])
def test_depth_refuses_a_bad_side_or_levels(book, call, args, error, naming):
    call.raises(error, book.depth, *args, naming=naming)


# --- extension ----------------------------------------------------------------------------------


@pytest.mark.extension
def test_ioc_fills_what_crosses_and_cancels_the_rest(book):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "sell", 3, 102, want=(2, [], 3, "resting"))
    expect(book, "buy", 5, 101, tif="IOC", want=(3, [(3, 1, 100, 3)], 0, "cancelled"))
    expect_state(book, 3, ("buy", 101, 5, 3, 0, "cancelled"))
    expect(book, "buy", 3, 102, tif="IOC", want=(4, [(4, 2, 102, 3)], 0, "filled"))
    expect(book, "sell", 2, 99, tif="IOC", want=(5, [], 0, "cancelled"))
    expect_book(book, bids=[], asks=[])


@pytest.mark.extension
def test_fok_fills_completely_across_levels_when_enough_crosses(book):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "sell", 3, 101, want=(2, [], 3, "resting"))
    expect(book, "buy", 5, 101, tif="FOK", want=(3, [(3, 1, 100, 3), (3, 2, 101, 2)], 0,
                                                 "filled"))
    expect_book(book, bids=[], asks=[(101, 1)])


@pytest.mark.extension
def test_fok_that_cannot_fill_completely_trades_nothing_and_changes_nothing(book, call):
    expect(book, "buy", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "buy", 3, 99, want=(2, [], 3, "resting"))
    expect(book, "sell", 7, 99, tif="FOK", want=(3, [], 0, "cancelled"))
    expect_state(book, 3, ("sell", 99, 7, 0, 0, "cancelled"))
    expect_book(book, bids=[(100, 3), (99, 3)], asks=[])
    call.returns([], book.trades)
    expect(book, "sell", 7, tif="FOK", want=(4, [], 0, "cancelled"))
    expect(book, "sell", 6, tif="FOK", want=(5, [(1, 5, 100, 3), (2, 5, 99, 3)], 0, "filled"))


@pytest.mark.extension
def test_fok_counts_only_the_quantity_within_its_limit(book):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "sell", 10, 105, want=(2, [], 10, "resting"))
    expect(book, "buy", 4, 104, tif="FOK", want=(3, [], 0, "cancelled"))
    expect_book(book, bids=[], asks=[(100, 3), (105, 10)])
    expect(book, "buy", 3, 104, tif="FOK", want=(4, [(4, 1, 100, 3)], 0, "filled"))


@pytest.mark.extension
def test_a_market_order_takes_any_tif(book):
    expect(book, "sell", 2, 100, want=(1, [], 2, "resting"))
    expect(book, "buy", 3, tif="IOC", want=(2, [(2, 1, 100, 2)], 0, "cancelled"))
    expect(book, "sell", 2, 100, want=(3, [], 2, "resting"))
    expect(book, "buy", 3, tif="FOK", want=(4, [], 0, "cancelled"))
    expect(book, "buy", 2, None, tif="FOK", want=(5, [(5, 3, 100, 2)], 0, "filled"))


@pytest.mark.extension
def test_modify_lowering_the_quantity_keeps_time_priority(book, call):
    submitted(book, "sell", 5, 100)
    submitted(book, "sell", 5, 100)
    call.returns(True, book.modify, 1, 3)
    expect_state(book, 1, ("sell", 100, 3, 0, 3, "resting"))
    expect_book(book, bids=[], asks=[(100, 8)])
    call.returns(True, book.modify, 2, 5)
    expect(book, "buy", 4, 100, want=(3, [(3, 1, 100, 3), (3, 2, 100, 1)], 0, "filled"))


@pytest.mark.extension
def test_modify_raising_the_quantity_moves_the_order_to_the_back_of_its_level(book, call):
    submitted(book, "buy", 2, 100)
    submitted(book, "buy", 2, 100)
    submitted(book, "buy", 2, 99)
    call.returns(True, book.modify, 1, 3)
    expect_book(book, bids=[(100, 5), (99, 2)], asks=[])
    expect(book, "sell", 4, 100, want=(4, [(2, 4, 100, 2), (1, 4, 100, 2)], 0, "filled"))
    expect_state(book, 1, ("buy", 100, 3, 2, 1, "partially_filled"))


@pytest.mark.extension
def test_modify_counts_the_filled_part_in_the_new_quantity(book, call):
    submitted(book, "sell", 10, 100)
    submitted(book, "buy", 4, 100)
    call.returns(True, book.modify, 1, 6)
    expect_state(book, 1, ("sell", 100, 6, 4, 2, "partially_filled"))
    expect_book(book, bids=[], asks=[(100, 2)])
    for quantity in (4, 3, 0, -1):
        call.raises(ValueError, book.modify, 1, quantity, naming=str(quantity))
    expect_state(book, 1, ("sell", 100, 6, 4, 2, "partially_filled"))
    expect_book(book, bids=[], asks=[(100, 2)])
    call.returns(True, book.modify, 1, 5)
    expect_state(book, 1, ("sell", 100, 5, 4, 1, "partially_filled"))


@pytest.mark.extension
def test_modify_of_an_order_that_is_not_resting_is_false_before_its_value_is_checked(book, call):
    submitted(book, "sell", 2, 100)
    submitted(book, "buy", 2, 100)
    submitted(book, "sell", 2, 101)
    call.returns(True, book.cancel, 3)
    submitted(book, "buy", 1)
    for order_id in (1, 2, 3, 4, 5, 0):
        call.returns(False, book.modify, order_id, 0)
        call.returns(False, book.modify, order_id, 10)
    expect_state(book, 3, ("sell", 101, 2, 0, 0, "cancelled"))
    expect_book(book, bids=[], asks=[])


@pytest.mark.extension
@pytest.mark.parametrize("order_id, quantity, naming", [(1, True, "True"), (1, 2.0, "2.0"),
                                                        ("1", 2, "1"), (7, "3", "3")])
def test_modify_checks_its_argument_types_first(book, call, order_id, quantity, naming):
    submitted(book, "sell", 5, 100)
    call.raises(TypeError, book.modify, order_id, quantity, naming=naming)
    expect_state(book, 1, ("sell", 100, 5, 0, 5, "resting"))


@pytest.mark.extension
def test_on_trade_hears_each_trade_in_fill_order_after_the_submit_is_applied(impl, call):
    heard = []

    def on_trade(trade):
        heard.append((fills([trade])[0], len(book.trades()), book.depth("sell"),
                      book.order(4).status))

    book = impl.OrderBook("ACME", on_trade=on_trade)
    for price in (100, 100, 101):
        submitted(book, "sell", 2, price)
    assert heard == [], f"on_trade was called {heard!r} for submits that made no trade"
    submitted(book, "buy", 5, 101)
    applied = (3, [(101, 1)], "filled")
    want = [((4, 1, 100, 2), *applied), ((4, 2, 100, 2), *applied), ((4, 3, 101, 1), *applied)]
    assert heard == want, f"on_trade heard (fill, len(trades()), depth('sell'), " \
                          f"order(4).status) = {heard!r}, expected {want!r}"


@pytest.mark.extension
def test_an_on_trade_that_raises_is_logged_and_ignored(impl, caplog):
    heard = []

    def on_trade(trade):
        heard.append(trade.seq)
        raise RuntimeError(f"feed down at seq {trade.seq}")

    book = impl.OrderBook("ACME", on_trade=on_trade)
    submitted(book, "sell", 1, 100)
    submitted(book, "sell", 1, 101)
    with caplog.at_level(logging.ERROR):
        result = submitted(book, "buy", 2, 101)
    assert heard == [1, 2], f"on_trade heard seqs {heard!r} when it raised, expected [1, 2]"
    assert result.status == "filled", \
        f"submit('buy', 2, 101) returned status {result.status!r}, expected 'filled'"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) >= 2, f"an on_trade raising twice left {len(errors)} log records at " \
                             f"ERROR level, expected one per exception"


@pytest.mark.extension
def test_on_trade_may_call_the_book(impl, run_threads):
    seen = []

    def on_trade(trade):
        if trade.quantity > 1:
            seen.append(book.submit("sell", 1, 200).order_id)
        seen.append(book.best_ask())

    book = impl.OrderBook("ACME", on_trade=on_trade)
    submitted(book, "sell", 3, 100)
    run_threads(1, lambda n: book.submit("buy", 2, 100), timeout=2)
    assert seen == [3, 100], f"on_trade calling the book saw {seen!r}, expected [3, 100]"


@pytest.mark.extension
@pytest.mark.parametrize("seed", [3, 4])
def test_random_sessions_with_ioc_fok_and_modify_agree_with_a_list_model(impl, seed):
    random_session(impl, seed, 2_000, tif=True, modify=True)


# --- concurrency --------------------------------------------------------------------------------


def trade_from_threads(book, run_threads, threads: int, submits: int) -> list:
    """Each thread submits random crossing orders and cancels some; (order_id, trade seqs) each."""
    def work(n: int) -> list:
        rng = random.Random(n)
        placed = []
        for i in range(submits):
            args = (rng.choice(["buy", "sell"]), rng.randint(1, 5), rng.randint(98, 102))
            try:
                result = book.submit(*args)
                placed.append((result.order_id, [t.seq for t in result.trades]))
                if i % 4 == 0:
                    book.cancel(result.order_id - rng.randint(0, 3))
            except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
                raise AssertionError(f"{shown(args, {})} (or the cancel after it) on one of "
                                     f"{threads} threads raised {type(exc).__name__}: {exc}") \
                    from exc
        return placed

    return [item for chunk in run_threads(threads, work, timeout=12) for item in chunk]


@pytest.mark.concurrency
@pytest.mark.timeout(15)
def test_threads_trading_at_once_keep_every_order_and_trade_consistent(
        impl, run_threads, frequent_thread_switches):
    for _ in range(5):  # an unlocked book goes wrong in most rounds; five make a miss rare
        book = impl.OrderBook("ACME")
        placed = trade_from_threads(book, run_threads, 8, 300)
        check_consistent(book, placed, 8 * 300)


def check_consistent(book, placed: list, submits: int) -> None:
    """Ids and seqs each used once; fills, depth and best prices agree with the trades."""
    __tracebackhide__ = True
    ids = sorted(order_id for order_id, _ in placed)
    assert ids == list(range(1, submits + 1)), \
        f"{submits} submits from threads got order ids {ids[:8]}..., expected 1..{submits}, " \
        f"each once"
    trades = book.trades()
    seqs = sorted(seq for _, chunk in placed for seq in chunk)
    assert [t.seq for t in trades] == seqs == list(range(1, len(trades) + 1)), \
        f"trades() holds seqs {[t.seq for t in trades][:8]}..., the submits returned " \
        f"{seqs[:8]}...: expected 1..{len(trades)}, each once"
    traded = {}
    for t in trades:
        for order_id in (t.buy_order_id, t.sell_order_id):
            traded[order_id] = traded.get(order_id, 0) + t.quantity
    resting = {"buy": 0, "sell": 0}
    for order_id in ids:
        state = book.order(order_id)
        assert state.filled == traded.get(order_id, 0) <= state.quantity, \
            f"order({order_id}) says filled={state.filled} of {state.quantity}, its trades add " \
            f"up to {traded.get(order_id, 0)}"
        resting[state.side] += state.remaining
    for side in ("buy", "sell"):
        total = sum(quantity for _, quantity in book.depth(side, 100))
        assert total == resting[side], \
            f"depth({side!r}) adds up to {total}, the resting {side} orders to {resting[side]}"
    bid, ask = book.best_bid(), book.best_ask()
    assert bid is None or ask is None or bid < ask, \
        f"after the threads, best_bid() {bid} >= best_ask() {ask}: a crossed book"


@pytest.mark.concurrency
def test_on_trade_runs_while_other_threads_can_use_the_book(impl):
    answers = []

    def on_trade(trade):
        reader = threading.Thread(target=lambda: answers.append(book.best_ask()), daemon=True)
        reader.start()
        reader.join(timeout=1)
        answers.append("joined" if not reader.is_alive() else "blocked")

    book = impl.OrderBook("ACME", on_trade=on_trade)
    submitted(book, "sell", 2, 100)
    submitted(book, "buy", 1, 100)
    assert answers == [100, "joined"], \
        f"during on_trade another thread's best_ask() gave {answers!r}, expected [100, " \
        f"'joined']: was the book still locked?"


# --- perf ---------------------------------------------------------------------------------------


def book_with_asks(impl, count: int):
    """`count` resting sells, each alone at its own price from 10,000 up."""
    book = impl.OrderBook("ACME")
    for i in range(count):
        book.submit("sell", 10**9, 10_000 + i)
    return book


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_a_submit_that_trades_once_costs_the_same_with_100_or_100000_resting_orders(impl, timed):
    small, large = book_with_asks(impl, 100), book_with_asks(impl, 100_000)

    def trade_once(book):
        return lambda: [book.submit("buy", 1, 10_000) for _ in range(200)]

    ratio = timed.ratio(trade_once(large), trade_once(small), at_most=3)
    assert ratio < 3, f"200 submits that each trade once took {ratio:.1f}x as long with " \
                      f"100,000 resting orders as with 100: expected about the same"


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_a_cancel_and_a_resting_submit_cost_the_same_with_100_or_100000_resting_orders(impl,
                                                                                        timed):
    small, large = book_with_asks(impl, 100), book_with_asks(impl, 100_000)

    def cancel_and_rest(book):
        new_prices = itertools.count(9_999, -1)  # each a new best ask
        ids = [price - 9_999 for price in range(10_040, 10_090)]  # each alone at its price

        def run() -> None:
            for slot, order_id in enumerate(ids):
                book.cancel(order_id)
                ids[slot] = book.submit("sell", 10**9, next(new_prices)).order_id
        return run

    ratio = timed.ratio(cancel_and_rest(large), cancel_and_rest(small), at_most=3)
    assert ratio < 3, f"50 cancels, each followed by a submit that rests at a new best price, took " \
                      f"{ratio:.1f}x as long with 100,000 resting orders as with 100: expected " \
                      f"about the same"


# --- change request: iceberg orders -------------------------------------------------------------


@pytest.mark.change
def test_change_an_iceberg_rests_showing_only_its_display(book):
    expect(book, "sell", 10, 100, display=4, want=(1, [], 10, "resting"))
    expect(book, "sell", 3, 100, want=(2, [], 3, "resting"))
    expect(book, "sell", 2, 101, display=5, want=(3, [], 2, "resting"))
    expect_book(book, bids=[], asks=[(100, 7), (101, 2)])
    expect_state(book, 1, ("sell", 100, 10, 0, 10, "resting"))


@pytest.mark.change
def test_change_a_refilled_iceberg_goes_to_the_back_of_its_price_level(book):
    expect(book, "sell", 10, 100, display=4, want=(1, [], 10, "resting"))
    expect(book, "sell", 3, 100, want=(2, [], 3, "resting"))
    expect(book, "buy", 6, 100, want=(3, [(3, 1, 100, 4), (3, 2, 100, 2)], 0, "filled"))
    expect_book(book, bids=[], asks=[(100, 5)])
    expect(book, "buy", 2, 100, want=(4, [(4, 2, 100, 1), (4, 1, 100, 1)], 0, "filled"))
    expect_state(book, 1, ("sell", 100, 10, 5, 5, "partially_filled"))


@pytest.mark.change
def test_change_each_refill_of_an_iceberg_is_its_own_trade(book):
    expect(book, "sell", 10, 100, display=4, want=(1, [], 10, "resting"))
    expect(book, "buy", 10, 100, want=(2, [(2, 1, 100, 4), (2, 1, 100, 4), (2, 1, 100, 2)], 0,
                                       "filled"))
    expect_book(book, bids=[], asks=[])
    expect_state(book, 1, ("sell", 100, 10, 10, 0, "filled"))


@pytest.mark.change
def test_change_hidden_quantity_counts_for_fok_and_market_orders(book):
    expect(book, "buy", 9, 100, display=2, want=(1, [], 9, "resting"))
    expect(book, "sell", 10, 100, tif="FOK", want=(2, [], 0, "cancelled"))
    expect(book, "sell", 5, 100, tif="FOK", want=(3, [(1, 3, 100, 2), (1, 3, 100, 2),
                                                      (1, 3, 100, 1)], 0, "filled"))
    expect_book(book, bids=[(100, 1)], asks=[])
    expect(book, "sell", 6, want=(4, [(1, 4, 100, 1), (1, 4, 100, 2), (1, 4, 100, 1)], 0,
                                  "cancelled"))


@pytest.mark.change
def test_change_an_incoming_iceberg_trades_in_full_then_rests_its_display(book):
    expect(book, "sell", 3, 100, want=(1, [], 3, "resting"))
    expect(book, "buy", 10, 100, display=4, want=(2, [(2, 1, 100, 3)], 7, "partially_filled"))
    expect_book(book, bids=[(100, 4)], asks=[])
    expect(book, "sell", 5, 100, want=(3, [(2, 3, 100, 4), (2, 3, 100, 1)], 0, "filled"))
    expect_book(book, bids=[(100, 2)], asks=[])
    expect_state(book, 2, ("buy", 100, 10, 8, 2, "partially_filled"))


@pytest.mark.change
def test_change_cancel_and_modify_of_an_iceberg_change_the_hidden_part_first(book, call):
    submitted(book, "sell", 10, 100, display=4)
    submitted(book, "sell", 1, 100)
    call.returns(True, book.modify, 1, 12)
    expect_book(book, bids=[], asks=[(100, 5)])
    expect(book, "buy", 1, 100, want=(3, [(3, 2, 100, 1)], 0, "filled"))
    call.returns(True, book.modify, 1, 6)
    expect_book(book, bids=[], asks=[(100, 4)])
    call.returns(True, book.modify, 1, 3)
    expect_book(book, bids=[], asks=[(100, 3)])
    expect_state(book, 1, ("sell", 100, 3, 0, 3, "resting"))
    submitted(book, "sell", 8, 101, display=2)
    call.returns(True, book.cancel, 4)
    expect_state(book, 4, ("sell", 101, 8, 0, 0, "cancelled"))
    expect(book, "buy", 5, 101, want=(5, [(5, 1, 100, 3)], 2, "partially_filled"))


@pytest.mark.change
@pytest.mark.parametrize("kwargs, error, naming", [
    ({"display": True}, TypeError, "True"),
    ({"display": 2.0}, TypeError, "2.0"),
    ({"display": "2"}, TypeError, "2"),
    ({"display": 0}, ValueError, "0"),
    ({"display": -4}, ValueError, "-4"),
    ({"display": 2, "tif": "IOC"}, ValueError, ()),  # display or tif: either is the culprit
    ({"display": 2, "tif": "FOK"}, ValueError, ()),
])
def test_change_a_bad_display_is_refused_and_uses_no_order_id(book, call, kwargs, error, naming):
    submitted(book, "buy", 1, 99)
    call.raises(error, book.submit, "sell", 5, 100, naming=naming, **kwargs)
    call.raises(ValueError, book.submit, "sell", 5, None, display=3)
    expect_book(book, bids=[(99, 1)], asks=[])
    expect(book, "sell", 5, 100, display=2, want=(2, [], 5, "resting"))


@pytest.mark.change
@pytest.mark.parametrize("seed", [5])
def test_change_random_sessions_with_icebergs_agree_with_a_list_model(impl, seed):
    random_session(impl, seed, 2_000, tif=True, modify=True, icebergs=True)
