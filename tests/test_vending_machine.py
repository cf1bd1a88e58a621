"""Grades a vending machine (katas/vending_machine.py): run with --impl to grade your copy."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter

import pytest

US = (5, 10, 25, 100, 200)


def expect(what: str, got: object, want: object) -> None:
    """`what` (a call, or what was read after one) must have given `want`."""
    __tracebackhide__ = True
    assert got == want, f"{what} gave {got!r}, expected {want!r}"


def pay(machine, *coins: int) -> None:
    """Insert `coins` one by one."""
    for coin in coins:
        machine.insert(coin)


def value_of(coins: dict[int, int]) -> int:
    return sum(value * count for value, count in coins.items())


def brute_change(amount: int, available: dict[int, int]) -> dict[int, int] | None:
    """Every way to pay `amount` from `available`, tried one by one: the fewest coins, then the
    most of the largest value, then of the next (None: no way)."""
    values = sorted((v for v, n in available.items() if n), reverse=True)
    if amount == 0:
        return {}
    if not values:
        return None
    *larger, smallest = values
    best = None
    for counts in itertools.product(*(range(min(available[v], amount // v) + 1) for v in larger)):
        rest = amount - sum(k * v for k, v in zip(counts, larger, strict=True))
        if rest < 0 or rest % smallest or rest // smallest > available[smallest]:
            continue
        vector = (*counts, rest // smallest)
        key = (sum(vector), tuple(-k for k in vector))
        if best is None or key < best[0]:
            best = (key, {v: k for v, k in zip(values, vector, strict=True) if k})
    return None if best is None else best[1]


class ModelMachine:
    """A trivially correct machine: Counters, and change by trying every combination."""

    def __init__(self, coins: dict[int, int], capacity: int | None = None) -> None:
        self.capacity = capacity
        self.float: Counter[int] = Counter()
        self.box: Counter[int] = Counter()
        self.inserted: Counter[int] = Counter()
        self.slots: dict[str, tuple[str, int, int]] = {}
        self.fill(Counter(coins))

    def fill(self, coins: Counter[int]) -> None:
        for value, count in coins.items():
            kept = count if self.capacity is None else min(count, self.capacity)
            self.float[value] = kept
            self.box[value] += count - kept
        self.float, self.box = +self.float, +self.box

    @property
    def credit(self) -> int:
        return value_of(self.inserted)

    def select(self, slot: str) -> tuple[str, int, dict[int, int]] | str:
        """(name, price, change), or the name of the error select must raise."""
        if slot not in self.slots:
            return "UnknownSlotError"
        name, price, count = self.slots[slot]
        if count == 0:
            return "SoldOutError"
        if self.credit < price:
            return "InsufficientCreditError"
        available = self.float + self.inserted
        change = brute_change(self.credit - price, available)
        if change is None:
            return "ExactChangeError"
        self.float = Counter()
        self.fill(available - Counter(change))
        self.inserted.clear()
        self.slots[slot] = (name, price, count - 1)
        return name, price, change


def outcome(fn, *args) -> object:
    """What a call gave: its result, or its exception's class name."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - compared with the model's error name
        return type(exc).__name__


