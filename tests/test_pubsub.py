"""Grades a publish/subscribe event bus (katas/pubsub.py): run with --impl to grade your copy."""

from __future__ import annotations

import contextlib
import logging
import random
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


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_publish_calls_every_subscriber_in_subscription_order_with_one_message(impl, bus):
    calls = []
    for name in "abc":
        bus.subscribe("orders.created", lambda message, name=name: calls.append((name, message)))
    bus.subscribe("orders.shipped", lambda message: calls.append(("shipped", message)))
    payload = {"id": 7}
    assert bus.publish("orders.created", payload) == 3
    assert [name for name, _ in calls] == ["a", "b", "c"]
    assert all(message == impl.Message("orders.created", payload, 1) for _, message in calls)
    assert calls[0][1].payload is payload


@pytest.mark.core
def test_publish_returns_zero_without_subscribers_and_seq_counts_every_publish(bus):
    seen = []
    assert bus.publish("nobody.listens", 1) == 0
    bus.subscribe("orders", seen.append)
    assert bus.publish("orders", "a") == 1
    assert bus.publish("elsewhere", "b") == 0
    assert bus.publish("orders", "c") == 1
    assert [(m.topic, m.payload, m.seq) for m in seen] == [("orders", "a", 2), ("orders", "c", 4)]


@pytest.mark.core
def test_subscription_ids_are_unique_ints_never_reused(bus):
    first = bus.subscribe("a", print)
    second = bus.subscribe("b", print)
    assert bus.unsubscribe(second) is True
    third = bus.subscribe("b", print)
    ids = [first, second, third]
    assert all(type(i) is int for i in ids) and len(set(ids)) == 3


@pytest.mark.core
def test_unsubscribe_stops_delivery_and_reports_whether_it_was_active(bus):
    seen = []
    sub = bus.subscribe("orders", seen.append)
    bus.publish("orders", 1)
    assert bus.unsubscribe(sub) is True
    assert bus.publish("orders", 2) == 0
    assert [m.payload for m in seen] == [1]
    assert bus.unsubscribe(sub) is False
    assert bus.unsubscribe(sub + 1000) is False


@pytest.mark.core
def test_same_handler_subscribed_twice_is_two_subscriptions(bus):
    seen = []
    first = bus.subscribe("orders", seen.append)
    bus.subscribe("orders", seen.append)
    assert bus.publish("orders", "x") == 2
    assert len(seen) == 2
    assert bus.unsubscribe(first) is True
    assert bus.publish("orders", "y") == 1
    assert [m.payload for m in seen] == ["x", "x", "y"]
    assert bus.subscriber_count("orders") == 1


@pytest.mark.core
def test_handler_error_goes_to_on_error_and_the_other_handlers_still_run(impl):
    reports = []
    bus = impl.PubSub(on_error=lambda sub, message, exc: reports.append((sub, message, exc)))
    seen = []
    bus.subscribe("orders", seen.append)
    failing = bus.subscribe("orders", lambda message: 1 / 0)
    bus.subscribe("orders", seen.append)
    assert bus.publish("orders", "x") == 3  # the failing handler was called too
    assert len(seen) == 2
    [(sub, message, exc)] = reports
    assert sub == failing and message.payload == "x" and isinstance(exc, ZeroDivisionError)


@pytest.mark.core
def test_topics_and_subscriber_count_reflect_the_subscriptions(bus):
    assert bus.topics() == [] and bus.subscriber_count("orders") == 0
    bus.subscribe("orders.shipped", print)
    first = bus.subscribe("orders.created", print)
    bus.subscribe("orders.created", print)
    assert bus.topics() == ["orders.created", "orders.shipped"]
    assert bus.subscriber_count("orders.created") == 2
    bus.unsubscribe(first)
    assert bus.subscriber_count("orders.created") == 1


