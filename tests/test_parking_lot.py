"""Grades a parking lot (katas/parking_lot.py): run with --impl to grade your copy."""

from __future__ import annotations

import collections
import random
import threading
import time

import pytest

RATES = {"motorcycle": 100, "car": 300, "van": 500}
SIZES = ("small", "medium", "large")
FITS = {"motorcycle": ("small", "medium", "large"), "car": ("medium", "large"),
        "van": ("large",)}


@pytest.fixture
def lot_of(impl, clock):
    """``lot_of(levels, **options)``: a lot on the fake clock with RATES unless options say."""

    def make(levels, **options):
        options.setdefault("rates", dict(RATES))
        options.setdefault("clock", clock)
        return impl.ParkingLot(levels, **options)

    return make


def spots(lot, *vehicles: tuple[str, str], **options) -> list[str]:
    """Park each (plate, kind) in turn; their spot ids."""
    return [lot.park(plate, kind, **options).spot_id for plate, kind in vehicles]


def attempt(fn, *args, **kwargs):
    """(result, None) or (None, the exception): for model tests that expect either."""
    try:
        return fn(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001 - compared with what the model expects
        return None, exc


def did(result, error) -> str:
    return f"raised {type(error).__name__}: {error}" if error else f"returned {result!r}"


def expect(got, want, shown: str) -> None:
    """`shown` (how the value was got) gave `got`: it must equal `want`."""
    __tracebackhide__ = True
    assert got == want, f"{shown} gave {got!r}, expected {want!r}"


def summary(ticket) -> tuple:
    return ticket.ticket_id, ticket.plate, ticket.kind, ticket.spot_id, ticket.entered_at


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_park_returns_a_ticket_with_the_normalised_plate_its_spot_and_the_clock_reading(lot_of):
    lot = lot_of([{"medium": 2}])
    ticket = lot.park("  ab 12 ", "car")
    want = (1, "AB 12", "car", "0-medium-1", 1000.0)
    assert summary(ticket) == want, f"park('  ab 12 ', 'car') returned {ticket!r}, expected " \
                                    f"(ticket_id, plate, kind, spot_id, entered_at) = {want!r}"


@pytest.mark.core
def test_ticket_ids_count_up_from_one_over_parks(lot_of):
    lot = lot_of([{"small": 1, "medium": 2, "large": 1}])
    ids = [lot.park(f"P{i}", kind).ticket_id
           for i, kind in enumerate(["car", "motorcycle", "van", "car"])]
    assert ids == [1, 2, 3, 4], f"four parks returned ticket ids {ids!r}, expected [1, 2, 3, 4]"
    lot.leave(2)
    got = lot.park("P9", "motorcycle").ticket_id
    assert got == 5, f"park() after leave(2) returned ticket id {got!r}, expected 5 (ids are " \
                     f"never reused)"


@pytest.mark.core
def test_spot_ids_count_from_one_per_level_and_size(lot_of):
    lot = lot_of([{"small": 1, "large": 2}, {}, {"small": 1, "large": 1}])
    got = spots(lot, *[(f"V{i}", "van") for i in range(3)], *[(f"M{i}", "motorcycle")
                                                               for i in range(2)])
    want = ["0-large-1", "0-large-2", "2-large-1", "0-small-1", "2-small-1"]
    assert got == want, f"three vans then two motorcycles got {got!r}, expected {want!r}"


@pytest.mark.core
def test_a_car_takes_a_medium_spot_on_a_high_level_before_a_large_spot_on_level_0(lot_of):
    lot = lot_of([{"large": 2}, {"small": 3}, {}, {"medium": 1}])
    got = spots(lot, ("C1", "car"), ("C2", "car"))
    assert got == ["3-medium-1", "0-large-1"], \
        f"two cars got {got!r}, expected ['3-medium-1', '0-large-1']: the smallest size that " \
        f"fits comes first, whatever its level"


@pytest.mark.core
@pytest.mark.parametrize("kind, want", [
    ("motorcycle", ["0-small-1", "1-small-1", "0-medium-1", "0-large-1"]),
    ("car", ["0-medium-1", "0-large-1"]),
    ("van", ["0-large-1"]),
])
def test_each_kind_takes_the_sizes_that_fit_it_smallest_first(impl, lot_of, call, kind, want):
    lot = lot_of([{"small": 1, "medium": 1, "large": 1}, {"small": 1}])
    got = spots(lot, *[(f"P{i}", kind) for i in range(len(want))])
    assert got == want, f"{len(want)} parks of a {kind} got {got!r}, expected {want!r}"
    call.raises(impl.LotFullError, lot.park, "ONE MORE", kind, naming=kind)


@pytest.mark.core
def test_within_a_size_the_lowest_level_then_the_lowest_n_comes_first(lot_of):
    lot = lot_of([{"small": 1}, {"medium": 2}, {"medium": 1}])
    got = spots(lot, *[(f"C{i}", "car") for i in range(3)])
    want = ["1-medium-1", "1-medium-2", "2-medium-1"]
    assert got == want, f"three cars got {got!r}, expected {want!r}"


@pytest.mark.core
def test_a_freed_spot_is_chosen_again_by_the_same_rule(lot_of):
    lot = lot_of([{"medium": 2}, {"medium": 2}])
    tickets = [lot.park(f"C{i}", "car") for i in range(4)]
    lot.leave(tickets[3].ticket_id)
    lot.leave(tickets[1].ticket_id)
    got = spots(lot, ("D1", "car"), ("D2", "car"))
    assert got == ["0-medium-2", "1-medium-2"], \
        f"after leave of '1-medium-2' then '0-medium-2', two cars got {got!r}, expected " \
        f"['0-medium-2', '1-medium-2']: the lowest free spot first"


@pytest.mark.core
def test_leave_frees_the_spot_and_bills_every_started_hour(lot_of, clock, call):
    lot = lot_of([{"large": 1}])
    ticket = lot.park("VAN 1", "van")
    clock.advance(2.5 * 3600)
    receipt = lot.leave(ticket.ticket_id)
    want = (1, "VAN 1", "0-large-1", 1000.0, 10_000.0, 1_500)
    got = (receipt.ticket_id, receipt.plate, receipt.spot_id, receipt.entered_at,
           receipt.left_at, receipt.fee)
    assert got == want, f"leave(1) after 2.5 h returned {receipt!r}, expected (ticket_id, " \
                        f"plate, spot_id, entered_at, left_at, fee) = {want!r}"
    call.returns({"small": 0, "medium": 0, "large": 1}, lot.free_spots)
    expect(lot.park("VAN 2", "van").spot_id, "0-large-1", "park('VAN 2', 'van').spot_id")


@pytest.mark.core
def test_locate_finds_the_ticket_by_normalised_plate_until_the_vehicle_leaves(lot_of, call):
    lot = lot_of([{"medium": 2}])
    ticket = lot.park("Ab 12", "car")
    lot.park("CD 34", "car")
    for plate in ("AB 12", " ab 12\t", "aB 12"):
        call.returns(ticket, lot.locate, plate)
    call.returns(None, lot.locate, "EF 56")
    lot.leave(ticket.ticket_id)
    call.returns(None, lot.locate, "AB 12")


@pytest.mark.core
def test_free_spots_counts_every_size_zero_included(lot_of, call):
    lot = lot_of([{"small": 1, "medium": 2}, {"medium": 1}])
    call.returns({"small": 1, "medium": 3, "large": 0}, lot.free_spots)
    lot.park("C1", "car")
    lot.park("M1", "motorcycle")
    call.returns({"small": 0, "medium": 2, "large": 0}, lot.free_spots)


@pytest.mark.core
def test_can_park_says_whether_a_spot_fits_the_kind_now(lot_of, call):
    lot = lot_of([{"small": 1, "medium": 1}])
    call.returns(True, lot.can_park, "motorcycle")
    call.returns(True, lot.can_park, "car")
    call.returns(False, lot.can_park, "van")
    lot.park("C1", "car")
    call.returns(False, lot.can_park, "car")
    call.returns(True, lot.can_park, "motorcycle")


@pytest.mark.core
def test_occupied_lists_the_tickets_inside_by_ticket_id(lot_of):
    lot = lot_of([{"small": 1, "medium": 1, "large": 2}])
    tickets = [lot.park(plate, kind) for plate, kind in
               [("V1", "van"), ("M1", "motorcycle"), ("C1", "car"), ("V2", "van")]]
    lot.leave(tickets[1].ticket_id)
    lot.park("M2", "motorcycle")
    got = [t.plate for t in lot.occupied()]
    assert got == ["V1", "C1", "V2", "M2"], \
        f"occupied() gave plates {got!r}, expected ['V1', 'C1', 'V2', 'M2'] (by ticket id)"
    expect(lot.occupied()[0], tickets[0], "occupied()[0]")


def random_levels(rng: random.Random) -> list[dict]:
    """Three levels of 0-3 spots per size (a size sometimes left out), at least one spot."""
    while True:
        levels = [{size: rng.randrange(4) for size in SIZES if rng.random() < 0.8}
                  for _ in range(3)]
        if any(any(level.values()) for level in levels):
            return levels


class LotModel:
    """Every spot listed; park scans them all for the best one: slow but obviously right.

    A spot is (size rank, level, n, size, has a charger). The best spot for a park sorts first by
    (charger differs from the ev flag, size rank, level, n): without chargers, the base rule."""

    def __init__(self, levels, ev_levels=None):
        self.spots = []
        for level, counts in enumerate(levels):
            chargers = (ev_levels or [{}] * len(levels))[level]
            for rank, size in enumerate(SIZES):
                for n in range(1, counts.get(size, 0) + 1):
                    self.spots.append((rank, level, n, size, n <= chargers.get(size, 0)))
        self.free = set(self.spots)
        self.inside: dict[str, tuple] = {}  # plate -> (ticket id, spot, kind, entered_at)
        self.by_id: dict[int, str] = {}
        self.last_id = 0

    def choose(self, kind, ev):
        fitting = [s for s in self.free if s[3] in FITS[kind]]
        return min(fitting, key=lambda s: (s[4] != ev, s[0], s[1], s[2]), default=None)

    def free_spots(self):
        return {size: sum(1 for s in self.free if s[3] == size) for size in SIZES}


def model_step(lot, model, rng, clock, plates, impl, ev_flags=False) -> tuple[str, str | None]:
    """One random operation on the lot and the model: what was done, and how they disagree."""
    op = rng.choices(["park", "leave", "locate", "can_park", "advance"], [6, 4, 1, 1, 2])[0]
    kind, plate = rng.choice(list(FITS)), rng.choice(plates)
    normal = plate.strip().upper()
    if op == "advance":
        seconds = rng.choice([0, 0.5, 1799.5, 3600, 5000])
        clock.advance(seconds)
        return f"clock +{seconds} s", None
    if op == "locate":
        got, entry = lot.locate(plate), model.inside.get(normal)
        want = None if entry is None else entry[0]
        got_id = None if got is None else got.ticket_id
        return f"locate({plate!r})", None if got_id == want else \
            f"locate({plate!r}) gave ticket {got_id!r}, expected {want!r}"
    if op == "can_park":
        got, want = lot.can_park(kind), model.choose(kind, False) is not None
        return f"can_park({kind!r})", None if got == want else \
            f"can_park({kind!r}) returned {got!r}, expected {want!r}"
    if op == "leave":
        inside = list(model.by_id)
        ticket_id = rng.choice(inside) if inside and rng.random() < 0.75 else \
            rng.randrange(1, model.last_id + 2)
        receipt, error = attempt(lot.leave, ticket_id)
        shown = f"leave({ticket_id})"
        if ticket_id not in model.by_id:
            ok = isinstance(error, impl.TicketNotFoundError)
            return shown, None if ok else \
                f"{shown} {did(receipt, error)}, expected TicketNotFoundError"
        _, spot, left_kind, entered = model.inside.pop(model.by_id.pop(ticket_id))
        model.free.add(spot)
        hours = max(1, -(-(clock.now - entered) // 3600))
        want = RATES[left_kind] * int(hours)
        ok = error is None and receipt.fee == want
        return shown, None if ok else f"{shown} {did(receipt, error)}, expected fee {want}"
    ev = rng.random() < 0.5 if ev_flags else False
    options = {"ev": ev} if ev_flags else {}
    ticket, error = attempt(lot.park, plate, kind, **options)
    shown = f"park({plate!r}, {kind!r}{', ev=True' if ev else ''})"
    if normal in model.inside:
        ok = isinstance(error, impl.AlreadyParkedError)
        return shown, None if ok else f"{shown} {did(ticket, error)}, expected AlreadyParkedError"
    spot = model.choose(kind, ev)
    if spot is None:
        ok = isinstance(error, impl.LotFullError)
        return shown, None if ok else f"{shown} {did(ticket, error)}, expected LotFullError"
    model.free.remove(spot)
    model.last_id += 1
    model.inside[normal] = (model.last_id, spot, kind, clock.now)
    model.by_id[model.last_id] = normal
    want = (model.last_id, f"{spot[1]}-{spot[3]}-{spot[2]}")
    got = None if error else (ticket.ticket_id, ticket.spot_id)
    return shown, None if got == want else \
        f"{shown} {did(ticket, error)}, expected (ticket_id, spot_id) = {want!r}"


def compare_with_model(lot, model, rng, clock, impl, steps, ev_flags=False) -> None:
    plates = ["AB 1", "ab 1 ", "CD 2", " cd 2", "EF 3", "GH 4", "IJ 5", "KL 6", "MN 7", "OP 8"]
    recent: collections.deque[str] = collections.deque(maxlen=5)
    for step in range(steps):
        shown, wrong = model_step(lot, model, rng, clock, plates, impl, ev_flags)
        recent.append(shown)
        if wrong is None:
            free, want = lot.free_spots(), model.free_spots()
            if free != want:
                wrong = f"free_spots() returned {free!r}, expected {want!r}"
        if wrong is None and step % 4 == 0:
            inside = [t.ticket_id for t in lot.occupied()]
            want = sorted(entry[0] for entry in model.inside.values())
            if inside != want:
                wrong = f"occupied() gave ticket ids {inside!r}, expected {want!r}"
        assert wrong is None, f"step {step}, after {'; '.join(recent)}: {wrong}"


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2])
def test_random_operations_agree_with_a_list_of_every_spot(impl, lot_of, clock, seed):
    rng = random.Random(seed)
    levels = random_levels(rng)
    compare_with_model(lot_of(levels), LotModel(levels), rng, clock, impl, 1_500)


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
@pytest.mark.parametrize("seconds, hours", [
    (0, 1), (1, 1), (3599.5, 1), (3600, 1), (3600.5, 2), (7200, 2), (7201, 3), (86_400, 24),
])
def test_the_fee_counts_every_started_hour_and_at_least_one(lot_of, clock, seconds, hours):
    lot = lot_of([{"medium": 1}])
    ticket = lot.park("C1", "car")
    clock.advance(seconds)
    fee = lot.leave(ticket.ticket_id).fee
    assert fee == 300 * hours, f"leave() after {seconds} s billed {fee!r}, expected " \
                               f"{300 * hours} ({hours} started hours at 300)"


@pytest.mark.edge
def test_a_clock_that_went_backwards_bills_one_hour(lot_of, clock):
    lot = lot_of([{"medium": 1}])
    ticket = lot.park("C1", "car")
    clock.advance(-7200)
    receipt = lot.leave(ticket.ticket_id)
    assert (receipt.fee, receipt.left_at) == (300, clock.now), \
        f"leave() with the clock 2 h behind entered_at returned {receipt!r}, expected fee 300 " \
        f"and left_at {clock.now!r}"


@pytest.mark.edge
def test_a_zero_rate_bills_nothing(lot_of, clock):
    lot = lot_of([{"small": 1}], rates={"motorcycle": 0, "car": 300, "van": 500})
    ticket = lot.park("M1", "motorcycle")
    clock.advance(10 * 3600)
    expect(lot.leave(ticket.ticket_id).fee, 0, "leave(1).fee at rate 0")


@pytest.mark.edge
def test_a_rejected_park_uses_no_ticket_id(impl, lot_of, call):
    lot = lot_of([{"medium": 1}])
    lot.park("C1", "car")
    call.raises(impl.LotFullError, lot.park, "C2", "car")
    call.raises(impl.LotFullError, lot.park, "V1", "van")
    call.raises(impl.AlreadyParkedError, lot.park, "c1", "motorcycle")
    call.raises(ValueError, lot.park, "  ", "car")
    lot.leave(1)
    got = lot.park("C2", "car").ticket_id
    assert got == 2, f"park('C2', 'car') after four rejected parks returned ticket id {got!r}, " \
                     f"expected 2"


@pytest.mark.edge
def test_a_plate_parks_again_after_leaving_with_a_new_ticket(impl, lot_of, call):
    lot = lot_of([{"medium": 2}])
    first = lot.park("AB 1", "car")
    lot.leave(first.ticket_id)
    again = lot.park("ab 1", "motorcycle")
    assert (again.ticket_id, again.kind) == (2, "motorcycle"), \
        f"park('ab 1', 'motorcycle') after the plate left returned {again!r}, expected ticket 2"
    call.returns(again, lot.locate, "AB 1")
    call.raises(impl.TicketNotFoundError, lot.leave, first.ticket_id, naming="1")


@pytest.mark.edge
def test_inner_spaces_make_another_plate(lot_of):
    lot = lot_of([{"medium": 2}])
    lot.park("AB 12", "car")
    ticket = lot.park("ab12", "car")
    assert ticket.plate == "AB12", f"park('ab12', 'car') returned {ticket!r}, expected plate " \
                                   f"'AB12' (another plate than 'AB 12')"
    expect(lot.locate("AB 12").ticket_id, 1, "locate('AB 12').ticket_id")


@pytest.mark.edge
def test_empty_levels_and_missing_sizes_hold_no_spots(impl, lot_of, call):
    lot = lot_of([{}, {"small": 0, "large": 0}, {"large": 1}])
    call.returns({"small": 0, "medium": 0, "large": 1}, lot.free_spots)
    expect(lot.park("M1", "motorcycle").spot_id, "2-large-1", "park('M1', 'motorcycle').spot_id")
    call.raises(impl.LotFullError, lot.park, "M2", "motorcycle")
    call.returns(False, lot.can_park, "motorcycle")


@pytest.mark.edge
def test_a_vehicle_moves_up_a_size_only_while_the_smaller_one_is_full(lot_of):
    lot = lot_of([{"small": 1, "medium": 1}])
    first = lot.park("M1", "motorcycle")
    second = lot.park("M2", "motorcycle")
    lot.leave(first.ticket_id)
    third = lot.park("M3", "motorcycle")
    got = [first.spot_id, second.spot_id, third.spot_id]
    assert got == ["0-small-1", "0-medium-1", "0-small-1"], \
        f"motorcycles M1, M2, then M3 after M1 left got {got!r}, expected " \
        f"['0-small-1', '0-medium-1', '0-small-1']"


@pytest.mark.edge
def test_results_are_new_objects_that_do_not_change_the_lot(lot_of, call):
    lot = lot_of([{"medium": 2}])
    lot.park("C1", "car")
    lot.free_spots()["medium"] = 99
    lot.occupied().clear()
    call.returns({"small": 0, "medium": 1, "large": 0}, lot.free_spots)
    expect([t.plate for t in lot.occupied()], ["C1"], "plates of occupied()")


@pytest.mark.edge
def test_integer_and_float_clock_readings_both_work(impl, new_clock):
    clock = new_clock(start=0)
    lot = impl.ParkingLot([{"large": 1}], rates=dict(RATES), clock=clock)
    ticket = lot.park("V1", "van")
    clock.advance(3601)
    receipt = lot.leave(ticket.ticket_id)
    assert (receipt.entered_at, receipt.left_at, receipt.fee) == (0, 3601, 1_000), \
        f"leave() 3601 s after park on an int clock returned {receipt!r}, expected entered_at " \
        f"0, left_at 3601, fee 1000"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("levels, named", [
    ({"medium": 1}, "medium"),
    ("medium", "medium"),
    (None, "None"),
    ([["medium", 1]], "medium"),
    ([{1: 2}], "1"),
    ([{"medium": "2"}], "2"),
    ([{"medium": 2.0}], "2.0"),
    ([{"medium": True}], "True"),
], ids=["dict", "str", "None", "level-list", "size-int", "count-str", "count-float", "count-bool"])
def test_levels_of_a_wrong_type_raise_type_error_naming_the_value(impl, call, levels, named):
    call.raises(TypeError, impl.ParkingLot, levels, rates=dict(RATES), naming=named)


@pytest.mark.errors
@pytest.mark.parametrize("levels, named", [
    ([], "levels"),
    ([{}], "levels"),
    ([{"small": 0}, {}], "levels"),
    ([{"medium": 1, "huge": 1}], "huge"),
    ([{"Medium": 1}], "Medium"),
    ([{"medium": -1}], "-1"),
], ids=["empty", "no-spot", "zeros", "unknown-size", "size-case", "negative"])
def test_bad_levels_raise_value_error_naming_the_value(impl, call, levels, named):
    call.raises(ValueError, impl.ParkingLot, levels, rates=dict(RATES), naming=named)


@pytest.mark.errors
@pytest.mark.parametrize("rates, error, named", [
    ([("car", 300)], TypeError, "car"),
    ({**RATES, "car": "300"}, TypeError, "300"),
    ({**RATES, "car": 3.0}, TypeError, "3.0"),
    ({**RATES, "car": True}, TypeError, "True"),
    ({"motorcycle": 100, "car": 300, 7: 500}, TypeError, "7"),
    ({"motorcycle": 100, "car": 300}, ValueError, "van"),
    ({**RATES, "bus": 900}, ValueError, "bus"),
    ({**RATES, "van": -1}, ValueError, "-1"),
], ids=["list", "str", "float", "bool", "kind-int", "missing", "unknown-kind", "negative"])
def test_bad_rates_raise_naming_the_value(impl, call, rates, error, named):
    call.raises(error, impl.ParkingLot, [{"medium": 1}], rates=rates, naming=named)


@pytest.mark.errors
def test_a_clock_that_is_not_callable_raises_type_error(impl, call):
    call.raises(TypeError, impl.ParkingLot, [{"medium": 1}], rates=dict(RATES), clock=1000.0,
                naming="1000.0")


@pytest.mark.errors
@pytest.mark.parametrize("plate, error, named", [
    (12, TypeError, "12"), (None, TypeError, "None"), (b"AB", TypeError, "b'AB'"),
    ("", ValueError, "plate"), ("  \t", ValueError, "plate"),
], ids=["int", "None", "bytes", "empty", "blank"])
def test_bad_plates_are_refused_by_park_and_locate(lot_of, call, plate, error, named):
    lot = lot_of([{"medium": 1}])
    call.raises(error, lot.park, plate, "car", naming=named)
    call.raises(error, lot.locate, plate, naming=named)
    call.returns({"small": 0, "medium": 1, "large": 0}, lot.free_spots)


@pytest.mark.errors
@pytest.mark.parametrize("kind, error, named", [
    (None, TypeError, "None"), (1, TypeError, "1"), ("bus", ValueError, "bus"),
    ("Car", ValueError, "Car"), ("", ValueError, ()),
], ids=["None", "int", "bus", "case", "empty"])
def test_bad_kinds_are_refused_by_park_and_can_park(lot_of, call, kind, error, named):
    lot = lot_of([{"large": 1}])
    call.raises(error, lot.park, "AB 1", kind, naming=named)
    call.raises(error, lot.can_park, kind, naming=named)
    call.returns(None, lot.locate, "AB 1")


@pytest.mark.errors
def test_a_plate_inside_raises_already_parked_error_naming_it(impl, lot_of, call):
    lot = lot_of([{"medium": 3}])
    lot.park("ab 12", "car")
    call.raises(impl.AlreadyParkedError, lot.park, " AB 12 ", "car", naming="AB 12")
    call.raises(impl.AlreadyParkedError, lot.park, "Ab 12", "motorcycle", naming="AB 12")
    call.returns({"small": 0, "medium": 2, "large": 0}, lot.free_spots)


@pytest.mark.errors
def test_already_parked_is_checked_before_lot_full(impl, lot_of, call):
    lot = lot_of([{"medium": 1}])
    lot.park("AB 12", "car")
    call.raises(impl.AlreadyParkedError, lot.park, "AB 12", "car", naming="AB 12")
    call.raises(impl.AlreadyParkedError, lot.park, "ab 12", "van", naming="AB 12")


@pytest.mark.errors
def test_no_free_spot_that_fits_raises_lot_full_error_naming_the_kind(impl, lot_of, call):
    lot = lot_of([{"small": 2, "medium": 1}])
    call.raises(impl.LotFullError, lot.park, "V1", "van", naming="van")
    lot.park("C1", "car")
    call.raises(impl.LotFullError, lot.park, "C2", "car", naming="car")
    expect(lot.park("M1", "motorcycle").spot_id, "0-small-1", "park('M1', 'motorcycle').spot_id")


@pytest.mark.errors
def test_an_unknown_or_used_ticket_raises_ticket_not_found_error_naming_it(impl, lot_of, call):
    lot = lot_of([{"medium": 1}])
    ticket = lot.park("C1", "car")
    for unknown in (0, 2, -1, 10**30):
        call.raises(impl.TicketNotFoundError, lot.leave, unknown, naming=str(unknown))
    lot.leave(ticket.ticket_id)
    call.raises(impl.TicketNotFoundError, lot.leave, ticket.ticket_id, naming="1")
    call.returns({"small": 0, "medium": 1, "large": 0}, lot.free_spots)


@pytest.mark.errors
@pytest.mark.parametrize("ticket_id", ["1", 1.0, True, None], ids=["str", "float", "bool", "None"])
def test_a_ticket_id_that_is_not_an_int_raises_type_error(lot_of, call, ticket_id):
    lot = lot_of([{"medium": 1}])
    lot.park("C1", "car")
    call.raises(TypeError, lot.leave, ticket_id, naming=repr(ticket_id).strip("'"))
    expect([t.plate for t in lot.occupied()], ["C1"], "plates of occupied()")


@pytest.mark.errors
def test_the_domain_errors_are_parking_errors(impl):
    for name in ("AlreadyParkedError", "LotFullError", "TicketNotFoundError"):
        error = getattr(impl, name)
        assert issubclass(error, impl.ParkingError), f"{name} must be a subclass of ParkingError"
    assert issubclass(impl.ParkingError, Exception), "ParkingError must be an Exception"
    lot = impl.ParkingLot([{"medium": 1}], rates=dict(RATES))
    lot.park("C1", "car")
    for fn, args in ((lot.park, ("C1", "car")), (lot.park, ("C2", "car")), (lot.leave, (7,))):
        _, error = attempt(fn, *args)
        assert isinstance(error, impl.ParkingError), \
            f"{fn.__name__}{args!r} {did(None, error)}, expected a ParkingError"


@pytest.mark.errors
def test_rejected_calls_change_nothing(lot_of, clock, call):
    lot = lot_of([{"small": 1, "medium": 1}])
    lot.park("C1", "car")
    rejected = [(lot.park, ("C1", "motorcycle")), (lot.park, ("C2", "car")),
                (lot.park, ("V1", "van")), (lot.park, ("", "car")), (lot.park, ("M1", "bus")),
                (lot.park, (5, "car")), (lot.leave, (2,)), (lot.leave, ("1",)),
                (lot.locate, ("",)), (lot.can_park, ("bus",))]
    for fn, args in rejected:
        _, error = attempt(fn, *args)
        assert error is not None, f"{fn.__name__}{args!r} did not raise"
    call.returns({"small": 1, "medium": 0, "large": 0}, lot.free_spots)
    expect([t.ticket_id for t in lot.occupied()], [1], "ticket ids of occupied()")
    ticket = lot.park("M1", "motorcycle")
    expect((ticket.ticket_id, ticket.spot_id), (2, "0-small-1"),
           "park('M1', 'motorcycle') (ticket_id, spot_id)")
    clock.advance(1)
    expect(lot.leave(1).fee, 300, "leave(1).fee")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
def test_threads_parking_and_leaving_never_share_or_lose_a_spot(impl, run_threads,
                                                               frequent_thread_switches):
    def clock() -> float:
        time.sleep(1e-6)  # lets the other threads run in the middle of a park or a leave
        return 1000.0

    lot = impl.ParkingLot([{"small": 1, "medium": 2, "large": 1}] * 2, rates=dict(RATES),
                          clock=clock)  # 8 spots for 8 threads that want 2 each: a crowd
    guard = threading.Lock()
    holders: dict[str, str] = {}
    clashes: list[str] = []
    issued: list[int] = []

    def depart(held: collections.deque) -> None:
        gone = held.popleft()
        with guard:
            holders.pop(gone.spot_id, None)  # before leave(): from then on the spot is free
        lot.leave(gone.ticket_id)

    def driver(t: int) -> None:
        held: collections.deque = collections.deque()
        for i in range(120):
            kind = ("motorcycle", "car", "car", "van")[(t + i) % 4]
            ticket, error = attempt(lot.park, f"T{t}-{i}", kind)
            if error is not None and not isinstance(error, impl.LotFullError):
                raise error
            if ticket is not None:
                with guard:
                    issued.append(ticket.ticket_id)
                    if ticket.spot_id in holders:
                        clashes.append(f"{ticket.spot_id} given to {ticket.plate} while "
                                       f"{holders[ticket.spot_id]} holds it")
                    holders[ticket.spot_id] = ticket.plate
                held.append(ticket)
            if len(held) == 2 or (ticket is None and held):
                depart(held)
        while held:
            depart(held)

    run_threads(8, driver)
    assert not clashes, f"8 threads parking at once: {clashes[0]} ({len(clashes)} clashes)"
    free = lot.free_spots()
    assert free == {"small": 2, "medium": 4, "large": 2}, \
        f"after 8 threads parked and left every vehicle, free_spots() returned {free!r}, " \
        f"expected all 8 spots free"
    assert sorted(issued) == list(range(1, len(issued) + 1)), \
        f"8 threads got {len(issued)} tickets with ids from {min(issued)} to {max(issued)} and " \
        f"{len(issued) - len(set(issued))} repeats, expected 1 to {len(issued)} once each"


# --- extension ----------------------------------------------------------------------------------


@pytest.mark.extension
def test_set_rate_applies_to_vehicles_that_enter_afterwards(lot_of, clock):
    lot = lot_of([{"medium": 2, "large": 1}])
    before = lot.park("C1", "car")
    lot.set_rate("car", 450)
    after = lot.park("C2", "car")
    van = lot.park("V1", "van")
    clock.advance(3600.5)
    fees = [lot.leave(t.ticket_id).fee for t in (before, after, van)]
    assert fees == [600, 900, 1_000], \
        f"2 started hours for a car parked before set_rate('car', 450), one after, and a van " \
        f"billed {fees!r}, expected [600, 900, 1000]"


@pytest.mark.extension
@pytest.mark.parametrize("args, error, named", [
    (("bus", 100), ValueError, "bus"), ((None, 100), TypeError, "None"),
    (("car", -5), ValueError, "-5"), (("car", 2.5), TypeError, "2.5"),
    (("car", True), TypeError, "True"), (("car", "100"), TypeError, "100"),
], ids=["unknown-kind", "kind-None", "negative", "float", "bool", "str"])
def test_set_rate_refuses_bad_kinds_and_cents_and_changes_nothing(lot_of, call, args, error, named):
    lot = lot_of([{"medium": 1}])
    call.raises(error, lot.set_rate, *args, naming=named)
    ticket = lot.park("C1", "car")
    expect(lot.leave(ticket.ticket_id).fee, 300, "leave(1).fee")


@pytest.mark.extension
@pytest.mark.parametrize("hours, cap, fee", [
    (1, 1_000, 300), (3, 1_000, 900), (4, 1_000, 1_000), (24, 1_000, 1_000),
    (25, 1_000, 1_300), (28, 1_000, 2_000), (48, 1_000, 2_000), (49, 1_000, 2_300),
    (30, 10_000, 9_000), (5, 0, 0),
])
def test_the_daily_cap_limits_each_whole_day_and_the_rest(lot_of, clock, hours, cap, fee):
    lot = lot_of([{"medium": 1}], daily_cap=cap)
    ticket = lot.park("C1", "car")
    clock.advance(hours * 3600 - 0.5)
    got = lot.leave(ticket.ticket_id).fee
    assert got == fee, f"a car at 300/h for {hours} started hours with daily_cap={cap} was " \
                       f"billed {got!r}, expected {fee}"


@pytest.mark.extension
def test_the_daily_cap_uses_the_rate_at_entry(lot_of, clock):
    lot = lot_of([{"large": 2}], daily_cap=5_000)
    first = lot.park("V1", "van")
    lot.set_rate("van", 100)
    second = lot.park("V2", "van")
    clock.advance(30 * 3600)
    fees = [lot.leave(t.ticket_id).fee for t in (first, second)]
    assert fees == [8_000, 2_400 + 600], \
        f"30 h for vans at 500/h and (after set_rate) 100/h with daily_cap=5000 billed " \
        f"{fees!r}, expected [8000, 3000]"


@pytest.mark.extension
@pytest.mark.parametrize("cap, error, named", [
    (-1, ValueError, "-1"), (10.0, TypeError, "10.0"), (True, TypeError, "True"),
    ("100", TypeError, "100"),
], ids=["negative", "float", "bool", "str"])
def test_a_bad_daily_cap_is_refused(impl, call, cap, error, named):
    call.raises(error, impl.ParkingLot, [{"medium": 1}], rates=dict(RATES), daily_cap=cap,
                naming=named)


@pytest.mark.extension
def test_level_summary_counts_the_free_spots_of_each_level(lot_of, call):
    lot = lot_of([{"small": 1, "medium": 1}, {}, {"medium": 2, "large": 1}])
    lot.park("C1", "car")
    lot.park("C2", "car")
    lot.park("V1", "van")
    want = [{"small": 1, "medium": 0, "large": 0}, {"small": 0, "medium": 0, "large": 0},
            {"small": 0, "medium": 1, "large": 0}]
    call.returns(want, lot.level_summary)
    lot.leave(1)
    want[0]["medium"] = 1
    call.returns(want, lot.level_summary)


@pytest.mark.extension
def test_level_summary_is_a_new_list_of_new_dicts(lot_of, call):
    lot = lot_of([{"medium": 1}, {"large": 1}])
    board = lot.level_summary()
    board[0]["medium"] = 7
    board.append({})
    want = [{"small": 0, "medium": 1, "large": 0}, {"small": 0, "medium": 0, "large": 1}]
    call.returns(want, lot.level_summary)
    expect(lot.park("C1", "car").spot_id, "0-medium-1", "park('C1', 'car').spot_id")


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(20)
def test_park_and_leave_do_not_scan_the_spots(impl, new_clock, timed):
    def half_full(spots: int):
        """A lot of `spots` medium spots, 100 per level, its lower half taken: the lowest free
        spot is in the middle, past every taken one."""
        lot = impl.ParkingLot([{"medium": 100}] * (spots // 100), rates=dict(RATES),
                              clock=new_clock())
        tickets = [lot.park(f"P{i}", "car") for i in range(spots)]
        for ticket in tickets[spots // 2:]:
            lot.leave(ticket.ticket_id)

        def cycles() -> None:
            for _ in range(200):
                lot.leave(lot.park("CYCLE", "car").ticket_id)

        return cycles

    ratio = timed.ratio(half_full(100_000), half_full(1_000), at_most=3)
    assert ratio < 3, f"200 x park() and leave() took {ratio:.1f}x as long in a half-full lot " \
                      f"of 100,000 spots as in one of 1,000, expected under 3x: no scans"


# --- change request: electric-vehicle charging spots ---------------------------------------------


@pytest.mark.change
def test_change_ev_spots_are_the_first_of_their_size_on_each_level(lot_of):
    lot = lot_of([{"medium": 3, "ev": {"medium": 1}}, {"small": 2, "large": 2,
                                                        "ev": {"large": 2}}])
    got = [(t.spot_id, t.charging) for t in
           [lot.park(f"E{i}", "car", ev=True) for i in range(4)] + [lot.park("C1", "car")]]
    want = [("0-medium-1", True), ("1-large-1", True), ("1-large-2", True),
            ("0-medium-2", False), ("0-medium-3", False)]
    assert got == want, f"four cars with ev=True then one without got (spot_id, charging) " \
                        f"{got!r}, expected {want!r}"


@pytest.mark.change
def test_change_an_ev_takes_an_ev_spot_before_a_smaller_regular_one(lot_of):
    lot = lot_of([{"small": 1, "medium": 1}, {"large": 1, "ev": {"large": 1}}])
    ticket = lot.park("E1", "motorcycle", ev=True)
    assert (ticket.spot_id, ticket.charging) == ("1-large-1", True), \
        f"park('E1', 'motorcycle', ev=True) returned {ticket!r}, expected the EV spot " \
        f"'1-large-1' (charging) before the free regular small spot"


@pytest.mark.change
def test_change_an_ev_takes_a_regular_spot_when_no_ev_spot_fits_and_is_not_charged(lot_of,
                                                                                    clock):
    lot = lot_of([{"small": 1, "medium": 1, "ev": {"small": 1}}], charge_rate=200)
    ticket = lot.park("E1", "car", ev=True)
    assert (ticket.spot_id, ticket.charging) == ("0-medium-1", False), \
        f"park('E1', 'car', ev=True) with only a small EV spot returned {ticket!r}, expected " \
        f"the regular spot '0-medium-1', not charging"
    clock.advance(7200)
    fee = lot.leave(ticket.ticket_id).fee
    assert fee == 600, f"2 h for an EV car in a regular spot billed {fee!r}, expected 600 " \
                       f"(no charging)"


@pytest.mark.change
def test_change_other_vehicles_take_an_ev_spot_only_when_no_regular_spot_fits(impl, lot_of,
                                                                             call):
    lot = lot_of([{"medium": 2, "ev": {"medium": 1}}, {"large": 1}])
    got = [(t.spot_id, t.charging) for t in
           [lot.park("C1", "car"), lot.park("C2", "car", ev=False), lot.park("C3", "car")]]
    want = [("0-medium-2", False), ("1-large-1", False), ("0-medium-1", False)]
    assert got == want, f"three cars without ev got (spot_id, charging) {got!r}, expected " \
                        f"{want!r}: regular spots of any size before an EV spot"
    call.raises(impl.LotFullError, lot.park, "C4", "car", ev=True, naming="car")


@pytest.mark.change
def test_change_a_charging_vehicle_pays_charge_rate_per_started_hour(lot_of, clock):
    lot = lot_of([{"medium": 2, "large": 1, "ev": {"medium": 2}}], charge_rate=120)
    charging = lot.park("E1", "car", ev=True)
    quick = lot.park("E2", "car", ev=True)
    regular = lot.park("E3", "car", ev=True)
    fees = [lot.leave(quick.ticket_id).fee]
    clock.advance(2.5 * 3600)
    fees += [lot.leave(t.ticket_id).fee for t in (charging, regular)]
    assert fees == [420, 1_260, 900], \
        f"with charge_rate=120, EV cars charging for 0 s and 2.5 h and one in a regular spot " \
        f"for 2.5 h billed {fees!r}, expected [420, 1260, 900]"


@pytest.mark.change
def test_change_free_spots_and_can_park_count_ev_spots_like_any_other(lot_of, call):
    lot = lot_of([{"small": 1, "large": 1, "ev": {"small": 1, "large": 1}}])
    call.returns({"small": 1, "medium": 0, "large": 1}, lot.free_spots)
    call.returns(True, lot.can_park, "van")
    lot.park("M1", "motorcycle")
    call.returns(True, lot.can_park, "van")
    lot.park("C1", "car")
    call.returns(False, lot.can_park, "van")
    call.returns({"small": 0, "medium": 0, "large": 0}, lot.free_spots)


@pytest.mark.change
@pytest.mark.parametrize("levels, options, error, named", [
    ([{"medium": 1, "ev": {"medium": 2}}], {}, ValueError, "2"),
    ([{"ev": {"small": 1}}, {"small": 3}], {}, ValueError, "1"),
    ([{"medium": 1, "ev": {"huge": 1}}], {}, ValueError, "huge"),
    ([{"medium": 1, "ev": {"medium": -1}}], {}, ValueError, "-1"),
    ([{"medium": 1, "ev": {"medium": True}}], {}, TypeError, "True"),
    ([{"medium": 1, "ev": ["medium"]}], {}, TypeError, "medium"),
    ([{"medium": 1}], {"charge_rate": -1}, ValueError, "-1"),
    ([{"medium": 1}], {"charge_rate": 1.5}, TypeError, "1.5"),
], ids=["more-ev-than-spots", "ev-without-spots", "ev-unknown-size", "ev-negative", "ev-bool",
        "ev-list", "charge-negative", "charge-float"])
def test_change_bad_ev_settings_are_refused(impl, call, levels, options, error, named):
    call.raises(error, impl.ParkingLot, levels, rates=dict(RATES), naming=named, **options)


@pytest.mark.change
@pytest.mark.parametrize("ev", [1, "yes", None], ids=["int", "str", "None"])
def test_change_ev_must_be_a_bool(lot_of, call, ev):
    lot = lot_of([{"medium": 1, "ev": {"medium": 1}}])
    call.raises(TypeError, lot.park, "E1", "car", ev=ev, naming=repr(ev).strip("'"))
    call.returns(None, lot.locate, "E1")


@pytest.mark.change
@pytest.mark.parametrize("seed", [1, 2])
def test_change_random_operations_with_ev_spots_agree_with_a_model(impl, clock, seed):
    rng = random.Random(seed)
    levels = random_levels(rng)
    ev_levels = [{size: rng.randint(0, count) for size, count in level.items()}
                 for level in levels]
    with_ev = [{**level, "ev": ev} for level, ev in zip(levels, ev_levels, strict=True)]
    lot = impl.ParkingLot(with_ev, rates=dict(RATES), clock=clock)
    compare_with_model(lot, LotModel(levels, ev_levels), rng, clock, impl, 1_500, ev_flags=True)