def random_session(impl, seed: int, steps: int, capacity: int | None = None) -> None:
    """`steps` random inserts, selects, cancels and stockings, compared with ModelMachine after
    every step; denominations where largest-coin-first is often wrong, and equal-size ties."""
    rng = random.Random(seed)
    values = (5, 20, 25, 50)
    start = {v: rng.randint(0, 3) for v in values}
    options = {} if capacity is None else {"tube_capacity": capacity}
    machine = impl.VendingMachine(values, coins=dict(start), **options)
    model = ModelMachine(start, capacity)
    for slot in "ABC":
        model.slots[slot] = (f"first {slot}", 5 * rng.randint(1, 20), 5)
        machine.stock(slot, *model.slots[slot])
    for step in range(steps):
        roll = rng.random()
        if roll < 0.45:
            coin = rng.choice(values) if rng.random() < 0.95 else rng.choice((1, 15, 100))
            what, got = f"insert({coin})", outcome(machine.insert, coin)
            if coin in values:
                model.inserted[coin] += 1
                want = model.credit
            else:
                want = "InvalidCoinError"
        elif roll < 0.80:
            slot = rng.choice("ABCABCABCZ")
            what, got = f"select({slot!r})", outcome(machine.select, slot)
            want = model.select(slot)
            if not isinstance(got, str):
                got = (got.product, got.price, got.change)
        elif roll < 0.88:
            what, got, want = "cancel()", outcome(machine.cancel), dict(model.inserted)
            model.inserted.clear()
        else:
            slot, price, count = rng.choice("ABC"), 5 * rng.randint(1, 30), rng.randint(0, 9)
            what = f"stock({slot!r}, 'p{step}', {price}, {count})"
            got = outcome(machine.stock, slot, f"p{step}", price, count)
            model.slots[slot] = (f"p{step}", price, count)
            want = None
        expect(f"step {step}: {what}", got, want)
        expect(f"step {step}, after {what}: credit", machine.credit, model.credit)
        expect(f"step {step}, after {what}: coins()", machine.coins(), dict(model.float))
        expect(f"step {step}, after {what}: inventory()", machine.inventory(), model.slots)
        if capacity is not None:
            expect(f"step {step}, after {what}: cash_box()", machine.cash_box(), dict(model.box))


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_insert_adds_each_coin_to_the_credit_and_returns_it(impl, call):
    machine = impl.VendingMachine()
    call.returns(25, machine.insert, 25)
    call.returns(125, machine.insert, 100)
    call.returns(130, machine.insert, 5)
    expect("credit after insert(25), insert(100), insert(5)", machine.credit, 130)


@pytest.mark.core
def test_select_sells_one_item_and_pays_the_change(impl, call):
    machine = impl.VendingMachine(coins={5: 10, 10: 10, 25: 10})
    machine.stock("A1", "crisps", 65, 3)
    machine.insert(100)
    call.returns(impl.Vend("crisps", 65, {25: 1, 10: 1}), machine.select, "A1")
    expect("credit after the sale", machine.credit, 0)
    expect("inventory() after the sale", machine.inventory(), {"A1": ("crisps", 65, 2)})


@pytest.mark.core
def test_exact_credit_buys_with_no_change_even_from_an_empty_float(impl, call):
    machine = impl.VendingMachine()
    machine.stock("B2", "water", 35, 1)
    pay(machine, 25, 10)
    call.returns(impl.Vend("water", 35, {}), machine.select, "B2")
    expect("coins() after selling water for 25 + 10", machine.coins(), {25: 1, 10: 1})


@pytest.mark.core
def test_a_sale_moves_the_inserted_coins_into_the_float_and_the_change_out(impl, call):
    machine = impl.VendingMachine(coins={25: 2, 10: 1})
    machine.stock("A1", "crisps", 65, 3)
    machine.insert(100)
    call.returns(impl.Vend("crisps", 65, {25: 1, 10: 1}), machine.select, "A1")
    expect("coins() after paying 100 for 65 from {25: 2, 10: 1}", machine.coins(),
           {25: 1, 100: 1})


@pytest.mark.core
def test_change_is_the_fewest_coins_not_largest_coin_first(impl, call):
    machine = impl.VendingMachine((10, 25), coins={25: 5, 10: 5})
    machine.stock("A1", "crisps", 45, 5)
    pay(machine, 25, 25, 25)
    call.returns(impl.Vend("crisps", 45, {10: 3}), machine.select, "A1")
    odd = impl.VendingMachine((1, 3, 4), coins={1: 9, 3: 9, 4: 9})
    odd.stock("A1", "gum", 2, 5)
    pay(odd, 4, 4)
    call.returns(impl.Vend("gum", 2, {3: 2}), odd.select, "A1")


@pytest.mark.core
def test_change_uses_only_the_coins_the_machine_has(impl, call):
    machine = impl.VendingMachine(coins={25: 1, 5: 6})
    machine.stock("A1", "crisps", 50, 5)
    machine.insert(100)
    call.returns(impl.Vend("crisps", 50, {25: 1, 5: 5}), machine.select, "A1")
    expect("coins() after paying 50 of change as 25 + 5 x 5", machine.coins(), {5: 1, 100: 1})