@pytest.mark.core
def test_topics_match_whole_never_by_prefix(bus):
    seen = []
    bus.subscribe("orders", lambda m: seen.append(("orders", m.topic)))
    bus.subscribe("orders.created", lambda m: seen.append(("orders.created", m.topic)))
    assert bus.publish("orders.created", 1) == 1
    assert bus.publish("orders.created.eu", 2) == 0
    assert bus.publish("orders", 3) == 1
    assert seen == [("orders.created", "orders.created"), ("orders", "orders")]


@pytest.mark.core
def test_random_operations_match_a_simple_model(bus):
    rng = random.Random(20240601)
    topics = ["a", "b", "a.b", "a.b.c", "c-d", "x_1.y"]
    model: dict[int, str] = {}  # active subscription id -> topic, in subscription order
    used_ids: list[int] = []
    calls: list[tuple[int, int, str, int]] = []
    seq = 0
    for step in range(3000):
        roll = rng.random()
        if roll < 0.3:
            topic, box = rng.choice(topics), []
            sub = bus.subscribe(topic, lambda m, box=box: calls.append((box[0], m.seq, m.topic,
                                                                         m.payload)))
            box.append(sub)
            assert sub not in model and sub not in used_ids[-50:], f"step {step}: id reused"
            used_ids.append(sub)
            model[sub] = topic
        elif roll < 0.6 and used_ids:
            # mostly active ids, sometimes ended or never-issued ones
            sub = rng.choice([*model] if model and rng.random() < 0.8
                             else [*used_ids[-20:], used_ids[-1] + 1])
            assert bus.unsubscribe(sub) is (sub in model), f"step {step}: unsubscribe({sub})"
            model.pop(sub, None)
        else:
            topic = rng.choice(topics)
            seq += 1
            expected = [sub for sub, wanted in model.items() if wanted == topic]
            assert bus.publish(topic, step) == len(expected), f"step {step}: publish({topic!r})"
            assert calls == [(sub, seq, topic, step) for sub in expected], f"step {step}"
            calls.clear()
        probe = rng.choice(topics)
        assert bus.subscriber_count(probe) == sum(t == probe for t in model.values())
        assert bus.topics() == sorted(set(model.values())), f"step {step}"


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_handler_unsubscribing_itself_does_not_make_the_next_handler_miss_out(bus):
    seen = []
    box = []
    box.append(bus.subscribe("orders", lambda m: (seen.append("once"), bus.unsubscribe(box[0]))))
    bus.subscribe("orders", lambda m: seen.append("next"))
    bus.subscribe("orders", lambda m: seen.append("last"))
    assert bus.publish("orders", 1) == 3
    assert seen == ["once", "next", "last"]
    assert bus.publish("orders", 2) == 2


@pytest.mark.edge
def test_handler_unsubscribing_a_later_subscriber_skips_it_in_that_publish(bus):
    seen = []
    victim = []
    bus.subscribe("orders", lambda m: (seen.append("first"), bus.unsubscribe(victim[0])))
    bus.subscribe("orders", lambda m: seen.append("second"))
    victim.append(bus.subscribe("orders", lambda m: seen.append("victim")))
    assert bus.publish("orders", 1) == 2
    assert seen == ["first", "second"]


@pytest.mark.edge
def test_subscription_added_during_a_publish_first_hears_the_next_publish(bus):
    seen = []
    added = []

    def recruit(message):
        if not added:
            added.append(bus.subscribe("orders", lambda m: seen.append(("new", m.payload))))
        seen.append(("recruiter", message.payload))

    bus.subscribe("orders", recruit)
    assert bus.publish("orders", 1) == 1
    assert bus.publish("orders", 2) == 2
    assert seen == [("recruiter", 1), ("recruiter", 2), ("new", 2)]


@pytest.mark.edge
@pytest.mark.timeout(10)
def test_handler_may_publish_from_inside_a_handler(bus):
    seen = []
    bus.subscribe("orders.created", lambda m: bus.publish("audit", m.payload))
    bus.subscribe("audit", lambda m: seen.append((m.payload, m.seq)))
    assert bus.publish("orders.created", "x") == 1
    assert seen == [("x", 2)]


