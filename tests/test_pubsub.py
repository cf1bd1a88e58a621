"""Grades a publish/subscribe event bus (katas/pubsub.py): run with --impl to grade your copy."""

from __future__ import annotations

import contextlib
import logging
import random
import reprlib
import threading

import pytest


@pytest.fixture
def bus(impl):
    return impl.PubSub()


@pytest.fixture
def make_async(impl):
    """``make_async(**options)``: an AsyncPubSub that is closed after the test."""
    buses = []

    def make(**options):
        created = impl.AsyncPubSub(**options)
        buses.append(created)
        return created

    yield make
    for created in buses:
        with contextlib.suppress(Exception):  # the test's own failure is the one to report
            created.close(timeout=2)


def matches(pattern: str, topic: str) -> bool:
    """AMQP topic matching, written the obvious recursive way: the model for wildcard tests."""
    parts, words = pattern.split("."), topic.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(words)
        if parts[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(words) + 1))
        return j < len(words) and parts[i] in ("*", words[j]) and match(i + 1, j + 1)

    return match(0, 0)


def returns(expected, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` must return `expected`; an exception it raises fails the test
    naming the call too (for calls where raising is the likely bug)."""
    __tracebackhide__ = True
    shown = [reprlib.repr(a) for a in args] + [f"{k}={reprlib.repr(v)}" for k, v in kwargs.items()]
    described = f"{fn.__name__}({', '.join(shown)})"
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:  # reported as what the call did instead
        pytest.fail(f"{described} raised {type(exc).__name__}: {exc}; expected {expected!r}")
    if result != expected:
        pytest.fail(f"{described} returned {result!r}, expected {expected!r}")
    return result


def payloads(messages) -> list:
    return [message.payload for message in messages]


def unsubscribe_on_another_thread(bus, sub_id):
    """Start ``bus.unsubscribe(sub_id)`` on a thread: (results, the event set once it returns)."""
    results, calling, returned = [], threading.Event(), threading.Event()

    def run():
        calling.set()
        results.append(bus.unsubscribe(sub_id))
        returned.set()

    threading.Thread(target=run, daemon=True).start()
    calling.wait(3)
    return results, returned


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_publish_calls_every_subscriber_in_subscription_order_with_one_message(impl, bus, call):
    calls = []
    for name in "abc":
        bus.subscribe("orders.created", lambda message, name=name: calls.append((name, message)))
    bus.subscribe("orders.shipped", lambda message: calls.append(("shipped", message)))
    payload = {"id": 7}
    call.returns(3, bus.publish, "orders.created", payload)
    order = [name for name, _ in calls]
    assert order == ["a", "b", "c"], \
        f"publish('orders.created', ...) called handlers {order}, expected ['a', 'b', 'c']"
    expected = impl.Message("orders.created", payload, 1)
    wrong = [message for _, message in calls if message != expected]
    assert not wrong, f"publish('orders.created', {payload!r}) passed {wrong[0]!r}, " \
                      f"expected {expected!r}"
    assert calls[0][1].payload is payload, \
        "publish('orders.created', payload) passed a copy of the payload, expected the payload"


@pytest.mark.core
def test_publish_returns_zero_without_subscribers_and_seq_counts_every_publish(bus, call):
    seen = []
    call.returns(0, bus.publish, "nobody.listens", 1)
    bus.subscribe("orders", seen.append)
    call.returns(1, bus.publish, "orders", "a")
    call.returns(0, bus.publish, "elsewhere", "b")
    call.returns(1, bus.publish, "orders", "c")
    got = [(m.topic, m.payload, m.seq) for m in seen]
    assert got == [("orders", "a", 2), ("orders", "c", 4)], \
        f"publishes 2 and 4 delivered {got}, expected [('orders', 'a', 2), ('orders', 'c', 4)]: " \
        f"seq counts every publish"


@pytest.mark.core
def test_subscription_ids_are_unique_ints_never_reused(bus, call):
    first = bus.subscribe("a", print)
    second = bus.subscribe("b", print)
    call.returns(True, bus.unsubscribe, second)
    third = bus.subscribe("b", print)
    ids = [first, second, third]
    assert all(type(i) is int for i in ids), f"subscribe returned ids {ids!r}, expected ints"
    assert len(set(ids)) == 3, f"subscribe returned ids {ids}: the id {second} was reused"


@pytest.mark.core
def test_unsubscribe_stops_delivery_and_reports_whether_it_was_active(bus, call):
    seen = []
    sub = bus.subscribe("orders", seen.append)
    bus.publish("orders", 1)
    call.returns(True, bus.unsubscribe, sub)
    call.returns(0, bus.publish, "orders", 2)
    assert payloads(seen) == [1], \
        f"the handler got {payloads(seen)} after unsubscribe({sub}), expected [1]"
    call.returns(False, bus.unsubscribe, sub)
    call.returns(False, bus.unsubscribe, sub + 1000)


@pytest.mark.core
def test_same_handler_subscribed_twice_is_two_subscriptions(bus, call):
    seen = []
    first = bus.subscribe("orders", seen.append)
    bus.subscribe("orders", seen.append)
    call.returns(2, bus.publish, "orders", "x")
    call.returns(True, bus.unsubscribe, first)
    call.returns(1, bus.publish, "orders", "y")
    assert payloads(seen) == ["x", "x", "y"], \
        f"one handler subscribed twice got {payloads(seen)}, expected ['x', 'x', 'y']"
    call.returns(1, bus.subscriber_count, "orders")


@pytest.mark.core
def test_handler_error_goes_to_on_error_and_the_other_handlers_still_run(impl):
    reports = []
    bus = impl.PubSub(on_error=lambda sub, message, exc: reports.append((sub, message, exc)))
    seen = []
    bus.subscribe("orders", seen.append)
    failing = bus.subscribe("orders", lambda message: 1 / 0)
    bus.subscribe("orders", seen.append)
    returns(3, bus.publish, "orders", "x")  # the failing handler counts as called
    assert len(seen) == 2, f"publish('orders', 'x') called {len(seen)} of the 2 healthy handlers"
    got = [(sub, message.payload, type(exc)) for sub, message, exc in reports]
    assert got == [(failing, "x", ZeroDivisionError)], \
        f"on_error got (id, payload, error type) {got}, expected " \
        f"[({failing}, 'x', ZeroDivisionError)]"


@pytest.mark.core
def test_topics_and_subscriber_count_reflect_the_subscriptions(bus, call):
    call.returns([], bus.topics)
    call.returns(0, bus.subscriber_count, "orders")
    bus.subscribe("orders.shipped", print)
    first = bus.subscribe("orders.created", print)
    bus.subscribe("orders.created", print)
    call.returns(["orders.created", "orders.shipped"], bus.topics)
    call.returns(2, bus.subscriber_count, "orders.created")
    bus.unsubscribe(first)
    call.returns(1, bus.subscriber_count, "orders.created")


@pytest.mark.core
def test_topics_match_whole_never_by_prefix(bus, call):
    seen = []
    bus.subscribe("orders", lambda m: seen.append(("orders", m.topic)))
    bus.subscribe("orders.created", lambda m: seen.append(("orders.created", m.topic)))
    call.returns(1, bus.publish, "orders.created", 1)
    call.returns(0, bus.publish, "orders.created.eu", 2)
    call.returns(1, bus.publish, "orders", 3)
    assert seen == [("orders.created", "orders.created"), ("orders", "orders")], \
        f"(subscription, message topic) pairs {seen}: topics must match whole"


@pytest.mark.core
def test_random_operations_match_a_simple_model(bus):
    rng = random.Random(20240601)
    topics = ["a", "b", "a.b", "a.b.c", "c-d", "x_1.y"]
    model: dict[int, str] = {}  # active subscription id -> topic, in subscription order
    used_ids: list[int] = []
    calls: list[tuple[int, int, str, int]] = []
    seq = 0
    for step in range(2000):
        roll = rng.random()
        if roll < 0.3:
            topic, box = rng.choice(topics), []
            sub = bus.subscribe(topic, lambda m, box=box: calls.append((box[0], m.seq, m.topic,
                                                                         m.payload)))
            box.append(sub)
            assert sub not in model and sub not in used_ids[-50:], \
                f"step {step}: subscribe({topic!r}, ...) returned {sub}, an id already used"
            used_ids.append(sub)
            model[sub] = topic
        elif roll < 0.6 and used_ids:
            # mostly active ids, sometimes ended or never-issued ones
            sub = rng.choice([*model] if model and rng.random() < 0.8
                             else [*used_ids[-20:], used_ids[-1] + 1])
            got = bus.unsubscribe(sub)
            assert got is (sub in model), \
                f"step {step}: unsubscribe({sub}) returned {got!r}, expected {sub in model}"
            model.pop(sub, None)
        else:
            topic = rng.choice(topics)
            seq += 1
            expected = [sub for sub, wanted in model.items() if wanted == topic]
            got = bus.publish(topic, step)
            assert got == len(expected), \
                f"step {step}: publish({topic!r}, {step}) returned {got}, expected {len(expected)}"
            assert calls == [(sub, seq, topic, step) for sub in expected], \
                f"step {step}: publish({topic!r}, {step}) made the calls (id, seq, topic, " \
                f"payload) {calls}, expected subscriptions {expected} with seq {seq}"
            calls.clear()
        probe = rng.choice(topics)
        want = sum(t == probe for t in model.values())
        got = bus.subscriber_count(probe)
        assert got == want, f"step {step}: subscriber_count({probe!r}) returned {got}, " \
                            f"expected {want}"
        got = bus.topics()
        assert got == sorted(set(model.values())), \
            f"step {step}: topics() returned {got}, expected {sorted(set(model.values()))}"


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_handler_unsubscribing_itself_does_not_make_the_next_handler_miss_out(bus, call):
    seen = []
    box = []
    box.append(bus.subscribe("orders", lambda m: (seen.append("once"), bus.unsubscribe(box[0]))))
    bus.subscribe("orders", lambda m: seen.append("next"))
    bus.subscribe("orders", lambda m: seen.append("last"))
    call.returns(3, bus.publish, "orders", 1)
    assert seen == ["once", "next", "last"], \
        f"a handler unsubscribed itself: publish('orders', 1) called {seen}, expected " \
        f"['once', 'next', 'last']"
    call.returns(2, bus.publish, "orders", 2)


@pytest.mark.edge
def test_handler_unsubscribing_a_later_subscriber_skips_it_in_that_publish(bus, call):
    seen = []
    victim = []
    bus.subscribe("orders", lambda m: (seen.append("first"), bus.unsubscribe(victim[0])))
    bus.subscribe("orders", lambda m: seen.append("second"))
    victim.append(bus.subscribe("orders", lambda m: seen.append("victim")))
    call.returns(2, bus.publish, "orders", 1)
    assert seen == ["first", "second"], \
        f"publish('orders', 1) called {seen}: the victim was unsubscribed before its turn"


@pytest.mark.edge
def test_subscription_added_during_a_publish_first_hears_the_next_publish(bus, call):
    seen = []
    added = []

    def recruit(message):
        if not added:
            added.append(bus.subscribe("orders", lambda m: seen.append(("new", m.payload))))
        seen.append(("recruiter", message.payload))

    bus.subscribe("orders", recruit)
    call.returns(1, bus.publish, "orders", 1)
    call.returns(2, bus.publish, "orders", 2)
    assert seen == [("recruiter", 1), ("recruiter", 2), ("new", 2)], \
        f"calls {seen}: a subscription added during publish 1 must first hear publish 2"


@pytest.mark.edge
def test_handler_may_publish_from_inside_a_handler(bus, call):
    seen = []
    bus.subscribe("orders.created", lambda m: bus.publish("audit", m.payload))
    bus.subscribe("audit", lambda m: seen.append((m.payload, m.seq)))
    call.returns(1, bus.publish, "orders.created", "x")
    assert seen == [("x", 2)], \
        f"a handler's publish('audit', 'x') delivered (payload, seq) {seen}, expected [('x', 2)]"


@pytest.mark.edge
def test_handler_errors_without_on_error_are_logged_at_error_level(bus, caplog):
    def failing(message):
        raise RuntimeError("kaboom-7")

    seen = []
    bus.subscribe("orders", failing)
    bus.subscribe("orders", seen.append)
    with caplog.at_level(logging.ERROR):
        returns(2, bus.publish, "orders", 1)
    assert len(seen) == 1, "publish('orders', 1) skipped the handler after a failing one"
    assert any(record.levelno >= logging.ERROR for record in caplog.records), \
        "publish('orders', 1): a handler raised RuntimeError('kaboom-7') and nothing was " \
        "logged at ERROR level"
    assert "kaboom-7" in caplog.text, \
        f"the ERROR log of a handler's RuntimeError('kaboom-7') lacks its message: " \
        f"{caplog.text[:200]!r}"


@pytest.mark.edge
def test_on_error_that_raises_is_logged_and_delivery_goes_on(impl, caplog):
    def broken_on_error(sub, message, exc):
        raise ValueError("on-error-broke")

    bus = impl.PubSub(on_error=broken_on_error)
    seen = []
    bus.subscribe("orders", lambda m: 1 / 0)
    bus.subscribe("orders", seen.append)
    with caplog.at_level(logging.ERROR):
        returns(2, bus.publish, "orders", 1)
    assert len(seen) == 1, "publish('orders', 1) skipped the handler after a failing one"
    assert "on-error-broke" in caplog.text, \
        "on_error raised ValueError('on-error-broke') and nothing logged it at ERROR level"


@pytest.mark.edge
def test_last_unsubscribe_removes_the_topic(bus, call):
    first = bus.subscribe("orders", print)
    second = bus.subscribe("orders", print)
    bus.unsubscribe(first)
    call.returns(["orders"], bus.topics)
    bus.unsubscribe(second)
    call.returns([], bus.topics)
    call.returns(0, bus.subscriber_count, "orders")
    call.returns(0, bus.publish, "orders", 1)


@pytest.mark.edge
def test_huge_or_negative_subscription_ids_are_simply_unknown(bus, call):
    bus.subscribe("orders", print)
    for sub_id in (10**400, -1, 0):
        call.returns(False, bus.unsubscribe, sub_id)
    call.returns(1, bus.subscriber_count, "orders")


# --- errors -------------------------------------------------------------------------------------


MALFORMED = ["", "orders.", ".orders", "orders..created", "orders created", "orders/created",
             "or*ders", "orders.cre#ated", "orders.**", "orders.#x"]


@pytest.mark.errors
def test_malformed_topics_are_value_errors_naming_the_topic(bus, call):
    for topic in MALFORMED:
        call.raises(ValueError, bus.subscribe, topic, print, naming=topic)
        call.raises(ValueError, bus.publish, topic, 1, naming=topic)
        call.raises(ValueError, bus.subscriber_count, topic, naming=topic)


@pytest.mark.errors
def test_publish_needs_a_concrete_topic(bus, call):
    for topic in ["orders.*", "#", "orders.#.created"]:
        call.raises(ValueError, bus.publish, topic, 1, naming=topic)
        call.raises(ValueError, bus.subscriber_count, topic, naming=topic)


@pytest.mark.errors
def test_wrong_argument_types_are_type_errors_naming_the_value(impl, bus, call):
    call.raises(TypeError, bus.subscribe, 42, print, naming="42")
    call.raises(TypeError, bus.subscribe, "orders", "not-callable", naming="not-callable")
    call.raises(TypeError, bus.publish, None, 1, naming="None")
    call.raises(TypeError, bus.subscriber_count, ["orders"], naming="orders")
    call.raises(TypeError, bus.unsubscribe, "7", naming="7")
    call.raises(TypeError, bus.unsubscribe, 1.0, naming="1.0")
    call.raises(TypeError, bus.unsubscribe, True, naming="True")  # bool is not an id
    call.raises(TypeError, impl.PubSub, on_error=3, naming="3")


@pytest.mark.errors
def test_rejected_calls_change_nothing(bus, call):
    call.raises(TypeError, bus.subscribe, "orders", None)
    call.raises(ValueError, bus.subscribe, "bad..", print)
    call.raises(ValueError, bus.publish, "bad..", 1)
    call.raises(TypeError, bus.publish, 3, 1)
    call.returns([], bus.topics)
    seen = []
    bus.subscribe("orders", seen.append)
    bus.publish("orders", 1)
    seqs = [m.seq for m in seen]
    assert seqs == [1], f"the first accepted publish had seq {seqs}, expected [1]: the rejected " \
                        f"publishes used up seqs"


# --- extension: wildcards -----------------------------------------------------------------------


WILDCARD_TABLE = [
    ("orders.*", "orders.created", True),
    ("orders.*", "orders", False),
    ("orders.*", "orders.eu.created", False),
    ("orders.*", "ordersx.created", False),
    ("orders.#", "orders", True),
    ("orders.#", "orders.created", True),
    ("orders.#", "orders.eu.created", True),
    ("orders.#", "shipping.orders", False),
    ("#", "orders", True),
    ("#", "a.b.c.d", True),
    ("*", "orders", True),
    ("*", "orders.created", False),
    ("*.created", "orders.created", True),
    ("*.created", "created", False),
    ("#.created", "created", True),
    ("#.created", "a.b.created", True),
    ("#.created", "created.late", False),
    ("orders.#.created", "orders.created", True),
    ("orders.#.created", "orders.eu.west.created", True),
    ("orders.#.created", "orders.eu.shipped", False),
    ("*.*", "a.b", True),
    ("*.*", "a", False),
    ("*.*", "a.b.c", False),
    ("a.*.#", "a", False),
    ("a.*.#", "a.b", True),
    ("a.*.#", "a.b.c.d", True),
    ("#.*.b", "b", False),
    ("#.#", "a", True),
    ("a.#.#.b", "a.b", True),
]


@pytest.mark.extension
def test_wildcard_patterns_follow_amqp_rules(impl):
    for pattern, topic, expected in WILDCARD_TABLE:
        assert matches(pattern, topic) is expected, f"the table is wrong on {pattern} ~ {topic}"
        bus = impl.PubSub()
        seen = []
        bus.subscribe(pattern, seen.append)
        want, verdict = int(expected), "matches" if expected else "does not match"
        got = bus.publish(topic, None)
        assert (got, len(seen)) == (want, want), \
            f"publish({topic!r}, None) returned {got} and called {len(seen)} handlers, expected " \
            f"{want}: the pattern {pattern!r} {verdict} it"
        got = bus.subscriber_count(topic)
        assert got == want, f"subscriber_count({topic!r}) returned {got}, expected {want}: the " \
                            f"pattern {pattern!r} {verdict} it"


@pytest.mark.extension
def test_exact_and_wildcard_subscribers_are_called_once_each_in_subscription_order(bus, call):
    seen = []
    for pattern in ["a.b", "a.*", "#", "a.b", "a.#", "b.*"]:
        bus.subscribe(pattern, lambda m, pattern=pattern: seen.append(pattern))
    call.returns(5, bus.publish, "a.b", 1)
    assert seen == ["a.b", "a.*", "#", "a.b", "a.#"], \
        f"publish('a.b', 1) called the patterns {seen}, expected " \
        f"['a.b', 'a.*', '#', 'a.b', 'a.#'] (subscription order, each once)"
    seen.clear()
    call.returns(2, bus.publish, "a", 2)
    assert seen == ["#", "a.#"], f"publish('a', 2) called the patterns {seen}, expected " \
                                 f"['#', 'a.#']"
    call.returns(5, bus.subscriber_count, "a.b")
    call.returns(["#", "a.#", "a.*", "a.b", "b.*"], bus.topics)


@pytest.mark.extension
def test_wildcard_subscription_unsubscribes_like_any_other(bus, call):
    seen = []
    box = []
    box.append(bus.subscribe("orders.#", lambda m: (seen.append("wild"), bus.unsubscribe(box[0]))))
    bus.subscribe("orders.created", lambda m: seen.append("exact"))
    call.returns(2, bus.publish, "orders.created", 1)
    call.returns(1, bus.publish, "orders.created", 2)
    assert seen == ["wild", "exact", "exact"], \
        f"calls {seen}, expected ['wild', 'exact', 'exact']: the wildcard handler " \
        f"unsubscribed itself"
    call.returns(["orders.created"], bus.topics)
    call.returns(False, bus.unsubscribe, box[0])


@pytest.mark.extension
def test_random_operations_with_wildcards_match_a_simple_model(bus):
    rng = random.Random(7)
    patterns = ["a", "a.b", "a.*", "a.#", "*", "#", "*.b", "#.c", "a.*.c", "b.#.b", "*.#", "c"]
    topics = ["a", "b", "c", "a.b", "a.c", "b.b", "a.b.c", "a.x.c", "b.x.b", "b.x.y.b"]
    match = {(p, t): matches(p, t) for p in patterns for t in topics}
    model: dict[int, str] = {}
    ended: list[int] = []
    calls: list[tuple[int, int]] = []
    for step in range(1000):
        roll = rng.random()
        if roll < 0.25:
            pattern, box = rng.choice(patterns), []
            sub = bus.subscribe(pattern, lambda m, box=box: calls.append((box[0], m.payload)))
            box.append(sub)
            model[sub] = pattern
        elif roll < 0.55 and (model or ended):
            sub = rng.choice([*model] if model and rng.random() < 0.8 else ended[-20:] or [*model])
            got = bus.unsubscribe(sub)
            assert got is (sub in model), \
                f"step {step}: unsubscribe({sub}) returned {got!r}, expected {sub in model}"
            if model.pop(sub, None) is not None:
                ended.append(sub)
        else:
            topic = rng.choice(topics)
            expected = [sub for sub, pattern in model.items() if match[pattern, topic]]
            got = bus.publish(topic, step)
            called = [sub for sub, _ in calls]
            assert (got, called) == (len(expected), expected), \
                f"step {step}: publish({topic!r}, {step}) returned {got} and called {called}, " \
                f"expected {expected} (patterns {[model[s] for s in expected]})"
            calls.clear()
        probe = rng.choice(topics)
        want = sum(match[p, probe] for p in model.values())
        got = bus.subscriber_count(probe)
        assert got == want, f"step {step}: subscriber_count({probe!r}) returned {got}, " \
                            f"expected {want}"
        got = bus.topics()
        assert got == sorted(set(model.values())), \
            f"step {step}: topics() returned {got}, expected {sorted(set(model.values()))}"


# --- extension: AsyncPubSub ---------------------------------------------------------------------


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_publish_only_queues_and_handlers_run_on_another_thread(impl, make_async, call):
    bus = make_async()
    assert isinstance(bus, impl.PubSub), "AsyncPubSub is not a subclass of PubSub"
    gate, done = threading.Event(), threading.Event()
    ran_on = []

    def handler(message):
        ran_on.append(threading.current_thread())
        gate.wait(2)
        done.set()

    bus.subscribe("orders", handler)
    bus.subscribe("elsewhere", handler)
    call.returns(1, bus.publish, "orders", 1)
    assert not done.is_set(), "publish('orders', 1) waited for the handler instead of queueing"
    gate.set()
    call.returns(True, bus.flush, timeout=5)
    assert done.is_set(), "flush(timeout=5) returned True before the handler finished"
    assert ran_on[0] is not threading.current_thread(), \
        "the handler ran on the publishing thread, expected its worker thread"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_messages_arrive_in_publish_order_with_wildcards_too(make_async, call):
    bus = make_async()
    exact, wild = [], []
    bus.subscribe("orders.created", lambda m: exact.append((m.payload, m.seq)))
    bus.subscribe("orders.#", lambda m: wild.append((m.payload, m.seq)))
    for i in range(200):
        call.returns(2 if i % 2 else 1, bus.publish, "orders.created" if i % 2 else "orders", i)
    call.returns(True, bus.flush, timeout=5)
    assert wild == [(i, i + 1) for i in range(200)], \
        f"'orders.#' got (payload, seq) {wild[:6]}..., expected [(0, 1), (1, 2), ...] in order"
    assert exact == [(i, i + 1) for i in range(1, 200, 2)], \
        f"'orders.created' got (payload, seq) {exact[:6]}..., expected [(1, 2), (3, 4), ...]"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_failing_handler_reports_to_on_error_and_keeps_its_worker(make_async, call):
    reports = []
    bus = make_async(on_error=lambda sub, message, exc: reports.append((sub, message.payload,
                                                                         type(exc))))
    seen = []

    def handler(message):
        if message.payload == 1:
            raise KeyError("boom")
        seen.append(message.payload)

    sub = bus.subscribe("orders", handler)
    for i in range(3):
        bus.publish("orders", i)
    call.returns(True, bus.flush, timeout=5)
    assert seen == [0, 2], f"the handler got {seen} around its failure on 1, expected [0, 2]"
    assert reports == [(sub, 1, KeyError)], \
        f"on_error got (id, payload, error type) {reports}, expected [({sub}, 1, KeyError)]"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_worker_survives_anything_its_handler_raises(make_async):
    reports = []
    bus = make_async(on_error=lambda sub, message, exc: reports.append((message.payload,
                                                                         type(exc))))
    seen = []

    def handler(message):
        if message.payload == "exit":
            raise SystemExit(3)
        if message.payload == "interrupt":
            raise KeyboardInterrupt
        seen.append(message.payload)

    bus.subscribe("orders", handler)
    for payload in ("exit", 1, "interrupt", 2):
        bus.publish("orders", payload)
    flushed = bus.flush(timeout=1)
    handled = len(seen) + len(reports)
    assert flushed is True, \
        f"flush(timeout=1) returned {flushed!r}: {4 - handled} of 4 messages never handled after " \
        f"the handler raised SystemExit; a worker must survive anything its handler raises"
    assert seen == [1, 2], f"the handler got {seen} around its SystemExit, expected [1, 2]"
    assert reports == [("exit", SystemExit), ("interrupt", KeyboardInterrupt)], \
        f"on_error got (payload, error type) {reports}, expected [('exit', SystemExit), " \
        f"('interrupt', KeyboardInterrupt)]"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_flush_returns_false_when_the_timeout_expires_first(make_async, call):
    bus = make_async()
    gate = threading.Event()
    bus.subscribe("orders", lambda m: gate.wait(5))
    bus.publish("orders", 1)
    call.returns(False, bus.flush, timeout=0.01)
    gate.set()
    call.returns(True, bus.flush, timeout=5)
    call.returns(True, bus.flush)


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_close_returns_false_on_timeout_and_can_be_retried(make_async, call):
    bus = make_async()
    gate = threading.Event()
    bus.subscribe("orders", lambda m: gate.wait(5))
    bus.publish("orders", 1)
    call.returns(False, bus.close, timeout=0.01)
    gate.set()
    call.returns(True, bus.close, timeout=5)


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_infinite_or_huge_timeouts_mean_no_limit(make_async):
    bus = make_async()
    seen = []
    bus.subscribe("orders", seen.append)
    bus.publish("orders", 1)
    for timeout in (float("inf"), 10**400, 1e300):
        returns(True, bus.flush, timeout=timeout)
    returns(True, bus.close, timeout=10**400)
    returns(True, bus.close, timeout=float("inf"))
    assert payloads(seen) == [1], f"the handler got {payloads(seen)}, expected [1]"


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_publish_and_subscribe_after_close_raise_closed_error(impl, make_async, call):
    bus = make_async()
    bus.subscribe("orders", print)
    call.returns(True, bus.close)
    call.raises(impl.PubSubClosedError, bus.publish, "orders.created", 1, naming="orders.created")
    call.raises(impl.PubSubClosedError, bus.subscribe, "audit", print, naming="audit")
    assert issubclass(impl.PubSubClosedError, impl.PubSubError), \
        "PubSubClosedError is not a subclass of PubSubError"
    call.returns(True, bus.close)  # closing again is harmless


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_bus_as_context_manager_closes_on_exit(impl, call):
    seen = []
    with impl.AsyncPubSub() as bus:
        bus.subscribe("orders", lambda m: seen.append(m.payload))
        call.returns(1, bus.publish, "orders", 1)
    assert seen == [1], f"leaving `with AsyncPubSub() as bus:` delivered {seen}, expected [1]"
    call.raises(impl.PubSubClosedError, bus.publish, "orders", 2, naming="orders")


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_flush_or_close_inside_a_handler_raises_instead_of_waiting_for_itself(impl,
                                                                                   make_async,
                                                                                   call):
    bus = make_async()
    outcomes = []

    def handler(message):
        for action in (bus.flush, bus.close):
            try:
                action(timeout=1)
            except impl.PubSubError as exc:
                outcomes.append((action.__name__, "raised", action.__name__ in str(exc)))
            except Exception as exc:  # noqa: BLE001 - reported below
                outcomes.append((action.__name__, type(exc).__name__, False))
            else:
                outcomes.append((action.__name__, "returned", False))

    bus.subscribe("orders", handler)
    bus.publish("orders", 1)
    call.returns(True, bus.flush, timeout=5)
    assert outcomes == [("flush", "raised", True), ("close", "raised", True)], \
        f"flush(timeout=1) and close(timeout=1) from a handler gave (call, outcome, message " \
        f"names it) {outcomes}, expected each to raise PubSubError naming the method"
    call.returns(1, bus.publish, "orders", 2)  # the refused close left the bus open


@pytest.mark.extension
def test_async_timeouts_are_checked(make_async, call):
    bus = make_async()
    call.raises(ValueError, bus.flush, timeout=-1, naming="-1")
    call.raises(ValueError, bus.close, timeout=float("nan"), naming="nan")
    call.raises(TypeError, bus.close, timeout="soon", naming="soon")
    call.raises(TypeError, bus.flush, timeout=True, naming="True")  # bool is not a number here
    call.returns(0, bus.publish, "orders", 1)  # the rejected close left the bus open


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_sync_bus_from_many_threads_loses_nothing_and_never_repeats_a_seq(bus, run_threads,
                                                                          call):
    first, second = [], []
    bus.subscribe("load", lambda m: first.append(m.seq))
    bus.subscribe("load", lambda m: second.append(m.seq))
    churned: list[int] = []

    def publisher() -> None:
        for i in range(300):
            got = bus.publish("load", i)
            assert got == 2, f"publish('load', {i}) returned {got} on a thread, expected 2"

    def churner() -> None:
        for _ in range(200):
            sub = bus.subscribe("churn.topic", print)
            churned.append(sub)
            got = bus.unsubscribe(sub)
            assert got is True, f"unsubscribe({sub}) returned {got!r} on a thread, expected True"

    run_threads(10, lambda n: publisher() if n < 8 else churner())
    for seqs in (first, second):
        assert sorted(seqs) == list(range(1, 2401)), \
            f"8 threads x 300 publishes delivered {len(seqs)} messages with {len(set(seqs))} " \
            f"distinct seqs, expected seqs 1..2400 once each"
    assert len(set(churned)) == 400, \
        f"2 threads x 200 subscribes returned {len(set(churned))} distinct ids, expected 400"
    call.returns(["load"], bus.topics)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_unsubscribe_waits_for_a_call_running_on_another_thread(bus):
    entered, release = threading.Event(), threading.Event()
    finished = []

    def slow(message):
        entered.set()
        release.wait(3)
        finished.append(message.payload)

    sub = bus.subscribe("orders", slow)
    publisher = threading.Thread(target=bus.publish, args=("orders", 1), daemon=True)
    publisher.start()
    try:
        assert entered.wait(3), "publish('orders', 1) on another thread never called the handler"
        results, returned = unsubscribe_on_another_thread(bus, sub)
        early = returned.wait(0.03)
    finally:
        release.set()
    assert not early, f"unsubscribe({sub}) returned while its handler was still running on " \
                      f"another thread: it must wait for that call to finish"
    assert returned.wait(3), f"unsubscribe({sub}) never returned after the running call finished"
    assert results == [True] and finished == [1], \
        f"unsubscribe({sub}) returned {results} and the call finished with {finished}, " \
        f"expected [True] and [1]"
    publisher.join(3)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_a_handler_is_never_called_after_unsubscribe_returns(impl, frequent_thread_switches):
    late: list[int] = []
    for _ in range(60):
        bus = impl.PubSub()
        gone, stop = threading.Event(), threading.Event()

        def handler(message, gone=gone):
            if gone.is_set():
                late.append(message.seq)

        def publish_until_stopped(bus=bus, stop=stop):
            while not stop.is_set():
                bus.publish("orders", None)

        subs = [bus.subscribe("orders", handler) for _ in range(5)]
        publisher = threading.Thread(target=publish_until_stopped, daemon=True)
        publisher.start()
        try:
            for sub in subs:
                bus.unsubscribe(sub)
            gone.set()
        finally:
            stop.set()
            publisher.join(3)
        if late:
            break
    assert not late, f"a handler was called after unsubscribe returned True (by the publishes " \
                     f"with seq {late[:3]} on another thread): expected never"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_8_publishers_4_subscribers_get_every_message_once_in_order(make_async, run_threads,
                                                                          call):
    bus = make_async()
    boxes: list[list[tuple[int, int]]] = [[] for _ in range(4)]
    for box in boxes:
        bus.subscribe("load", lambda m, box=box: box.append(m.payload))

    def publisher(p: int) -> None:
        for i in range(400):
            got = bus.publish("load", (p, i))
            assert got == 4, f"publish('load', {(p, i)}) returned {got}, expected 4"

    run_threads(8, publisher)
    call.returns(True, bus.flush, timeout=8)
    everything = sorted((p, i) for p in range(8) for i in range(400))
    for n, box in enumerate(boxes):
        assert sorted(box) == everything, \
            f"subscriber {n} got {len(box)} messages ({len(set(box))} distinct), expected each " \
            f"of the 3200 once"
        for p in range(8):
            order = [i for q, i in box if q == p]
            assert order == list(range(400)), \
                f"subscriber {n} got publisher {p}'s messages out of order: {order[:8]}..."


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_blocked_handler_does_not_block_other_subscriptions(make_async, call):
    bus = make_async()
    release, fast_done = threading.Event(), threading.Event()
    slow_finished, fast = [], []

    def slow(message):
        release.wait(5)
        slow_finished.append(message.payload)

    def quick(message):
        fast.append(message.payload)
        if len(fast) == 3:
            fast_done.set()

    bus.subscribe("orders", slow)
    bus.subscribe("orders", quick)
    try:
        for i in range(3):
            call.returns(2, bus.publish, "orders", i)
        assert fast_done.wait(3), \
            f"the quick subscriber got only {fast} of [0, 1, 2] while another was blocked"
        assert slow_finished == [], f"the blocked handler finished {slow_finished} before release"
    finally:
        release.set()
    call.returns(True, bus.flush, timeout=5)
    assert fast == slow_finished == [0, 1, 2], \
        f"the subscribers got {fast} and {slow_finished}, expected [0, 1, 2] each"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_close_delivers_everything_queued_before_returning(make_async, call):
    bus = make_async()
    gate = threading.Event()
    seen: dict[int, list[int]] = {key: [] for key in range(3)}
    for key in seen:
        bus.subscribe("orders", lambda m, key=key: (gate.wait(5), seen[key].append(m.payload)))
    for i in range(5):
        bus.publish("orders", i)
    gate.set()
    call.returns(True, bus.close, timeout=5)
    assert seen == {key: [0, 1, 2, 3, 4] for key in range(3)}, \
        f"close(timeout=5) returned with the subscribers holding {seen}, expected " \
        f"[0, 1, 2, 3, 4] each: close delivers everything queued first"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_one_worker_per_subscription_and_none_left_alive_after_close(make_async, call):
    before = set(threading.enumerate())
    bus = make_async()
    subs = [bus.subscribe("orders", lambda m: None) for _ in range(4)]
    bus.publish("orders", 1)
    call.returns(True, bus.flush, timeout=5)
    started = [thread for thread in threading.enumerate() if thread not in before]
    assert len(started) >= 4, f"4 subscriptions but {len(started)} worker threads"
    call.returns(True, bus.unsubscribe, subs[0])
    call.returns(True, bus.close, timeout=5)
    alive = [thread.name for thread in threading.enumerate() if thread not in before]
    assert alive == [], f"close(timeout=5) returned True with worker threads still alive: {alive}"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_unsubscribe_waits_for_the_running_call_and_drops_the_queued_messages(make_async,
                                                                                     call):
    bus = make_async()
    entered, release = threading.Event(), threading.Event()
    seen = []

    def handler(message):
        seen.append(message.payload)
        entered.set()
        release.wait(3)

    sub = bus.subscribe("orders", handler)
    for i in range(4):
        bus.publish("orders", i)
    try:
        assert entered.wait(3), "the handler was never called"
        results, returned = unsubscribe_on_another_thread(bus, sub)
        early = returned.wait(0.03)
    finally:
        release.set()
    assert not early, f"unsubscribe({sub}) returned while its handler was still running: it " \
                      f"must wait for that call to finish"
    assert returned.wait(3) and results == [True], \
        f"unsubscribe({sub}) returned {results} after the running call, expected [True]"
    call.returns(True, bus.flush, timeout=5)
    assert seen == [0], f"the handler got {seen}, expected [0]: messages still queued at " \
                        f"unsubscribe are dropped"
    call.returns(0, bus.publish, "orders", 9)
    call.returns(False, bus.unsubscribe, sub)


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_handler_unsubscribing_itself_does_not_deadlock(make_async, call):
    bus = make_async()
    seen, results, box = [], [], []

    def once(message):
        seen.append(message.payload)
        results.append(bus.unsubscribe(box[0]))

    box.append(bus.subscribe("orders", once))
    others = []
    bus.subscribe("orders", lambda m: others.append(m.payload))
    for i in range(5):
        bus.publish("orders", i)
    call.returns(True, bus.flush, timeout=5)
    assert (seen, results) == ([0], [True]), \
        f"a handler unsubscribing itself got {seen} and unsubscribe returned {results}, " \
        f"expected [0] and [True]"
    assert others == [0, 1, 2, 3, 4], f"the other subscriber got {others}, expected [0, ..., 4]"
    call.returns(True, bus.close, timeout=5)


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
def test_publish_cost_does_not_grow_with_subscriptions_on_other_topics(impl, timed):
    def bus_with(others: int):
        bus = impl.PubSub()
        bus.subscribe("orders.created", lambda m: None)
        for i in range(others):
            bus.subscribe(f"other.topic{i}", lambda m: None)
        return bus

    small, large = bus_with(0), bus_with(10_000)

    def burst(bus):
        return lambda: [bus.publish("orders.created", i) for i in range(200)]

    ratio = timed.ratio(burst(large), burst(small), at_most=3)
    assert ratio < 3, f"200 publishes to a topic with one subscriber took {ratio:.1f}x as long " \
                      f"with 10,000 subscriptions on other topics: expected about the same " \
                      f"(a dict lookup, not a scan)"


# --- change request: retained messages ----------------------------------------------------------


@pytest.mark.change
def test_change_a_new_subscriber_first_receives_the_latest_retained_message(bus, call):
    watcher = []
    bus.subscribe("orders.created", watcher.append)
    call.returns(1, bus.publish, "orders.created", "old", retain=True)
    call.returns(1, bus.publish, "orders.created", "new", retain=True)
    seen = []
    bus.subscribe("orders.created", seen.append)
    assert seen == watcher[-1:], \
        f"subscribe('orders.created', ...) after two retained publishes delivered {seen} before " \
        f"returning, expected only the latest one, {watcher[-1]!r}"
    call.returns(2, bus.publish, "orders.created", "live")
    assert payloads(seen) == ["new", "live"], \
        f"the new subscriber got {payloads(seen)}, expected ['new', 'live']"


@pytest.mark.change
def test_change_publish_without_retain_neither_keeps_nor_replaces(bus, call):
    call.returns(0, bus.publish, "orders", "plain")
    early = []
    bus.subscribe("orders", early.append)
    assert early == [], f"subscribe('orders', ...) delivered {payloads(early)}: nothing was " \
                        f"published with retain=True"
    call.returns(1, bus.publish, "orders", "kept", retain=True)
    call.returns(1, bus.publish, "orders", "plain-again")
    later = []
    bus.subscribe("orders", later.append)
    assert payloads(later) == ["kept"], \
        f"subscribe('orders', ...) delivered {payloads(later)}, expected ['kept']: a publish " \
        f"without retain replaces nothing"
    assert payloads(early) == ["kept", "plain-again"], \
        f"an existing subscriber got {payloads(early)}, expected ['kept', 'plain-again'] " \
        f"(nothing again when another subscribes)"


@pytest.mark.change
def test_change_wildcard_subscriber_receives_every_matching_retained_message_oldest_first(bus):
    for topic, payload in [("orders.eu.shipped", 1), ("orders.created", 2),
                           ("billing.created", 3), ("orders.apac", 4), ("orders.created", 5)]:
        bus.publish(topic, payload, retain=True)
    for pattern, expected in [("orders.#", [("orders.eu.shipped", 1, 1), ("orders.apac", 4, 4),
                                            ("orders.created", 5, 5)]),
                              ("*.created", [("billing.created", 3, 3), ("orders.created", 5, 5)]),
                              ("orders.*.*", [("orders.eu.shipped", 1, 1)]),
                              ("orders", [])]:
        seen = []
        bus.subscribe(pattern, seen.append)
        got = [(m.topic, m.payload, m.seq) for m in seen]
        assert got == expected, \
            f"subscribe({pattern!r}, ...) delivered (topic, payload, seq) {got}, expected " \
            f"{expected}: each matching topic's retained message, oldest first"


@pytest.mark.change
def test_change_retain_must_be_a_bool_and_a_rejected_publish_retains_nothing(bus, call):
    call.raises(TypeError, bus.publish, "orders", 1, retain="yes", naming="yes")
    call.raises(TypeError, bus.publish, "orders", 1, retain=1, naming="1")
    call.raises(ValueError, bus.publish, "bad..", 1, retain=True, naming="bad..")
    seen = []
    bus.subscribe("orders", seen.append)
    assert seen == [], f"subscribe('orders', ...) delivered {payloads(seen)}: every retained " \
                       f"publish was rejected"
    call.returns(1, bus.publish, "orders", 2, retain=True)
    assert [m.seq for m in seen] == [1], \
        f"the first accepted publish had seq {[m.seq for m in seen]}, expected [1]"


@pytest.mark.change
def test_change_a_failing_replay_is_reported_and_subscribe_still_returns_the_id(impl):
    reports = []
    bus = impl.PubSub(on_error=lambda sub, message, exc: reports.append((sub, message.payload,
                                                                         type(exc))))
    bus.publish("a", 1, retain=True)
    bus.publish("b", 2, retain=True)
    got = []

    def handler(message):
        got.append(message.payload)
        if message.payload == 1:
            raise KeyError("replay")

    sub = bus.subscribe("#", handler)
    assert type(sub) is int, f"subscribe('#', handler) returned {sub!r}, expected an id"
    assert got == [1, 2], f"subscribe('#', handler) replayed {got}, expected [1, 2]"
    assert reports == [(sub, 1, KeyError)], \
        f"on_error got {reports}, expected [({sub}, 1, KeyError)]"


@pytest.mark.change
@pytest.mark.timeout(10)
def test_change_async_subscriber_gets_retained_messages_before_later_publishes(make_async, call):
    bus = make_async()
    for i in range(3):
        bus.publish(f"orders.t{i}", i, retain=True)
    seen = []
    stop = threading.Event()

    def publish_until_stopped():
        for n in range(5000):
            if stop.is_set():
                break
            bus.publish("orders.t0", ("live", n))

    publisher = threading.Thread(target=publish_until_stopped, daemon=True)
    publisher.start()
    try:
        bus.subscribe("orders.*", lambda m: seen.append(m.payload))
        bus.publish("orders.t1", "after")
    finally:
        stop.set()
        publisher.join(5)
    call.returns(True, bus.flush, timeout=5)
    assert seen[:3] == [0, 1, 2], \
        f"subscribe('orders.*', ...) got {seen[:5]}... first, expected the retained [0, 1, 2] " \
        f"before anything published later"
    live = [n for payload in seen[3:] if isinstance(payload, tuple) for _, n in [payload]]
    assert live == sorted(live) and "after" in seen[3:], \
        f"after its retained messages the subscriber got {seen[3:8]}..., expected the later " \
        f"publishes in order"