@pytest.mark.core
def test_among_equally_few_coins_the_most_of_the_largest_value_wins(impl, call):
    machine = impl.VendingMachine((10, 15, 20, 25), coins={10: 5, 15: 5, 20: 5, 25: 5})
    machine.stock("A1", "gum", 10, 5)
    pay(machine, 25, 25)
    call.returns(impl.Vend("gum", 10, {25: 1, 15: 1}), machine.select, "A1")  # not 20 + 20
    pay(machine, 20, 20)
    call.returns(impl.Vend("gum", 10, {20: 1, 10: 1}), machine.select, "A1")  # not 15 + 15


@pytest.mark.core
def test_change_may_use_the_coins_inserted_in_this_transaction(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "crisps", 50, 5)
    pay(machine, 25, 25, 25)
    call.returns(impl.Vend("crisps", 50, {25: 1}), machine.select, "A1")
    expect("coins() after paying 75 for 50 into an empty float", machine.coins(), {25: 2})


@pytest.mark.core
def test_cancel_returns_exactly_the_coins_inserted(impl, call):
    machine = impl.VendingMachine(coins={25: 4})
    pay(machine, 5, 5, 5, 5, 5, 10)
    call.returns({5: 5, 10: 1}, machine.cancel)
    expect("credit after cancel()", machine.credit, 0)
    call.returns({}, machine.cancel)
    expect("coins() after a cancel", machine.coins(), {25: 4})


@pytest.mark.core
def test_stock_again_replaces_name_and_price_and_sets_the_count(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "crisps", 65, 3)
    machine.stock("B2", "water", 100, 0)
    expect("inventory() after two stock calls", machine.inventory(),
           {"A1": ("crisps", 65, 3), "B2": ("water", 100, 0)})
    machine.stock("A1", "nuts", 80, 2)
    expect("inventory() after stock('A1', 'nuts', 80, 2)", machine.inventory(),
           {"A1": ("nuts", 80, 2), "B2": ("water", 100, 0)})
    pay(machine, 25, 25, 25, 5)
    call.returns(impl.Vend("nuts", 80, {}), machine.select, "A1")


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2])
def test_random_sessions_agree_with_a_brute_force_model(impl, seed):
    random_session(impl, seed, 3_000)


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_coins_and_change_hold_only_non_zero_counts(impl, call):
    machine = impl.VendingMachine(coins={5: 0, 10: 2, 25: 0})
    expect("coins() of a machine built with coins={5: 0, 10: 2, 25: 0}", machine.coins(),
           {10: 2})
    machine.stock("A1", "gum", 5, 5)
    pay(machine, 25)
    call.returns(impl.Vend("gum", 5, {10: 2}), machine.select, "A1")
    expect("coins() after both 10s left as change", machine.coins(), {25: 1})


@pytest.mark.edge
def test_the_machine_keeps_its_own_copy_of_the_coins_it_is_given(impl):
    given = {25: 2}
    machine = impl.VendingMachine(coins=given)
    given[25] = 99
    given[10] = 5
    expect("coins() after the caller changed the dict it passed", machine.coins(), {25: 2})


@pytest.mark.edge
def test_returned_dicts_are_new_and_never_change_the_machine(impl):
    machine = impl.VendingMachine(coins={25: 2})
    machine.stock("A1", "gum", 50, 3)
    machine.coins()[25] = 99
    machine.inventory()["A1"] = ("gold", 1, 1000)
    pay(machine, 100)
    vend = machine.select("A1")
    vend.change[25] = 99
    machine.insert(10)
    machine.cancel()[10] = 99
    expect("coins() after editing dicts the machine returned", machine.coins(), {100: 1})
    expect("inventory() after editing dicts the machine returned", machine.inventory(),
           {"A1": ("gum", 50, 2)})
    expect("credit after cancel()", machine.credit, 0)