@pytest.mark.edge
def test_handler_errors_without_on_error_are_logged_not_swallowed(bus, caplog):
    def failing(message):
        raise RuntimeError("kaboom-7")

    seen = []
    bus.subscribe("orders", failing)
    bus.subscribe("orders", seen.append)
    with caplog.at_level(logging.ERROR):
        assert bus.publish("orders", 1) == 2
    assert len(seen) == 1
    assert any(record.levelno >= logging.ERROR for record in caplog.records)
    assert "kaboom-7" in caplog.text


@pytest.mark.edge
def test_on_error_that_raises_is_logged_and_delivery_goes_on(impl, caplog):
    def broken_on_error(sub, message, exc):
        raise ValueError("on-error-broke")

    bus = impl.PubSub(on_error=broken_on_error)
    seen = []
    bus.subscribe("orders", lambda m: 1 / 0)
    bus.subscribe("orders", seen.append)
    with caplog.at_level(logging.ERROR):
        assert bus.publish("orders", 1) == 2
    assert len(seen) == 1
    assert "on-error-broke" in caplog.text


@pytest.mark.edge
def test_last_unsubscribe_removes_the_topic(bus):
    first = bus.subscribe("orders", print)
    second = bus.subscribe("orders", print)
    bus.unsubscribe(first)
    assert bus.topics() == ["orders"]
    bus.unsubscribe(second)
    assert bus.topics() == [] and bus.subscriber_count("orders") == 0
    assert bus.publish("orders", 1) == 0


# --- errors -------------------------------------------------------------------------------------


MALFORMED = ["", "orders.", ".orders", "orders..created", "orders created", "orders/created",
             "or*ders", "orders.cre#ated", "orders.**", "orders.#x"]


@pytest.mark.errors
@pytest.mark.parametrize("topic", MALFORMED)
def test_malformed_topics_are_value_errors_naming_the_topic(bus, error_naming, topic):
    with error_naming(ValueError, topic):
        bus.subscribe(topic, print)
    with error_naming(ValueError, topic):
        bus.publish(topic, 1)
    with error_naming(ValueError, topic):
        bus.subscriber_count(topic)


@pytest.mark.errors
@pytest.mark.parametrize("topic", ["orders.*", "#", "orders.#.created"])
def test_publish_needs_a_concrete_topic(bus, error_naming, topic):
    with error_naming(ValueError, topic):
        bus.publish(topic, 1)
    with error_naming(ValueError, topic):
        bus.subscriber_count(topic)


@pytest.mark.errors
def test_wrong_argument_types_are_type_errors_naming_the_value(impl, bus, error_naming):
    with error_naming(TypeError, "42"):
        bus.subscribe(42, print)
    with error_naming(TypeError, "not-callable"):
        bus.subscribe("orders", "not-callable")
    with error_naming(TypeError, "None"):
        bus.publish(None, 1)
    with error_naming(TypeError, "'7'"):
        bus.unsubscribe("7")
    with error_naming(TypeError, "1.0"):
        bus.unsubscribe(1.0)
    with error_naming(TypeError, "3"):
        impl.PubSub(on_error=3)


@pytest.mark.errors
def test_rejected_calls_change_nothing(bus):
    seen = []
    for bad in [lambda: bus.subscribe("orders", None), lambda: bus.subscribe("bad..", print),
                lambda: bus.publish("bad..", 1), lambda: bus.publish(3, 1)]:
        with pytest.raises((TypeError, ValueError)):
            bad()
    assert bus.topics() == []
    bus.subscribe("orders", seen.append)
    bus.publish("orders", 1)
    assert [m.seq for m in seen] == [1]


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
@pytest.mark.parametrize("pattern, topic, expected", WILDCARD_TABLE,
                         ids=[f"{p}~{t}" for p, t, _ in WILDCARD_TABLE])
def test_wildcard_patterns_follow_amqp_rules(bus, pattern, topic, expected):
    assert matches(pattern, topic) is expected  # the table itself is right
    seen = []
    bus.subscribe(pattern, seen.append)
    assert bus.publish(topic, None) == int(expected)
    assert len(seen) == int(expected)
    assert bus.subscriber_count(topic) == int(expected)