@pytest.mark.edge
def test_a_sold_out_slot_stays_in_the_inventory_with_count_zero(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 1)
    pay(machine, 25)
    call.succeeds(machine.select, "A1")
    expect("inventory() after selling the last gum", machine.inventory(), {"A1": ("gum", 25, 0)})


@pytest.mark.edge
def test_a_failed_select_keeps_the_credit_for_the_next_try(impl, call):
    machine = impl.VendingMachine(coins={5: 4})
    machine.stock("A1", "crisps", 65, 2)
    pay(machine, 25, 25)
    call.raises(impl.InsufficientCreditError, machine.select, "A1")
    pay(machine, 25)
    call.returns(impl.Vend("crisps", 65, {5: 2}), machine.select, "A1")
    expect("coins() after the sale", machine.coins(), {5: 2, 25: 3})


@pytest.mark.edge
def test_credit_is_zero_after_a_sale_and_the_next_item_needs_new_coins(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 3)
    pay(machine, 25)
    call.succeeds(machine.select, "A1")
    call.raises(impl.InsufficientCreditError, machine.select, "A1", naming="25")
    call.returns({}, machine.cancel)


@pytest.mark.edge
def test_a_sale_changes_only_its_own_slot(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 3)
    machine.stock("A2", "mints", 30, 4)
    pay(machine, 25)
    call.succeeds(machine.select, "A1")
    expect("inventory() after selling from A1", machine.inventory(),
           {"A1": ("gum", 25, 2), "A2": ("mints", 30, 4)})


@pytest.mark.edge
def test_denominations_may_be_any_collection_in_any_order(impl, call):
    for denominations in ([25, 10], {10, 25}, (25, 10)):
        machine = impl.VendingMachine(denominations, coins={25: 5, 10: 5})
        machine.stock("A1", "crisps", 45, 1)
        pay(machine, 25, 25, 25)
        call.returns(impl.Vend("crisps", 45, {10: 3}), machine.select, "A1")


@pytest.mark.edge
def test_huge_prices_counts_and_coin_counts_work(impl, call):
    huge = 10**400
    machine = impl.VendingMachine(coins={5: huge, 25: 1})
    machine.stock("A1", "gold", huge, 1)
    machine.stock("A2", "gum", 10, huge)
    machine.insert(100)
    call.raises(impl.InsufficientCreditError, machine.select, "A1", naming=str(huge))
    call.returns(impl.Vend("gum", 10, {25: 1, 5: 13}), machine.select, "A2")
    expect("coins() after paying 90 of change", machine.coins(), {5: huge - 13, 100: 1})
    expect("the count of A2 after one sale", machine.inventory()["A2"], ("gum", 10, huge - 1))


@pytest.mark.edge
def test_large_change_in_one_cent_coins(impl, call):
    machine = impl.VendingMachine((1, 200), coins={1: 3_000})
    machine.stock("A1", "gum", 1, 1)
    pay(machine, *[200] * 10)
    call.returns(impl.Vend("gum", 1, {200: 9, 1: 199}), machine.select, "A1")
    expect("coins() after paying 1,999 cents of change", machine.coins(), {1: 2_801, 200: 1})


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("error, denominations, naming", [
    (TypeError, 5, "5"),
    (TypeError, [5, 2.5], "2.5"),
    (TypeError, [5, "10"], "10"),
    (TypeError, [True, 5], "True"),
    (ValueError, [], ()),
    (ValueError, [5, 10, 5], "5"),
    (ValueError, [0, 5], "0"),
    (ValueError, [-5], "-5"),
    (ValueError, [5, 1_000_001], "1000001"),
    (ValueError, [10**400], str(10**400)),
], ids=["int", "float", "str", "bool", "empty", "repeated", "zero", "negative", "too-big",
        "10**400"])
def test_bad_denominations_are_refused(impl, call, error, denominations, naming):
    call.raises(error, impl.VendingMachine, denominations, naming=naming)


@pytest.mark.errors
@pytest.mark.parametrize("error, coins, naming", [
    (TypeError, [(25, 1)], "25"),
    (TypeError, {"25": 1}, "25"),
    (TypeError, {25.0: 1}, "25.0"),
    (TypeError, {25: 1.0}, "1.0"),
    (TypeError, {25: True}, "True"),
    (ValueError, {3: 1}, "3"),
    (ValueError, {25: -1}, "-1"),
], ids=["list", "str-key", "float-key", "float-count", "bool-count", "not-a-denomination",
        "negative-count"])
def test_bad_coins_are_refused(impl, call, error, coins, naming):
    call.raises(error, impl.VendingMachine, coins=coins, naming=naming)


@pytest.mark.errors
@pytest.mark.parametrize("error, args, naming", [
    (TypeError, (1, "gum", 25, 1), "1"),
    (TypeError, ("A1", None, 25, 1), "None"),
    (TypeError, ("A1", "gum", 25.0, 1), "25.0"),
    (TypeError, ("A1", "gum", True, 1), "True"),
    (TypeError, ("A1", "gum", 25, "3"), "3"),
    (TypeError, ("A1", "gum", 25, False), "False"),
    (ValueError, ("", "gum", 25, 1), ()),
    (ValueError, ("A1", "", 25, 1), ()),
    (ValueError, ("A1", "gum", 0, 1), "0"),
    (ValueError, ("A1", "gum", -25, 1), "-25"),
    (ValueError, ("A1", "gum", 25, -1), "-1"),
], ids=["slot", "name", "float-price", "bool-price", "str-count", "bool-count", "empty-slot",
        "empty-name", "zero-price", "negative-price", "negative-count"])
def test_stock_refuses_bad_arguments_and_changes_nothing(impl, call, error, args, naming):
    machine = impl.VendingMachine()
    machine.stock("A1", "crisps", 65, 3)
    call.raises(error, machine.stock, *args, naming=naming)
    expect(f"inventory() after a refused stock{args!r}", machine.inventory(),
           {"A1": ("crisps", 65, 3)})


@pytest.mark.errors
@pytest.mark.parametrize("coin", [25.0, "25", None, True], ids=["float", "str", "None", "bool"])
def test_insert_refuses_a_coin_that_is_not_an_int(impl, call, coin):
    machine = impl.VendingMachine((1, 5, 25))
    machine.insert(5)
    call.raises(TypeError, machine.insert, coin, naming=str(coin))
    expect(f"credit after a refused insert({coin!r})", machine.credit, 5)


@pytest.mark.errors
@pytest.mark.parametrize("coin", [3, 50, 0, -25, 10**400], ids=str)
def test_insert_of_a_value_that_is_not_a_denomination_raises_invalid_coin_error(impl, call, coin):
    machine = impl.VendingMachine()
    machine.insert(10)
    call.raises(impl.InvalidCoinError, machine.insert, coin, naming=str(coin))
    expect(f"credit after a refused insert({coin})", machine.credit, 10)
    call.returns({10: 1}, machine.cancel)


@pytest.mark.errors
@pytest.mark.parametrize("slot", [1, None, b"A1"], ids=["int", "None", "bytes"])
def test_select_of_a_slot_that_is_not_a_str_raises_type_error(impl, call, slot):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 1)
    machine.insert(25)
    call.raises(TypeError, machine.select, slot, naming=str(slot))
    expect("credit after a refused select", machine.credit, 25)


@pytest.mark.errors
def test_select_of_an_unknown_slot_comes_first_and_names_the_slot(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 0)
    call.raises(impl.UnknownSlotError, machine.select, "Z9", naming="Z9")
    call.raises(impl.UnknownSlotError, machine.select, "a1", naming="a1")


@pytest.mark.errors
def test_sold_out_is_checked_before_the_credit_and_names_the_slot(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 0)
    call.raises(impl.SoldOutError, machine.select, "A1", naming="A1")
    machine.insert(5)
    call.raises(impl.SoldOutError, machine.select, "A1", naming="A1")
    expect("credit after a sold-out select", machine.credit, 5)