@pytest.mark.extension
def test_exact_and_wildcard_subscribers_are_called_once_each_in_subscription_order(bus):
    seen = []
    for pattern in ["a.b", "a.*", "#", "a.b", "a.#", "b.*"]:
        bus.subscribe(pattern, lambda m, pattern=pattern: seen.append(pattern))
    assert bus.publish("a.b", 1) == 5
    assert seen == ["a.b", "a.*", "#", "a.b", "a.#"]
    seen.clear()
    assert bus.publish("a", 2) == 2
    assert seen == ["#", "a.#"]
    assert bus.subscriber_count("a.b") == 5
    assert bus.topics() == ["#", "a.#", "a.*", "a.b", "b.*"]


@pytest.mark.extension
def test_wildcard_subscription_unsubscribes_like_any_other(bus):
    seen = []
    box = []
    box.append(bus.subscribe("orders.#", lambda m: (seen.append("wild"), bus.unsubscribe(box[0]))))
    bus.subscribe("orders.created", lambda m: seen.append("exact"))
    assert bus.publish("orders.created", 1) == 2
    assert bus.publish("orders.created", 2) == 1
    assert seen == ["wild", "exact", "exact"]
    assert bus.topics() == ["orders.created"]
    assert bus.unsubscribe(box[0]) is False


@pytest.mark.extension
def test_random_operations_with_wildcards_match_a_simple_model(bus):
    rng = random.Random(7)
    patterns = ["a", "a.b", "a.*", "a.#", "*", "#", "*.b", "#.c", "a.*.c", "b.#.b", "*.#", "c"]
    topics = ["a", "b", "c", "a.b", "a.c", "b.b", "a.b.c", "a.x.c", "b.x.b", "b.x.y.b"]
    match = {(p, t): matches(p, t) for p in patterns for t in topics}
    model: dict[int, str] = {}
    ended: list[int] = []
    calls: list[tuple[int, int]] = []
    for step in range(2000):
        roll = rng.random()
        if roll < 0.25:
            pattern, box = rng.choice(patterns), []
            sub = bus.subscribe(pattern, lambda m, box=box: calls.append((box[0], m.payload)))
            box.append(sub)
            model[sub] = pattern
        elif roll < 0.55 and (model or ended):
            sub = rng.choice([*model] if model and rng.random() < 0.8 else ended[-20:] or [*model])
            assert bus.unsubscribe(sub) is (sub in model), f"step {step}: unsubscribe({sub})"
            if model.pop(sub, None) is not None:
                ended.append(sub)
        else:
            topic = rng.choice(topics)
            expected = [sub for sub, pattern in model.items() if match[pattern, topic]]
            assert bus.publish(topic, step) == len(expected), f"step {step}: publish({topic!r})"
            assert calls == [(sub, step) for sub in expected], f"step {step}: publish({topic!r})"
            calls.clear()
        probe = rng.choice(topics)
        assert bus.subscriber_count(probe) == sum(match[p, probe] for p in model.values())
        assert bus.topics() == sorted(set(model.values())), f"step {step}"