@pytest.mark.errors
def test_the_credit_is_checked_before_the_change_and_the_error_names_price_and_credit(impl,
                                                                                      call):
    machine = impl.VendingMachine()
    machine.stock("A1", "crisps", 65, 2)
    pay(machine, 25, 25)
    call.raises(impl.InsufficientCreditError, machine.select, "A1", naming=("65", "50"))
    expect("credit after an insufficient-credit select", machine.credit, 50)
    expect("inventory() after an insufficient-credit select", machine.inventory(),
           {"A1": ("crisps", 65, 2)})


@pytest.mark.errors
def test_change_that_cannot_be_paid_exactly_raises_and_changes_nothing(impl, call):
    machine = impl.VendingMachine((10, 25), coins={25: 5})
    machine.stock("A1", "crisps", 45, 2)
    pay(machine, 25, 25, 25)
    call.raises(impl.ExactChangeError, machine.select, "A1", naming="30")
    expect("credit after an exact-change error", machine.credit, 75)
    expect("coins() after an exact-change error", machine.coins(), {25: 5})
    expect("inventory() after an exact-change error", machine.inventory(),
           {"A1": ("crisps", 45, 2)})
    call.returns({25: 3}, machine.cancel)


@pytest.mark.errors
def test_every_domain_error_is_a_vending_error(impl, call):
    machine = impl.VendingMachine((10, 25))
    machine.stock("A1", "gum", 45, 0)
    machine.stock("A2", "mints", 45, 1)
    failures = [(machine.insert, 5), (machine.select, "Z9"), (machine.select, "A1"),
                (machine.select, "A2")]
    for fn, arg in failures:
        call.raises(impl.VendingError, fn, arg)
    pay(machine, 25, 25)
    call.raises(impl.VendingError, machine.select, "A2")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
def test_concurrent_inserts_lose_no_coin(impl, run_threads, thread_switches_inside):
    machine = impl.VendingMachine()
    rounds = 30

    def work(n: int) -> None:
        for _ in range(rounds):
            machine.insert(US[n])

    with thread_switches_inside(impl):
        run_threads(len(US), work)
    expect(f"credit after {len(US)} threads each inserted {rounds} coins", machine.credit,
           rounds * sum(US))
    expect("cancel() after the concurrent inserts", machine.cancel(),
           dict.fromkeys(US, rounds))


@pytest.mark.concurrency
def test_concurrent_sales_never_oversell_and_lose_no_money(impl, run_threads,
                                                          thread_switches_inside):
    machine = impl.VendingMachine((1, 2))
    stock = 30
    machine.stock("A1", "gum", 2, stock)

    surprises = []

    def work(n: int) -> list:
        sold = []
        for _ in range(15):
            machine.insert(2)
            try:
                sold.append(machine.select("A1"))
            except (impl.InsufficientCreditError, impl.SoldOutError):
                pass  # another thread spent the credit, or took the last item
            except impl.VendingError as exc:
                surprises.append(f"select('A1') raised {type(exc).__name__}: {exc}")
        return sold

    with thread_switches_inside(impl):
        sold = [vend for got in run_threads(4, work) for vend in got]
    assert not surprises, f"{surprises[0]}, while 4 threads bought 2-cent gum with 2-cent coins"
    left = machine.inventory()["A1"][2]
    change = sum(value_of(vend.change) for vend in sold)
    refund = value_of(machine.cancel())
    kept = value_of(machine.coins())
    assert len(sold) + left == stock, \
        f"{len(sold)} items sold concurrently and {left} left, expected {stock} in all"
    assert kept == 2 * len(sold), \
        f"coins() holds {kept} cents after {len(sold)} sales at 2 cents, expected {2 * len(sold)}"
    assert kept + change + refund == 4 * 15 * 2, \
        f"4 threads inserted 120 cents; the float holds {kept}, change paid {change}, cancel() " \
        f"gave back {refund}: {kept + change + refund} in all"


# --- extension ----------------------------------------------------------------------------------


@pytest.mark.extension
def test_refill_adds_coins_to_the_float(impl, call):
    machine = impl.VendingMachine(coins={25: 2})
    call.returns(None, machine.refill, {25: 3, 10: 4, 5: 0})
    expect("coins() after refill({25: 3, 10: 4, 5: 0})", machine.coins(), {25: 5, 10: 4})


@pytest.mark.extension
def test_refill_lets_a_sale_pay_change_it_could_not_pay_before(impl, call):
    machine = impl.VendingMachine((10, 25), coins={25: 5})
    machine.stock("A1", "crisps", 45, 2)
    pay(machine, 25, 25, 25)
    call.raises(impl.ExactChangeError, machine.select, "A1")
    machine.refill({10: 3})
    call.returns(impl.Vend("crisps", 45, {10: 3}), machine.select, "A1")


@pytest.mark.extension
@pytest.mark.parametrize("error, coins, naming", [
    (TypeError, [(25, 1)], "25"),
    (TypeError, {25: 2, "10": 1}, "10"),
    (TypeError, {25: 2, 10: True}, "True"),
    (ValueError, {25: 2, 3: 1}, "3"),
    (ValueError, {25: 2, 10: -1}, "-1"),
], ids=["list", "str-key", "bool-count", "not-a-denomination", "negative-count"])
def test_refill_is_checked_like_coins_and_all_or_nothing(impl, call, error, coins, naming):
    machine = impl.VendingMachine(coins={5: 1})
    call.raises(error, machine.refill, coins, naming=naming)
    expect(f"coins() after a refused refill({coins!r})", machine.coins(), {5: 1})


@pytest.mark.extension
def test_sales_counts_items_and_cents_per_slot(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 5)
    machine.stock("A2", "mints", 30, 5)
    machine.stock("A3", "nuts", 100, 5)
    call.returns({}, machine.sales)
    for slot, coins in [("A1", (25,)), ("A2", (10, 10, 10)), ("A1", (25,))]:
        pay(machine, *coins)
        call.succeeds(machine.select, slot)
    call.returns({"A1": (2, 50), "A2": (1, 30)}, machine.sales)


@pytest.mark.extension
def test_sales_keep_their_totals_when_a_slot_is_stocked_again(impl, call):
    machine = impl.VendingMachine()
    machine.stock("A1", "gum", 25, 1)
    machine.insert(25)
    call.succeeds(machine.select, "A1")
    machine.stock("A1", "nuts", 100, 1)
    machine.insert(100)
    call.succeeds(machine.select, "A1")
    call.returns({"A1": (2, 125)}, machine.sales)


@pytest.mark.extension
def test_a_select_that_raises_counts_no_sale(impl, call):
    machine = impl.VendingMachine((10, 25), coins={25: 5})
    machine.stock("A1", "crisps", 45, 1)
    machine.stock("A2", "gum", 10, 0)
    pay(machine, 25, 25, 25)
    call.raises(impl.ExactChangeError, machine.select, "A1")
    call.raises(impl.SoldOutError, machine.select, "A2")
    call.returns({}, machine.sales)
    machine.sales()["A1"] = (9, 9)
    call.returns({}, machine.sales)


# --- perf ---------------------------------------------------------------------------------------