# --- extension: AsyncPubSub ---------------------------------------------------------------------


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_publish_only_queues_and_handlers_run_on_another_thread(impl, make_async):
    bus = make_async()
    assert isinstance(bus, impl.PubSub)
    gate, done = threading.Event(), threading.Event()
    ran_on = []

    def handler(message):
        ran_on.append(threading.current_thread())
        gate.wait(2)
        done.set()

    bus.subscribe("orders", handler)
    bus.subscribe("elsewhere", handler)
    assert bus.publish("orders", 1) == 1
    assert not done.is_set(), "publish waited for the handler instead of queueing"
    gate.set()
    assert bus.flush(timeout=5) is True
    assert done.is_set() and ran_on[0] is not threading.current_thread()


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_messages_arrive_in_publish_order_with_wildcards_too(make_async):
    bus = make_async()
    exact, wild = [], []
    bus.subscribe("orders.created", lambda m: exact.append((m.payload, m.seq)))
    bus.subscribe("orders.#", lambda m: wild.append((m.payload, m.seq)))
    for i in range(200):
        assert bus.publish("orders.created" if i % 2 else "orders", i) == (2 if i % 2 else 1)
    assert bus.flush(timeout=5) is True
    assert wild == [(i, i + 1) for i in range(200)]
    assert exact == [(i, i + 1) for i in range(1, 200, 2)]


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_failing_handler_reports_to_on_error_and_keeps_its_worker(make_async):
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
    assert bus.flush(timeout=5) is True
    assert seen == [0, 2]
    assert reports == [(sub, 1, KeyError)]


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_flush_returns_false_when_the_timeout_expires_first(make_async):
    bus = make_async()
    gate = threading.Event()
    bus.subscribe("orders", lambda m: gate.wait(5))
    bus.publish("orders", 1)
    assert bus.flush(timeout=0.05) is False
    gate.set()
    assert bus.flush(timeout=5) is True
    assert bus.flush() is True


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_close_returns_false_on_timeout_and_can_be_retried(make_async):
    bus = make_async()
    gate = threading.Event()
    bus.subscribe("orders", lambda m: gate.wait(5))
    bus.publish("orders", 1)
    assert bus.close(timeout=0.05) is False
    gate.set()
    assert bus.close(timeout=5) is True


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_publish_and_subscribe_after_close_raise_closed_error(impl, make_async,
                                                                    error_naming):
    bus = make_async()
    sub = bus.subscribe("orders", print)
    assert bus.close() is True
    with error_naming(impl.PubSubClosedError, "orders.created"):
        bus.publish("orders.created", 1)
    with error_naming(impl.PubSubClosedError, "audit"):
        bus.subscribe("audit", print)
    assert issubclass(impl.PubSubClosedError, impl.PubSubError)
    assert bus.unsubscribe(sub) is True
    assert bus.close() is True  # closing again is harmless


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_bus_as_context_manager_closes_on_exit(impl):
    seen = []
    with impl.AsyncPubSub() as bus:
        bus.subscribe("orders", lambda m: seen.append(m.payload))
        assert bus.publish("orders", 1) == 1
    assert seen == [1]
    with pytest.raises(impl.PubSubClosedError):
        bus.publish("orders", 2)


@pytest.mark.extension
@pytest.mark.timeout(10)
def test_async_flush_or_close_inside_a_handler_raises_instead_of_waiting_for_itself(impl,
                                                                                   make_async):
    bus = make_async()
    outcomes = []

    def handler(message):
        for action in (bus.flush, bus.close):
            try:
                action(timeout=1)
            except impl.PubSubError as exc:
                outcomes.append(("raised", action.__name__, action.__name__ in str(exc)))
            else:
                outcomes.append(("returned", action.__name__))

    bus.subscribe("orders", handler)
    bus.publish("orders", 1)
    assert bus.flush(timeout=5) is True
    assert outcomes == [("raised", "flush", True), ("raised", "close", True)]
    assert bus.publish("orders", 2) == 1  # the refused close left the bus open