def ready_sales(impl, change: int, count: int) -> list:
    """`count` machines, each with 5 + `change` cents of credit and a 5-cent item, whose float
    holds plenty of every coin: selecting pays `change` cents of change."""
    machines = []
    for _ in range(count):
        machine = impl.VendingMachine(coins=dict.fromkeys(US, 2_000))
        machine.stock("A1", "gum", 5, 1)
        credit = 5 + change
        pay(machine, *[200] * (credit // 200), *[5] * (credit % 200 // 5))
        machines.append(machine)
    return machines


@pytest.mark.perf
@pytest.mark.timeout(20)
def test_change_making_grows_linearly_with_the_change(impl, timed):
    big, small = ready_sales(impl, 4_000, 8), ready_sales(impl, 400, 8)
    ratio = timed.ratio(lambda: big.pop().select("A1"), lambda: small.pop().select("A1"),
                        at_most=40, timer=time.process_time)
    assert ratio <= 40, f"select() paying 4,000 cents of change took {ratio:.0f}x as long as " \
                        f"paying 400 cents, expected about 10x and at most 40x (linear growth)"


# --- change request: coin tubes and a cash box --------------------------------------------------


@pytest.mark.change
def test_change_the_surplus_of_a_sale_goes_to_the_cash_box(impl, call):
    machine = impl.VendingMachine(coins={25: 2}, tube_capacity=3)
    machine.stock("A1", "gum", 75, 5)
    pay(machine, 25, 25, 25)
    call.returns(impl.Vend("gum", 75, {}), machine.select, "A1")
    expect("coins() with tube_capacity=3 after five 25s went in", machine.coins(), {25: 3})
    call.returns({25: 2}, machine.cash_box)


@pytest.mark.change
def test_change_the_cash_box_never_pays_change(impl, call):
    machine = impl.VendingMachine((10, 25), coins={10: 4}, tube_capacity=2)
    call.returns({10: 2}, machine.cash_box)
    machine.stock("A1", "crisps", 45, 5)
    pay(machine, 25, 25, 25)
    call.raises(impl.ExactChangeError, machine.select, "A1", naming="30")
    expect("credit after the exact-change error", machine.credit, 75)
    call.returns({10: 2}, machine.cash_box)


@pytest.mark.change
def test_change_is_paid_before_the_coins_left_over_fill_the_tubes(impl, call):
    machine = impl.VendingMachine((10, 100), coins={10: 2}, tube_capacity=2)
    machine.stock("A1", "gum", 10, 5)
    pay(machine, 10, 10, 10)
    call.returns(impl.Vend("gum", 10, {10: 2}), machine.select, "A1")
    expect("coins() after five 10s were in play and two left as change", machine.coins(),
           {10: 2})
    call.returns({10: 1}, machine.cash_box)


@pytest.mark.change
def test_change_coins_beyond_the_capacity_at_construction_go_to_the_cash_box(impl, call):
    machine = impl.VendingMachine(coins={5: 7, 10: 2, 25: 0}, tube_capacity=4)
    expect("coins() of VendingMachine(coins={5: 7, 10: 2, 25: 0}, tube_capacity=4)",
           machine.coins(), {5: 4, 10: 2})
    call.returns({5: 3}, machine.cash_box)


@pytest.mark.change
def test_change_collect_returns_the_cash_box_and_empties_it(impl, call):
    machine = impl.VendingMachine(coins={5: 7, 100: 3}, tube_capacity=1)
    call.returns({5: 6, 100: 2}, machine.collect)
    call.returns({}, machine.cash_box)
    call.returns({}, machine.collect)
    expect("coins() after collect()", machine.coins(), {5: 1, 100: 1})
    machine.cash_box()[5] = 99
    call.returns({}, machine.cash_box)


@pytest.mark.change
def test_change_without_a_capacity_nothing_reaches_the_cash_box(impl, call):
    machine = impl.VendingMachine(coins={5: 10**6})
    machine.stock("A1", "gum", 25, 5)
    pay(machine, 25, 25)
    call.succeeds(machine.select, "A1")
    call.returns({}, machine.cash_box)
    call.returns({}, machine.collect)
    expect("coins() with no tube_capacity", machine.coins(), {5: 10**6, 25: 1})


@pytest.mark.change
def test_change_refill_beyond_the_capacity_overflows_into_the_cash_box(impl, call):
    machine = impl.VendingMachine(coins={25: 1}, tube_capacity=3)
    machine.refill({25: 4, 10: 2})
    expect("coins() after refill({25: 4, 10: 2}) with one 25 in a tube of 3", machine.coins(),
           {25: 3, 10: 2})
    call.returns({25: 2}, machine.cash_box)


@pytest.mark.change
@pytest.mark.parametrize("error, capacity", [
    (TypeError, 2.0), (TypeError, "3"), (TypeError, True), (ValueError, 0), (ValueError, -1),
], ids=["float", "str", "bool", "zero", "negative"])
def test_change_tube_capacity_must_be_an_int_of_at_least_one(impl, call, error, capacity):
    call.raises(error, impl.VendingMachine, tube_capacity=capacity, naming=str(capacity))


@pytest.mark.change
def test_change_random_sessions_with_tubes_agree_with_a_model(impl):
    random_session(impl, 7, 2_000, capacity=3)