@pytest.mark.extension
def test_async_timeouts_are_checked(make_async, error_naming):
    bus = make_async()
    with error_naming(ValueError, "-1"):
        bus.flush(timeout=-1)
    with error_naming(TypeError, "soon"):
        bus.close(timeout="soon")
    with error_naming(TypeError, "True"):
        bus.flush(timeout=True)
    assert bus.publish("orders", 1) == 0  # still open


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_sync_bus_from_many_threads_loses_nothing_and_never_repeats_a_seq(bus, run_threads):
    first, second = [], []
    bus.subscribe("load", lambda m: first.append(m.seq))
    bus.subscribe("load", lambda m: second.append(m.seq))
    churned: list[int] = []

    def publisher() -> None:
        for i in range(500):
            assert bus.publish("load", i) == 2

    def churner() -> None:
        for _ in range(300):
            sub = bus.subscribe("churn.topic", print)
            churned.append(sub)
            assert bus.unsubscribe(sub) is True

    run_threads(10, lambda n: publisher() if n < 8 else churner())
    assert sorted(first) == sorted(second) == list(range(1, 4001))
    assert len(set(churned)) == 600
    assert bus.topics() == ["load"]


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_8_publishers_4_subscribers_get_every_message_once_in_order(make_async, run_threads):
    bus = make_async()
    boxes: list[list[tuple[int, int]]] = [[] for _ in range(4)]
    for box in boxes:
        bus.subscribe("load", lambda m, box=box: box.append(m.payload))

    def publisher(p: int) -> None:
        for i in range(2000):
            assert bus.publish("load", (p, i)) == 4

    run_threads(8, publisher)
    assert bus.flush(timeout=8) is True
    everything = sorted((p, i) for p in range(8) for i in range(2000))
    for box in boxes:
        assert sorted(box) == everything, "a message was lost or delivered twice"
        for p in range(8):
            assert [i for q, i in box if q == p] == list(range(2000)), \
                f"publisher {p}'s messages arrived out of order"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_blocked_handler_does_not_block_other_subscriptions(make_async):
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
            assert bus.publish("orders", i) == 2
        assert fast_done.wait(3), f"the quick subscriber got only {fast} while another was blocked"
        assert slow_finished == []
    finally:
        release.set()
    assert bus.flush(timeout=5) is True
    assert fast == slow_finished == [0, 1, 2]


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_close_delivers_everything_queued_before_returning(make_async):
    bus = make_async()
    gate = threading.Event()
    seen: dict[int, list[int]] = {key: [] for key in range(3)}
    for key in seen:
        bus.subscribe("orders", lambda m, key=key: (gate.wait(5), seen[key].append(m.payload)))
    for i in range(5):
        bus.publish("orders", i)
    gate.set()
    assert bus.close(timeout=5) is True
    assert seen == {key: [0, 1, 2, 3, 4] for key in range(3)}


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_one_worker_per_subscription_and_none_left_alive_after_close(make_async):
    before = set(threading.enumerate())
    bus = make_async()
    subs = [bus.subscribe("orders", lambda m: None) for _ in range(4)]
    bus.publish("orders", 1)
    assert bus.flush(timeout=5) is True
    started = [thread for thread in threading.enumerate() if thread not in before]
    assert len(started) >= 4, f"4 subscriptions but {len(started)} worker threads"
    assert bus.unsubscribe(subs[0]) is True
    assert bus.close(timeout=5) is True
    alive = [thread for thread in threading.enumerate() if thread not in before]
    assert alive == [], f"worker threads still alive after close: {alive}"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_unsubscribe_drops_queued_messages_but_lets_the_running_call_finish(make_async):
    bus = make_async()
    entered, gate = threading.Event(), threading.Event()
    seen = []

    def handler(message):
        seen.append(message.payload)
        entered.set()
        gate.wait(5)

    sub = bus.subscribe("orders", handler)
    for i in range(4):
        bus.publish("orders", i)
    assert entered.wait(5)
    assert bus.unsubscribe(sub) is True
    gate.set()
    assert bus.flush(timeout=5) is True
    assert seen == [0]
    assert bus.publish("orders", 9) == 0
    assert bus.unsubscribe(sub) is False


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_async_handler_unsubscribing_itself_does_not_deadlock(make_async):
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
    assert bus.flush(timeout=5) is True
    assert seen == [0] and results == [True]
    assert others == [0, 1, 2, 3, 4]
    assert bus.close(timeout=5) is True


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
        return lambda: [bus.publish("orders.created", i) for i in range(100)]

    # Short bursts, measured in alternation: a busy machine slows some of them, rarely all.
    t_small = t_large = float("inf")
    for _ in range(3):
        t_small = min(t_small, timed(burst(small)))
        t_large = min(t_large, timed(burst(large)))
    assert t_large < 3 * t_small, (
        f"100 publishes took {t_large * 1e3:.2f} ms with 10,000 subscriptions on other topics "
        f"vs {t_small * 1e3:.2f} ms without: exact topics should be a dict lookup")
