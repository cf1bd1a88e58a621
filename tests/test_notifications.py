"""Grades a notification service (katas/notifications.py): run with --impl to grade your copy."""

from __future__ import annotations

import dataclasses
import math
import operator
import random
import re
import threading
import time
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest


@pytest.fixture
def email(impl):
    return impl.EmailChannel()


@pytest.fixture
def app(impl):
    return impl.InAppChannel()


@pytest.fixture
def service(impl, clock, email, app):
    service = impl.NotificationService(clock=clock)
    service.register_channel(email)
    service.register_channel(app)
    service.register_template("welcome", "Welcome {{ name }}",
                              "Hi {{name}}, your code is {{ code }}.")
    return service


@pytest.fixture
def ada(impl):
    return impl.Recipient("ada", email="ada@example.com")


WELCOME = {"name": "Ada", "code": 42}
WELCOME_TEXT = ("Welcome Ada", "Hi Ada, your code is 42.")


def scripted_channel(impl, name: str, failures: int = 0, error: type[Exception] | None = None):
    """A channel that records its calls and raises on the first `failures` of them."""

    class Scripted(impl.Channel):
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, str]] = []
            self.failures = failures

        def send(self, recipient, subject, body):
            self.calls.append((recipient.user_id, subject, body))
            if self.failures > 0:
                self.failures -= 1
                raise (error or impl.DeliveryError)(f"{self.name} is down")

    Scripted.name = name
    return Scripted()


def statuses(deliveries) -> list[tuple[str, str]]:
    return [(d.channel, d.status) for d in deliveries]


def finishes_within(seconds: float, fn: Callable[[], Any], call: str) -> Any:
    """fn()'s result, run on a helper thread; fails naming `call` if it is still running after
    `seconds` (a lock held while a channel runs), re-raises what fn raised."""
    __tracebackhide__ = True
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread below
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"{call} did not return within {seconds:g} s: is a lock of the service held "
                    f"while a channel runs?")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def without_error(call: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), failing with a line that names `call` if it raises."""
    __tracebackhide__ = True
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
        pytest.fail(f"{call} raised {type(exc).__name__}: {exc}")


class Vault:
    """Data that is not a mapping: its attributes must stay out of a template's reach."""

    def __init__(self) -> None:
        self.touched: list[str] = []

    @property
    def password(self) -> str:
        self.touched.append("password")
        return "hunter2"

    def __str__(self) -> str:
        return "<vault>"


class ReadOnly(Mapping):
    """A mapping that is not a dict."""

    def __init__(self, **items: Any) -> None:
        self._items = items

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_render_fills_placeholders_with_or_without_spaces_inside_the_braces(service, call):
    service.register_template("t", "{{name}} / {{ name }} / {{   name}}", "{{code   }}{{ code }}")
    call.returns(("Ada / Ada / Ada", "77"), service.render, "t", {"name": "Ada", "code": 7})


@pytest.mark.core
def test_dotted_keys_walk_through_nested_mappings(service, call):
    service.register_template("t", "Order {{ order.id }}",
                              "{{ order.customer.name }} owes {{ order.total }}")
    data = {"order": {"id": 17, "total": 9.5, "customer": {"name": "Ada"}}}
    call.returns(("Order 17", "Ada owes 9.5"), service.render, "t", data)


@pytest.mark.core
def test_values_are_converted_with_str(service, call):
    service.register_template("t", "{{ a }}|{{ b }}|{{ c }}", "{{ d }}|{{ e }}|{{ f }}")
    data = {"a": 3, "b": None, "c": 2.5, "d": True, "e": [1, "x"], "f": Vault()}
    call.returns(("3|None|2.5", "True|[1, 'x']|<vault>"), service.render, "t", data)


@pytest.mark.core
def test_send_delivers_on_every_channel_in_registration_order(service, email, app, ada, clock):
    got = [dataclasses.astuple(d) for d in service.send(ada, "welcome", WELCOME)]
    want = [(1, "ada", "email", "welcome", *WELCOME_TEXT, "sent", 1, None, clock.now),
            (2, "ada", "in_app", "welcome", *WELCOME_TEXT, "sent", 1, None, clock.now)]
    assert got == want, f"send(ada, 'welcome', ...) returned {got!r}, expected {want!r}"
    assert email.outbox == [("ada@example.com", *WELCOME_TEXT)], \
        f"after send(ada, 'welcome', ...) the email outbox is {email.outbox!r}"
    inbox = [(i["subject"], i["body"], i["read"]) for i in app.inbox("ada")]
    assert inbox == [(*WELCOME_TEXT, False)], \
        f"after send(ada, 'welcome', ...) inbox('ada') holds {inbox!r}"


@pytest.mark.core
def test_send_uses_only_the_named_channels_in_the_order_given(impl, service, email, app, ada):
    sms = scripted_channel(impl, "sms")
    service.register_channel(sms)
    got = statuses(service.send(ada, "welcome", WELCOME, channels=["sms", "in_app"]))
    assert got == [("sms", "sent"), ("in_app", "sent")], \
        f"send(ada, 'welcome', channels=['sms', 'in_app']) returned {got!r}"
    assert email.outbox == [], f"channels=['sms', 'in_app'] still emailed: {email.outbox!r}"
    assert sms.calls == [("ada", *WELCOME_TEXT)], f"the sms channel got {sms.calls!r}"
    assert len(app.inbox("ada")) == 1, f"inbox('ada') holds {app.inbox('ada')!r}, expected 1 item"


@pytest.mark.core
def test_in_app_inbox_is_oldest_first_and_tracks_read_flags(impl, service, app, call):
    bob = impl.Recipient("bob")
    for code in (1, 2, 3):
        service.send(bob, "welcome", {"name": "Bob", "code": code}, channels=["in_app"])
    items = app.inbox("bob")
    bodies = [i["body"] for i in items]
    assert bodies == [f"Hi Bob, your code is {c}." for c in (1, 2, 3)], \
        f"inbox('bob') after three sends holds bodies {bodies!r}, expected oldest first"
    assert len({i["id"] for i in items}) == 3, f"inbox('bob') item ids repeat: {items!r}"
    call.returns(3, app.unread_count, "bob")
    app.mark_read("bob", items[1]["id"])
    flags = [i["read"] for i in app.inbox("bob")]
    assert flags == [False, True, False], \
        f"after mark_read('bob', {items[1]['id']!r}) the read flags are {flags!r}"
    call.returns(2, app.unread_count, "bob")


@pytest.mark.core
def test_email_channel_accepts_plausible_addresses(impl, email):
    addresses = ["a@b.co", "first.last+tag@mail.example.org", "x_y-z@sub.domain.io"]
    for address in addresses:
        email.send(impl.Recipient("u", address), "s", "b")
    sent = [to for to, _, _ in email.outbox]
    assert sent == addresses, f"EmailChannel.send to {addresses!r} put {sent!r} in the outbox"


@pytest.mark.core
def test_a_channel_failing_twice_then_succeeding_is_sent_after_three_attempts(impl, service, ada):
    flaky = scripted_channel(impl, "sms", failures=2)
    service.register_channel(flaky)
    [delivery] = service.send(ada, "welcome", WELCOME, channels=["sms"])
    got = (delivery.status, delivery.attempts, delivery.error)
    assert got == ("sent", 3, None), \
        f"a channel failing twice then working: (status, attempts, error) is {got!r}"
    assert len(flaky.calls) == 3, f"the channel was called {len(flaky.calls)} times, expected 3"


@pytest.mark.core
def test_a_channel_that_keeps_failing_is_logged_failed_and_the_others_still_deliver(
        impl, service, email, app, ada):
    down = scripted_channel(impl, "sms", failures=100)
    service.register_channel(down)
    deliveries = service.send(ada, "welcome", WELCOME, channels=["in_app", "sms", "email"])
    got = statuses(deliveries)
    assert got == [("in_app", "sent"), ("sms", "failed"), ("email", "sent")], \
        f"send(ada, channels=['in_app', 'sms', 'email']) with sms down returned {got!r}"
    failed = deliveries[1]
    assert (failed.attempts, len(down.calls)) == (3, 3), \
        f"the failing channel: attempts {failed.attempts}, called {len(down.calls)} times; " \
        f"expected 3 and 3"
    assert "sms is down" in failed.error, f"error {failed.error!r} lacks the exception's message"
    assert (len(email.outbox), len(app.inbox("ada"))) == (1, 1), \
        "the channels around the failing one did not both deliver"
    assert service.log(status="failed") == [failed], \
        f"log(status='failed') is {service.log(status='failed')!r}"


@pytest.mark.core
def test_email_without_an_address_fails_while_in_app_delivers(impl, service, email, app, call):
    deliveries = service.send(impl.Recipient("bob"), "welcome", WELCOME)
    got = statuses(deliveries)
    assert got == [("email", "failed"), ("in_app", "sent")], \
        f"send(Recipient('bob'), 'welcome', ...) returned {got!r}"
    assert deliveries[0].attempts == 3 and "bob" in deliveries[0].error, \
        f"the failed email delivery is {deliveries[0]!r}: expected 3 attempts, an error naming bob"
    assert email.outbox == [], f"an address-less recipient was emailed: {email.outbox!r}"
    call.returns(1, app.unread_count, "bob")


@pytest.mark.core
def test_log_lists_deliveries_oldest_first_with_ids_in_order_and_clock_times(impl, service, clock):
    service.send(impl.Recipient("ada", "ada@example.com"), "welcome", WELCOME)
    clock.advance(5)
    service.send(impl.Recipient("bob"), "welcome", WELCOME, channels=["in_app"])
    got = [(d.id, d.user_id, d.channel, d.at) for d in service.log()]
    want = [(1, "ada", "email", 1000.0), (2, "ada", "in_app", 1000.0), (3, "bob", "in_app", 1005.0)]
    assert got == want, f"log() gave (id, user, channel, at) {got!r}, expected {want!r}"


@pytest.mark.core
def test_log_filters_combine(impl, service):
    service.send(impl.Recipient("ada", "ada@example.com"), "welcome", WELCOME)
    service.send(impl.Recipient("bob"), "welcome", WELCOME)
    service.send(impl.Recipient("bob", "bob@example.com"), "welcome", WELCOME, channels=["email"])
    for filters, want in [({"user_id": "bob"}, [3, 4, 5]), ({"channel": "email"}, [1, 3, 5]),
                          ({"status": "sent"}, [1, 2, 4, 5]),
                          ({"user_id": "bob", "channel": "email", "status": "sent"}, [5]),
                          ({"user_id": "nobody"}, [])]:
        got = [d.id for d in service.log(**filters)]
        shown = ", ".join(f"{k}={v!r}" for k, v in filters.items())
        assert got == want, f"log({shown}) gave ids {got!r}, expected {want!r}"


@pytest.mark.core
def test_registering_a_template_again_replaces_it(service, call):
    service.register_template("welcome", "Hello {{ name }}", "v2")
    call.returns(("Hello Ada", "v2"), service.render, "welcome", {"name": "Ada"})


# --- edge: the template is untrusted text --------------------------------------------------------


@pytest.mark.edge
def test_single_braces_and_stray_closing_braces_are_literal_text(service, call):
    body = "{name} {0} {} {code!r} {name.__class__} {name:>12} }} } {"
    service.register_template("t", "{{ name }}}", body)
    call.returns(("Ada}", body), service.render, "t", {"name": "Ada", "code": 1})


@pytest.mark.edge
def test_a_huge_format_width_in_literal_text_renders_as_written(service, call):
    body = "Total: {total:>9999999999999999999}"
    service.register_template("t", "{{ total }}", body)
    call.returns(("5", body), service.render, "t", {"total": 5})


@pytest.mark.edge
def test_attributes_are_never_read_through_a_template(impl, service, call):
    vault = Vault()
    service.register_template("t", "Your vault", "Password: {{ vault.password }}")
    error = call.raises(impl.TemplateError, service.render, "t", {"vault": vault},
                        naming="vault.password")
    assert "hunter2" not in str(error), f"render('t', ...) leaked the password: {error}"
    assert vault.touched == [], "render('t', {'vault': Vault()}) read the vault's attribute"


@pytest.mark.edge
@pytest.mark.parametrize("key", ["user.__class__.__mro__", "name.__class__", "fn.__globals__",
                                 "order.keys", "order.__init__.__globals__"])
def test_dunder_and_method_keys_cannot_reach_python_internals(impl, service, call, key):
    data = {"user": Vault(), "name": "Ada", "fn": scripted_channel, "order": {"id": 1}}
    service.register_template("t", "s", f"Leak: {{{{ {key} }}}}")
    message = str(call.raises(impl.TemplateError, service.render, "t", data, naming=key))
    leaks = [word for word in ("<class", "built-in", "hunter2") if word in message]
    assert not leaks, f"render of {{{{ {key} }}}} reached Python internals: {message!r}"


@pytest.mark.edge
def test_keys_that_look_like_dunders_are_plain_mapping_keys(service, call):
    service.register_template("t", "{{ __class__ }}", "{{ d.__init__ }}")
    call.returns(("a", "b"), service.render, "t", {"__class__": "a", "d": {"__init__": "b"}})


@pytest.mark.edge
@pytest.mark.parametrize("key, data", [("items.0", {"items": ["secret"]}),
                                       ("name.0", {"name": "Ada"}),
                                       ("pair.1", {"pair": ("a", "b")})])
def test_lists_strings_and_tuples_are_never_indexed(impl, service, error_naming, key, data):
    # Rejecting such a key when the template is registered is as good as at render.
    with error_naming(impl.TemplateError, call=f"register_template + render of {{{{ {key} }}}}"):
        service.register_template("t", "s", f"{{{{ {key} }}}}")
        service.render("t", data)


@pytest.mark.edge
def test_rendered_values_are_never_rendered_again(service, call):
    service.register_template("t", "{{ name }}", "{{ code }}")
    data = {"name": "{{ code }}", "code": "{name.__class__} {{ name }}"}
    call.returns(("{{ code }}", "{name.__class__} {{ name }}"), service.render, "t", data)


@pytest.mark.edge
def test_any_mapping_is_accepted_at_every_level(service, call):
    service.register_template("t", "{{ a.b }}", "{{ c.d.e }}")
    data = types.MappingProxyType({"a": ReadOnly(b="x"), "c": {"d": ReadOnly(e=5)}})
    call.returns(("x", "5"), service.render, "t", data)


@pytest.mark.edge
def test_a_template_without_placeholders_renders_as_is(service, call):
    service.register_template("t", "", "plain text")
    call.returns(("", "plain text"), service.render, "t", {})


@pytest.mark.edge
def test_inbox_returns_copies(service, app, ada, call):
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    items = app.inbox("ada")
    items[0]["read"] = True
    items[0]["body"] = "changed"
    items.clear()
    [item] = app.inbox("ada")
    assert (item["read"], item["body"]) == (False, WELCOME_TEXT[1]), \
        f"editing what inbox('ada') returned changed the inbox: {item!r}"
    call.returns(1, app.unread_count, "ada")


@pytest.mark.edge
def test_unknown_users_have_empty_inboxes_and_marking_read_twice_is_harmless(service, app, ada,
                                                                              call):
    call.returns([], app.inbox, "nobody")
    call.returns(0, app.unread_count, "nobody")
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    item_id = app.inbox("ada")[0]["id"]
    app.mark_read("ada", item_id)
    app.mark_read("ada", item_id)
    call.returns(0, app.unread_count, "ada")


@pytest.mark.edge
def test_log_returns_the_callers_own_list_of_frozen_deliveries(service, ada, error_naming):
    service.send(ada, "welcome", WELCOME)
    edits = {"clear()": list.clear, "append('junk')": lambda log: log.append("junk"),
             "pop()": list.pop}
    for edit, apply in edits.items():
        apply(service.log())
        got = service.log()
        assert len(got) == 2 and [d.id for d in got] == [1, 2], \
            f"after service.log().{edit}, log() holds {got!r}: the caller's edit changed the log"
    with error_naming(dataclasses.FrozenInstanceError,
                      call="service.log()[0].status = 'failed'"):
        service.log()[0].status = "failed"


@pytest.mark.edge
def test_send_with_an_empty_channel_list_or_no_channels_delivers_nothing(impl, service, ada,
                                                                         call):
    call.returns([], service.send, ada, "welcome", WELCOME, channels=[])
    bare = impl.NotificationService()
    bare.register_template("t", "s", "b")
    call.returns([], bare.send, ada, "t", {})
    assert service.log() == [] and bare.log() == [], "sends to no channel were logged"


@pytest.mark.edge
def test_max_attempts_one_never_retries(impl, clock, ada):
    service = impl.NotificationService(clock=clock, max_attempts=1)
    flaky = scripted_channel(impl, "sms", failures=1)
    service.register_channel(flaky)
    service.register_template("t", "s", "b")
    for want in [("failed", 1), ("sent", 1)]:
        got = [(d.status, d.attempts) for d in service.send(ada, "t", {})]
        assert got == [want], f"max_attempts=1: send gave (status, attempts) {got!r}, " \
                              f"expected {[want]!r}"
    assert len(flaky.calls) == 2, f"max_attempts=1: two sends made {len(flaky.calls)} calls"


@pytest.mark.edge
def test_a_huge_max_attempts_works(impl, clock, ada):
    service = impl.NotificationService(clock=clock, max_attempts=10**400)
    service.register_channel(scripted_channel(impl, "sms", failures=4))
    service.register_template("t", "s", "b")
    sent = without_error("send(ada, 't', {}) with max_attempts=10**400", service.send, ada, "t",
                         {})
    got = [(d.status, d.attempts) for d in sent]
    assert got == [("sent", 5)], f"max_attempts=10**400, a channel failing 4 times: {got!r}"


@pytest.mark.edge
def test_any_exception_a_channel_raises_is_retried_and_logged(impl, service, ada):
    broken = scripted_channel(impl, "sms", failures=100, error=RuntimeError)
    service.register_channel(broken)
    [delivery] = service.send(ada, "welcome", WELCOME, channels=["sms"])
    got = (delivery.status, delivery.attempts, len(broken.calls))
    assert got == ("failed", 3, 3), \
        f"a channel raising RuntimeError: (status, attempts, calls) is {got!r}"
    assert "sms is down" in delivery.error, f"error {delivery.error!r} lacks the message"


@pytest.mark.edge
def test_send_reads_the_clock_once_for_all_its_deliveries(impl, ada):
    ticks = iter(range(1_000, 2_000))
    service = impl.NotificationService(clock=lambda: float(next(ticks)))
    for channel in (impl.EmailChannel(), impl.InAppChannel()):
        service.register_channel(channel)
    service.register_template("t", "s", "b")
    times = [d.at for d in service.send(ada, "t", {})]
    assert len(set(times)) == 1, \
        f"send(ada, 't', {{}}) with a clock that ticks on every call logged times {times!r}: " \
        f"the card says send reads clock() once"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
def test_missing_keys_are_all_named_in_one_template_error(impl, service, call):
    service.register_template("t", "{{ title }} {{ order.id }}",
                              "{{ name }} {{ order.id }} {{ user.address.city }} {{ code }}")
    data = {"name": "Ada", "user": {"address": "a string, not a mapping"}}
    call.raises(impl.TemplateError, service.render, "t", data,
                naming=("title", "order.id", "user.address.city", "code"))
    assert issubclass(impl.TemplateError, impl.NotificationError), \
        "TemplateError is not a NotificationError"


@pytest.mark.errors
@pytest.mark.parametrize("subject, body, position", [
    ("Hello {{ name", "", "6"),
    ("ok", "Dear {{ name }}, total {{ total", "23"),
    ("Hi {{ }}", "", "3"),
    ("Hi {{}}", "", "3"),
    ("", "Order {{ order..id }}", "6"),
    ("", "Order {{ .id }}", "6"),
    ("", "Order {{ id. }}", "6"),
    ("", "Pay {{ total:>10 }}", "4"),
    ("", "Pay {{ total:>99999999999 }}", "4"),
    ("", "Pay {{ total!r }}", "4"),
    ("", "Hi {{ first name }}", "3"),
    ("", "Hi {{ items[0] }}", "3"),
    ("", "Hi {{ name() }}", "3"),
    ("", "Run {{ __import__('os').system('ls') }}", "4"),
    ("", "Hi {{ a } b }}", "3"),
])
def test_malformed_templates_are_rejected_naming_template_and_position(
        impl, service, call, subject, body, position):
    call.raises(impl.TemplateError, service.register_template, "broken", subject, body,
                naming=("broken", position))
    call.raises(impl.UnknownTemplateError, service.render, "broken", {}, naming="broken")


@pytest.mark.errors
def test_a_rejected_template_keeps_the_previous_version(impl, service, call):
    call.raises(impl.TemplateError, service.register_template, "welcome", "New {{ name", "body",
                naming="welcome")
    call.returns(WELCOME_TEXT, service.render, "welcome", WELCOME)


@pytest.mark.errors
def test_unknown_template_raises_in_render_and_send_and_logs_nothing(impl, service, email, ada,
                                                                    call):
    call.raises(impl.UnknownTemplateError, service.render, "goodbye", {}, naming="goodbye")
    call.raises(impl.UnknownTemplateError, service.send, ada, "goodbye", {}, naming="goodbye")
    assert service.log() == [] and email.outbox == [], "a send of an unknown template delivered"
    assert issubclass(impl.UnknownTemplateError, impl.NotificationError), \
        "UnknownTemplateError is not a NotificationError"


@pytest.mark.errors
def test_an_unknown_channel_raises_before_any_channel_is_called(impl, service, email, app, ada,
                                                              call):
    call.raises(impl.UnknownChannelError, service.send, ada, "welcome", WELCOME,
                channels=["email", "in_app", "pigeon"], naming="pigeon")
    assert service.log() == [] and email.outbox == [] and app.inbox("ada") == [], \
        "send(..., channels=['email', 'in_app', 'pigeon']) delivered before raising"
    assert issubclass(impl.UnknownChannelError, impl.NotificationError), \
        "UnknownChannelError is not a NotificationError"


@pytest.mark.errors
def test_missing_data_raises_before_any_channel_is_called(impl, service, email, app, ada, call):
    sms = scripted_channel(impl, "sms")
    service.register_channel(sms)
    call.raises(impl.TemplateError, service.send, ada, "welcome", {"name": "Ada"}, naming="code")
    assert service.log() == [] and email.outbox == [] and app.inbox("ada") == [] \
        and sms.calls == [], "send(ada, 'welcome', {'name': 'Ada'}) delivered before raising"
    ids = [d.id for d in service.send(ada, "welcome", WELCOME)]
    assert ids == [1, 2, 3], f"the next send after a rejected one got ids {ids!r}"


@pytest.mark.errors
@pytest.mark.parametrize("address", ["no-at-sign.com", "a@@b.co", "a@b@c.co", "@b.co", "a@b",
                                     "a@.com", "a@b.", "a@b..co", "a b@c.co", "ab@c.co\n", ""])
def test_email_channel_rejects_implausible_addresses(impl, email, address, call):
    call.raises(impl.DeliveryError, email.send, impl.Recipient("u7", address), "s", "b",
                naming="u7")
    assert email.outbox == [], f"EmailChannel.send to {address!r} still filled the outbox"
    assert issubclass(impl.DeliveryError, impl.NotificationError), \
        "DeliveryError is not a NotificationError"


@pytest.mark.errors
def test_mark_read_of_an_item_the_user_does_not_have_raises(impl, service, app, ada, call):
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    item_id = app.inbox("ada")[0]["id"]
    call.raises(impl.NotificationError, app.mark_read, "bob", item_id, naming=("bob", item_id))
    call.raises(impl.NotificationError, app.mark_read, "ada", 999, naming=("ada", "999"))
    call.raises(impl.NotificationError, app.mark_read, "ada", 10**400, naming="ada")
    call.raises(TypeError, app.mark_read, "ada", "1", naming="1")
    call.raises(TypeError, app.inbox, None, naming="None")
    call.returns(1, app.unread_count, "ada")


@pytest.mark.errors
def test_register_channel_rejects_non_channels_and_taken_names(impl, service, email, ada, call):
    call.raises(TypeError, service.register_channel, "email", naming="email")
    call.raises(ValueError, service.register_channel, impl.EmailChannel(), naming="email")
    service.send(ada, "welcome", WELCOME, channels=["email"])
    assert len(email.outbox) == 1, "a rejected register_channel replaced the email channel"


# (method, its arguments made from the module, keyword arguments, error, what the message names):
# an empty value is named by nothing.
BAD_CALLS = [
    ("send", lambda i: ("ada", "welcome", WELCOME), {}, TypeError, "ada"),
    ("send", lambda i: (i.Recipient(""), "welcome", WELCOME), {}, ValueError, ()),
    ("send", lambda i: (i.Recipient(7), "welcome", WELCOME), {}, TypeError, "7"),
    ("send", lambda i: (i.Recipient("ada"), "welcome", WELCOME), {"channels": "email"}, TypeError,
     "email"),
    ("send", lambda i: (i.Recipient("ada"), "welcome", WELCOME), {"channels": ["email", "email"]},
     ValueError, "email"),
    ("send", lambda i: (i.Recipient("ada"), "welcome", [("name", "Ada")]), {}, TypeError, "Ada"),
    ("render", lambda i: ("welcome", "name=Ada"), {}, TypeError, "name=Ada"),
    ("render", lambda i: (3, {}), {}, TypeError, "3"),
    ("register_template", lambda i: ("", "s", "b"), {}, ValueError, ()),
    ("register_template", lambda i: ("t", None, "b"), {}, TypeError, "None"),
    ("register_template", lambda i: ("t", "s", b"bytes"), {}, TypeError, "bytes"),
    ("log", lambda i: (), {"status": "lost"}, ValueError, "lost"),
    ("log", lambda i: (), {"user_id": 5}, TypeError, "5"),
]


@pytest.mark.errors
@pytest.mark.parametrize("method, make_args, kwargs, error, named", BAD_CALLS,
                         ids=[f"{c[0]}-{c[3].__name__}-{i}" for i, c in enumerate(BAD_CALLS)])
def test_wrong_types_and_bad_values_are_rejected(impl, service, email, call, method, make_args,
                                                 kwargs, error, named):
    call.raises(error, getattr(service, method), *make_args(impl), naming=named, **kwargs)
    assert service.log() == [] and email.outbox == [], f"a rejected {method} call delivered"


@pytest.mark.errors
@pytest.mark.parametrize("options, error, named", [
    ({"max_attempts": 0}, ValueError, "0"), ({"max_attempts": "3"}, TypeError, "3"),
    ({"max_attempts": True}, TypeError, "True"), ({"max_attempts": 2.0}, TypeError, "2.0"),
    ({"clock": 1000.0}, TypeError, "1000.0"),
])
def test_the_service_rejects_bad_options(impl, call, options, error, named):
    call.raises(error, impl.NotificationService, naming=named, **options)


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_sends_keep_ids_unique_and_the_log_complete(impl, service, app, run_threads,
                                                               frequent_thread_switches):
    per_thread = 40

    def work(n: int) -> None:
        for i in range(per_thread):
            service.send(impl.Recipient(f"user{n}"), "welcome", {"name": n, "code": i},
                         channels=["in_app"])

    run_threads(6, work)
    ids = [d.id for d in service.log()]
    assert ids == list(range(1, 6 * per_thread + 1)), \
        f"after 6 threads x {per_thread} sends, log() ids are not 1..{6 * per_thread} in order"
    for n in range(6):
        bodies = [i["body"] for i in app.inbox(f"user{n}")]
        want = [f"Hi {n}, your code is {i}." for i in range(per_thread)]
        assert bodies == want, f"inbox('user{n}') lost or reordered items under threads"
        logged = [d.body for d in service.log(user_id=f"user{n}")]
        assert logged == bodies, f"log(user_id='user{n}') disagrees with inbox('user{n}')"
    item_ids = [i["id"] for n in range(6) for i in app.inbox(f"user{n}")]
    assert len(set(item_ids)) == 6 * per_thread, "in-app item ids repeat under threads"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_rate_limit_holds_under_concurrent_sends(impl, service, app, ada, run_threads,
                                                 frequent_thread_switches, call):
    service.set_rate_limit("in_app", 10, 3600)
    run_threads(6, lambda n: [service.send(ada, "welcome", WELCOME, channels=["in_app"])
                              for _ in range(15)])
    sent, limited = len(service.log(status="sent")), len(service.log(status="rate_limited"))
    assert (sent, limited) == (10, 80), \
        f"90 concurrent sends with set_rate_limit('in_app', 10, 3600): {sent} sent, {limited} " \
        f"rate_limited; expected 10 and 80"
    call.returns(10, app.unread_count, "ada")


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_in_app_channel_handles_concurrent_sends_and_reads(impl, app, run_threads,
                                                           frequent_thread_switches, call):
    ada = impl.Recipient("ada")

    def work(n: int) -> None:
        for i in range(60):
            app.send(ada, f"s{n}", str(i))
            if i % 2:
                mine = [item["id"] for item in app.inbox("ada") if item["subject"] == f"s{n}"]
                app.mark_read("ada", mine[-1])

    run_threads(4, work)
    items = app.inbox("ada")
    assert len(items) == 240 and len({i["id"] for i in items}) == 240, \
        f"4 threads x 60 in-app sends left {len(items)} items with " \
        f"{len({i['id'] for i in items})} distinct ids; expected 240 and 240"
    call.returns(120, app.unread_count, "ada")
    for n in range(4):
        bodies = [i["body"] for i in items if i["subject"] == f"s{n}"]
        assert bodies == [str(i) for i in range(60)], f"thread {n}'s items are out of order"


@pytest.mark.concurrency
def test_a_channel_may_call_the_service_from_inside_its_send(impl, service, ada):
    seen = []

    class Chatty(impl.Channel):
        name = "chatty"

        def send(self, recipient, subject, body):
            service.log()
            seen.append(service.render("welcome", {"name": recipient.user_id, "code": 1})[0])

    service.register_channel(Chatty())
    deliveries = finishes_within(
        2, lambda: service.send(ada, "welcome", WELCOME, channels=["email", "chatty"]),
        call="send(ada, 'welcome', channels=['email', 'chatty']) whose channel calls log()")
    assert statuses(deliveries) == [("email", "sent"), ("chatty", "sent")], \
        f"a channel that calls the service from its send: {statuses(deliveries)!r}"
    assert seen == ["Welcome ada"], f"render() inside the channel returned {seen!r}"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_a_slow_channel_holds_up_neither_the_log_nor_other_users(impl, service, app, ada, call):
    entered, release = threading.Event(), threading.Event()

    class Gate(impl.Channel):
        name = "gate"

        def send(self, recipient, subject, body):
            entered.set()
            release.wait(5)

    service.register_channel(Gate())
    slow = threading.Thread(target=service.send, args=(ada, "welcome", WELCOME),
                            kwargs={"channels": ["gate"]}, daemon=True)
    slow.start()
    try:
        assert entered.wait(2), "send(ada, ..., channels=['gate']) never called the channel"
        finishes_within(1.5, service.log, call="log() while ada's channel call was in progress")
        bob = impl.Recipient("bob")
        finishes_within(1.5, lambda: service.send(bob, "welcome", WELCOME, channels=["in_app"]),
                        call="send(bob, ..., channels=['in_app']) while ada's channel was busy")
    finally:
        release.set()
        slow.join(3)
    call.returns(1, app.unread_count, "bob")
    got = sorted((d.user_id, d.status) for d in service.log())
    assert got == [("ada", "sent"), ("bob", "sent")], \
        f"log() after ada's slow send and bob's quick one holds {got!r}"


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_deliveries_to_one_user_on_one_channel_never_overlap(impl, service, ada, run_threads,
                                                             frequent_thread_switches):
    class Careful(impl.Channel):
        name = "careful"

        def __init__(self) -> None:
            self.guard = threading.Lock()
            self.active = self.overlaps = 0
            self.bodies: list[str] = []

        def send(self, recipient, subject, body):
            with self.guard:
                self.active += 1
                self.overlaps += self.active > 1
            time.sleep(0.001)
            with self.guard:
                self.bodies.append(body)
                self.active -= 1

    careful = Careful()
    service.register_channel(careful)
    run_threads(4, lambda n: [service.send(ada, "welcome", {"name": n, "code": i},
                                           channels=["careful"]) for i in range(5)])
    assert careful.overlaps == 0, \
        f"4 threads sending to ada on one channel: {careful.overlaps} calls overlapped another"
    logged = [d.body for d in service.log(user_id="ada", channel="careful")]
    assert logged == careful.bodies, \
        "log(user_id='ada', channel='careful') is not in the order the channel received them"


# --- extension: opt-out and rate limits ----------------------------------------------------------


@pytest.mark.extension
def test_an_opted_out_channel_is_skipped_and_never_called(impl, service, email, ada):
    service.opt_out("ada", "email")
    got = [(d.channel, d.status, d.attempts, d.error)
           for d in service.send(ada, "welcome", WELCOME)]
    assert got == [("email", "skipped", 0, None), ("in_app", "sent", 1, None)], \
        f"send(ada, ...) after opt_out('ada', 'email') returned {got!r}"
    assert email.outbox == [], f"an opted-out user was emailed: {email.outbox!r}"
    service.send(impl.Recipient("bob", "bob@example.com"), "welcome", WELCOME, channels=["email"])
    sent = [to for to, _, _ in email.outbox]
    assert sent == ["bob@example.com"], f"opt_out('ada', 'email') affected bob: outbox {sent!r}"


@pytest.mark.extension
def test_opt_in_restores_delivery_and_repeats_are_harmless(service, email, ada):
    service.opt_in("ada", "email")
    service.opt_out("ada", "email")
    service.opt_out("ada", "email")
    for action, want in [(None, "skipped"), (lambda: service.opt_in("ada", "email"), "sent")]:
        if action:
            action()
        got = statuses(service.send(ada, "welcome", WELCOME, channels=["email"]))
        assert got == [("email", want)], f"send(ada, channels=['email']) returned {got!r}, " \
                                         f"expected {want!r}"
    assert len(email.outbox) == 1, f"the outbox holds {len(email.outbox)} emails, expected 1"


@pytest.mark.extension
def test_an_opted_out_failing_channel_is_not_called_at_all(impl, service, ada):
    down = scripted_channel(impl, "sms", failures=100)
    service.register_channel(down)
    service.opt_out("ada", "sms")
    got = statuses(service.send(ada, "welcome", WELCOME, channels=["sms"]))
    assert got == [("sms", "skipped")], f"an opted-out failing channel: {got!r}"
    assert down.calls == [], f"an opted-out channel was called {len(down.calls)} times"


@pytest.mark.extension
def test_rate_limit_blocks_extra_deliveries_until_the_window_passes(service, app, ada, clock,
                                                                    call):
    service.set_rate_limit("in_app", 2, 60)
    sent = [("email", "sent"), ("in_app", "sent")]
    limited = [("email", "sent"), ("in_app", "rate_limited")]
    steps = [(0, sent), (10, sent), (49.5, limited), (0.5, sent), (0, limited), (10, sent)]
    for advance, want in steps:  # at 60 s and 70 s the first and second sends stop counting
        clock.advance(advance)
        deliveries = service.send(ada, "welcome", WELCOME)
        assert statuses(deliveries) == want, \
            f"set_rate_limit('in_app', 2, 60), send at +{clock.now - 1000:g} s returned " \
            f"{statuses(deliveries)!r}, expected {want!r}"
        if want is limited:
            got = (deliveries[1].attempts, deliveries[1].error)
            assert got == (0, None), f"a rate_limited delivery has (attempts, error) {got!r}"
    call.returns(4, app.unread_count, "ada")


@pytest.mark.extension
def test_rate_limits_are_per_user_and_per_channel(impl, service, ada):
    service.set_rate_limit("email", 1, 100)
    bob = impl.Recipient("bob", "bob@example.com")
    both_sent = [("email", "sent"), ("in_app", "sent")]
    for who, want in [(ada, both_sent), (bob, both_sent),
                      (ada, [("email", "rate_limited"), ("in_app", "sent")])]:
        got = statuses(service.send(who, "welcome", WELCOME))
        assert got == want, f"set_rate_limit('email', 1, 100), send({who.user_id!r}) returned " \
                            f"{got!r}, expected {want!r}"


@pytest.mark.extension
def test_only_sent_deliveries_count_towards_the_rate_limit(impl, service, ada):
    flaky = scripted_channel(impl, "sms", failures=3)
    service.register_channel(flaky)
    service.set_rate_limit("sms", 1, 100)
    service.opt_out("ada", "sms")
    got = [service.send(ada, "welcome", WELCOME, channels=["sms"])[0].status]
    service.opt_in("ada", "sms")
    got += [service.send(ada, "welcome", WELCOME, channels=["sms"])[0].status for _ in range(4)]
    want = ["skipped", "failed", "sent", "rate_limited", "rate_limited"]
    assert got == want, f"set_rate_limit('sms', 1, 100): statuses {got!r}, expected {want!r}"
    assert len(flaky.calls) == 4, f"the channel was called {len(flaky.calls)} times, expected 4"


@pytest.mark.extension
def test_a_rate_limit_counts_earlier_sends_and_setting_it_again_replaces_it(service, ada, clock):
    for _ in range(3):
        service.send(ada, "welcome", WELCOME, channels=["in_app"])
        clock.advance(10)
    for limit, want in [((3, 100), "rate_limited"), ((2, 15), "sent"), ((4, 1000), "rate_limited")]:
        service.set_rate_limit("in_app", *limit)
        got = service.send(ada, "welcome", WELCOME, channels=["in_app"])[0].status
        assert got == want, f"after set_rate_limit('in_app', {limit[0]}, {limit[1]}) a send was " \
                            f"{got!r}, expected {want!r}"


@pytest.mark.extension
def test_opt_out_is_checked_before_the_rate_limit(service, ada):
    service.set_rate_limit("in_app", 1, 100)
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    service.opt_out("ada", "in_app")
    got = statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"]))
    assert got == [("in_app", "skipped")], f"opted out and over the limit: {got!r}"


@pytest.mark.extension
def test_a_huge_rate_limit_window_never_ends_and_never_overflows(service, email, ada, clock):
    service.set_rate_limit("in_app", 1, 10**400)
    for advance, want in [(0, "sent"), (10**9, "rate_limited"), (10**12, "rate_limited")]:
        clock.advance(advance)
        got = statuses(without_error(f"set_rate_limit('in_app', 1, 10**400), then a send at "
                                     f"+{advance:g} s", service.send, ada, "welcome", WELCOME))
        assert got == [("email", "sent"), ("in_app", want)], \
            f"set_rate_limit('in_app', 1, 10**400), send at +{advance:g} s returned {got!r}"
    assert len(email.outbox) == 3, f"three sends emailed {len(email.outbox)} times"


@pytest.mark.extension
def test_a_huge_max_count_never_limits(service, ada):
    service.set_rate_limit("in_app", 10**400, 60)
    got = [statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"])) for _ in range(3)]
    assert got == [[("in_app", "sent")]] * 3, f"set_rate_limit('in_app', 10**400, 60): {got!r}"


@pytest.mark.extension
@pytest.mark.parametrize("method, args", [("opt_out", ("ada", "pigeon")),
                                          ("opt_in", ("ada", "pigeon")),
                                          ("set_rate_limit", ("pigeon", 1, 1))])
def test_opt_out_opt_in_and_rate_limit_need_a_known_channel(impl, service, call, method, args):
    call.raises(impl.UnknownChannelError, getattr(service, method), *args, naming="pigeon")


@pytest.mark.extension
@pytest.mark.parametrize("args, error, named", [
    ((0, 10), ValueError, "0"), ((-1, 10), ValueError, "-1"), (("5", 10), TypeError, "5"),
    ((1.5, 10), TypeError, "1.5"), ((True, 10), TypeError, "True"), ((5, 0), ValueError, "0"),
    ((5, -2.5), ValueError, "-2.5"), ((5, "10"), TypeError, "10"), ((5, True), TypeError, "True"),
    ((5, math.inf), ValueError, "inf"), ((5, math.nan), ValueError, "nan"),
])
def test_rate_limit_arguments_are_validated(service, ada, call, args, error, named):
    call.raises(error, service.set_rate_limit, "in_app", *args, naming=named)
    for _ in range(2):
        service.send(ada, "welcome", WELCOME)
    sent = len(service.log(status="sent"))
    assert sent == 4, f"a rejected set_rate_limit('in_app', {args[0]!r}, {args[1]!r}) still " \
                      f"limits: {sent} of 4 deliveries sent"


@pytest.mark.extension
@pytest.mark.parametrize("method, user, error, named", [
    ("opt_out", "", ValueError, ()), ("opt_in", None, TypeError, "None"),
    ("opt_out", 7, TypeError, "7"),
])
def test_opt_out_and_opt_in_validate_the_user_id(service, call, method, user, error, named):
    call.raises(error, getattr(service, method), user, "email", naming=named)


# --- randomized model test ------------------------------------------------------------------------

TEMPLATES = [
    ("order", "Order {{ order.id }}", "Hi {{name}}, total {total:>8} = {{ order.total }} {}"),
    ("plain", "Hello", "} nothing to fill {"),
    ("nested", "{{ a.b.c }}", "{{a.b}} / {{ name }}"),
]
PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+?)\s*\}\}")
USERS = ["ada", "bob", "cy", "dee"]
EMAILS = {"ada": "ada@example.com", "bob": None, "cy": "not-an-address", "dee": "dee@example.org"}
CHANNELS = ["in_app", "email", "push"]
DAY, HOUR = 86_400, 3_600


def model_render(text: str, data: dict, missing: list[str]) -> str:
    def fill(match: re.Match) -> str:
        value: Any = data
        for part in match.group(1).split("."):
            if not isinstance(value, dict) or part not in value:
                missing.append(match.group(1))
                return ""
            value = value[part]
        return str(value)

    return PLACEHOLDER.sub(fill, text)


def random_data(rng: random.Random) -> dict:
    data: dict[str, Any] = {}
    if rng.random() < 0.9:
        data["name"] = rng.choice(["Ada", 7, None, "{{ name }}", "{x}"])
    if rng.random() < 0.8:
        data["order"] = rng.choice([{"id": rng.randint(1, 99), "total": 2.5}, {"id": 3}, "text"])
    if rng.random() < 0.8:
        data["a"] = rng.choice([{"b": {"c": 1}}, {"b": "x"}, {"c": 2}])
    return data


FIELDS = operator.attrgetter("id", "user_id", "channel", "template", "subject", "body", "status",
                             "attempts")


def snapshot(delivery) -> tuple:
    """Every field, with the error reduced to whether there was one."""
    return (*FIELDS(delivery), delivery.error is not None, delivery.at)


class Model:
    """The service the obvious way: a list for the log, every rule checked by scanning it."""

    def __init__(self, clock, max_attempts: int) -> None:
        self.clock, self.max_attempts = clock, max_attempts
        self.log: list[tuple] = []
        self.inboxes: dict[str, list[tuple[str, str]]] = {user: [] for user in USERS}
        self.opted_out: set[tuple[str, str]] = set()
        self.limits: dict[str, tuple[int, float]] = {}
        self.quiet: dict[str, tuple[float, float]] = {}
        self.waiting: list[tuple] = []  # deferred log entries not yet released, oldest first

    def is_quiet(self, user: str) -> bool:
        start, end = self.quiet.get(user, (0, 0))
        hour = self.clock.now % DAY / HOUR
        return start <= hour < end if start <= end else hour >= start or hour < end

    def deliver(self, user: str, channel: str, template: str, text: tuple[str, str],
                failures: int, released: bool = False) -> tuple:
        if (user, channel) in self.opted_out:
            status, attempts = "skipped", 0
        elif not released and (self.is_quiet(user) or any(
                e[1:3] == (user, channel) for e in self.waiting)):
            status, attempts = "deferred", 0
        elif channel in self.limits and self.recent(user, channel) >= self.limits[channel][0]:
            status, attempts = "rate_limited", 0
        elif failures >= self.max_attempts:
            status, attempts = "failed", self.max_attempts
        else:
            status, attempts = "sent", failures + 1
        entry = (len(self.log) + 1, user, channel, template, *text, status, attempts,
                 status == "failed", self.clock.now)
        self.log.append(entry)
        if status == "deferred":
            self.waiting.append(entry)
        if channel == "in_app" and status == "sent":
            self.inboxes[user].append(text)
        return entry

    def recent(self, user: str, channel: str) -> int:
        per_seconds = self.limits[channel][1]
        return sum(1 for e in self.log if e[1:3] == (user, channel) and e[6] == "sent"
                   and self.clock.now < e[9] + per_seconds)

    def release(self, failures: Callable[[str, str], int]) -> list[tuple]:
        due = [e for e in self.waiting if not self.is_quiet(e[1])]
        self.waiting = [e for e in self.waiting if self.is_quiet(e[1])]
        return [self.deliver(e[1], e[2], e[3], e[4:6], failures(e[1], e[2]), released=True)
                for e in due]


def failures_of(user: str, channel: str, push_failures: int) -> int:
    """How often a channel raises for the user: email always does without a plausible address."""
    if channel == "email":
        return 1_000 if EMAILS[user] in (None, "not-an-address") else 0
    return push_failures if channel == "push" else 0


def run_model(impl, clock, seed: int, max_attempts: int, steps: int, *, extensions: bool = False,
              quiet: bool = False) -> None:
    rng = random.Random(seed)
    service = impl.NotificationService(clock=clock, max_attempts=max_attempts)
    app, push = impl.InAppChannel(), scripted_channel(impl, "push")
    for channel in (app, impl.EmailChannel(), push):
        service.register_channel(channel)
    templates: dict[str, tuple[str, str]] = {}
    for name, subject, body in TEMPLATES:
        service.register_template(name, subject, body)
        templates[name] = (subject, body)
    model = Model(clock, max_attempts)
    ops = ["send"] * 6 + ["render", "advance", "log", "retemplate"]
    if extensions:
        ops += ["opt_out", "opt_in", "limit"]
    if quiet:
        ops += ["quiet", "release", "advance_hours"]
    for step in range(steps):
        op, user, channel = rng.choice(ops), rng.choice(USERS), rng.choice(CHANNELS)
        where = f"seed {seed}, step {step}: {op}"
        if op in ("send", "render"):
            template = rng.choice(sorted(templates))
            data = random_data(rng)
            missing: list[str] = []
            text = tuple(model_render(part, data, missing) for part in templates[template])
            if op == "render":
                if missing:
                    check_render_fails(impl, service, template, data, missing, where)
                else:
                    got = service.render(template, data)
                    assert got == text, f"{where}: render({template!r}, {data!r}) returned " \
                                        f"{got!r}, expected {text!r}"
                continue
            names = None if rng.random() < 0.4 else rng.sample(CHANNELS, rng.randint(0, 3))
            push_failures = push.failures = rng.choice([0, 0, 0, 1, 2, 3, 5])
            recipient = impl.Recipient(user, EMAILS[user])
            if missing:
                check_send_fails(impl, service, recipient, template, data, names, where)
                continue
            want = [model.deliver(user, name, template, text,
                                  failures_of(user, name, push_failures))
                    for name in (CHANNELS if names is None else names)]
            got = [snapshot(d) for d in service.send(recipient, template, data, names)]
            assert got == want, f"{where}: send({user!r}, {template!r}, channels={names!r}) " \
                                f"returned {got!r}, expected {want!r}"
            inbox = [(i["subject"], i["body"]) for i in app.inbox(user)]
            assert inbox == model.inboxes[user], f"{where}: inbox({user!r}) is {inbox!r}"
        elif op == "advance":
            clock.advance(rng.choice([0.5, 1, 5, 20]))
        elif op == "advance_hours":
            clock.advance(rng.choice([1, 3, 7]) * HOUR)
        elif op == "log":
            filters = {key: value for key, value in [("user_id", user), ("channel", channel),
                                                     ("status", rng.choice(["sent", "failed"]))]
                       if rng.random() < 0.5}
            positions = {"user_id": 1, "channel": 2, "status": 6}
            want = [e for e in model.log if all(e[positions[k]] == v for k, v in filters.items())]
            got = [snapshot(d) for d in service.log(**filters)]
            assert got == want, f"{where}: log(**{filters!r}) returned {got!r}, expected {want!r}"
        elif op == "retemplate":
            name, subject, body = rng.choice(TEMPLATES)
            if templates[name] == (subject, body):  # swap the parts to get a new version
                subject, body = body, subject
            service.register_template(name, subject, body)
            templates[name] = (subject, body)
        elif op == "opt_out":
            service.opt_out(user, channel)
            model.opted_out.add((user, channel))
        elif op == "opt_in":
            service.opt_in(user, channel)
            model.opted_out.discard((user, channel))
        elif op == "limit":
            limit = (rng.randint(1, 4), rng.choice([1, 10, 30]))
            service.set_rate_limit(channel, *limit)
            model.limits[channel] = limit
        elif op == "quiet":
            hours = (rng.randint(0, 24), rng.randint(0, 24))
            service.set_quiet_hours(user, *hours)
            model.quiet[user] = hours
        else:
            push.failures = 0
            want = model.release(lambda u, c: failures_of(u, c, 0))
            got = [snapshot(d) for d in service.release_deferred()]
            assert got == want, f"{where}: release_deferred() returned {got!r}, expected {want!r}"
    got = [snapshot(d) for d in service.log()]
    assert got == model.log, f"seed {seed}: log() at the end differs from the model's"


def check_render_fails(impl, service, template, data, keys, where) -> None:
    __tracebackhide__ = True
    try:
        service.render(template, data)
    except impl.TemplateError as error:
        unnamed = [key for key in keys if key not in str(error)]
        assert not unnamed, f"{where}: render({template!r}, ...) TemplateError({str(error)!r}) " \
                            f"does not name {unnamed!r}"
    else:
        pytest.fail(f"{where}: render({template!r}, {data!r}) did not raise TemplateError for "
                    f"missing {list(keys)!r}")


def check_send_fails(impl, service, recipient, template, data, names, where) -> None:
    __tracebackhide__ = True
    before = len(service.log())
    try:
        service.send(recipient, template, data, names)
    except impl.TemplateError:
        pass
    else:
        pytest.fail(f"{where}: send({recipient.user_id!r}, {template!r}, {data!r}) with missing "
                    f"keys did not raise TemplateError")
    assert len(service.log()) == before, f"{where}: a send that raised was logged"


@pytest.mark.core
@pytest.mark.parametrize("seed, max_attempts", [(1, 3), (2, 1)])
def test_random_sends_agree_with_a_simple_model(impl, clock, seed, max_attempts):
    run_model(impl, clock, seed, max_attempts, steps=600)


@pytest.mark.extension
@pytest.mark.parametrize("seed, max_attempts", [(4, 3)])
def test_random_sends_with_opt_outs_and_rate_limits_agree_with_a_simple_model(
        impl, clock, seed, max_attempts):
    run_model(impl, clock, seed, max_attempts, steps=800, extensions=True)


# --- change request: quiet hours ------------------------------------------------------------------


def set_hour(clock, hour: float, day: int = 2) -> None:
    """Move the clock to `hour` (0-24) of day `day`: the hour of time t is (t % 86400) / 3600."""
    clock.now = float(day * DAY + hour * HOUR)


@pytest.mark.change
def test_change_a_send_in_quiet_hours_is_deferred_and_calls_no_channel(impl, service, email, app,
                                                                        ada, clock):
    service.set_quiet_hours("ada", 22, 7)
    set_hour(clock, 23)
    deliveries = service.send(ada, "welcome", WELCOME)
    got = [(d.id, d.channel, d.status, d.attempts, d.error) for d in deliveries]
    want = [(1, "email", "deferred", 0, None), (2, "in_app", "deferred", 0, None)]
    assert got == want, f"set_quiet_hours('ada', 22, 7), send at 23:00 returned {got!r}, " \
                        f"expected {want!r}"
    assert email.outbox == [] and app.inbox("ada") == [], "a deferred delivery called its channel"
    assert service.log(status="deferred") == deliveries, \
        f"log(status='deferred') is {service.log(status='deferred')!r}"
    bob = statuses(service.send(impl.Recipient("bob", "bob@example.com"), "welcome", WELCOME))
    assert bob == [("email", "sent"), ("in_app", "sent")], \
        f"ada's quiet hours deferred bob: {bob!r}"


@pytest.mark.change
def test_change_release_deferred_delivers_once_the_quiet_hours_are_over(service, email, app, ada,
                                                                        clock, call):
    service.set_quiet_hours("ada", 22, 7)
    set_hour(clock, 23)
    service.send(ada, "welcome", WELCOME)
    set_hour(clock, 6.5, day=3)
    call.returns([], service.release_deferred)
    set_hour(clock, 7, day=3)
    got = [(d.id, d.user_id, d.channel, d.template, d.subject, d.body, d.status, d.attempts, d.at)
           for d in service.release_deferred()]
    want = [(3, "ada", "email", "welcome", *WELCOME_TEXT, "sent", 1, clock.now),
            (4, "ada", "in_app", "welcome", *WELCOME_TEXT, "sent", 1, clock.now)]
    assert got == want, f"release_deferred() at 07:00 after quiet hours 22-7 returned {got!r}, " \
                        f"expected {want!r}"
    assert email.outbox == [("ada@example.com", *WELCOME_TEXT)], \
        f"after the release the outbox is {email.outbox!r}"
    call.returns(1, app.unread_count, "ada")
    call.returns([], service.release_deferred)
    logged = [d.status for d in service.log()]
    assert logged == ["deferred", "deferred", "sent", "sent"], f"log() statuses are {logged!r}"


@pytest.mark.change
@pytest.mark.parametrize("start, end, hour, quiet", [
    (22, 7, 22, True), (22, 7, 23.5, True), (22, 7, 0, True), (22, 7, 6.75, True),
    (22, 7, 7, False), (22, 7, 12, False), (22, 7, 21.75, False),
    (9, 17.5, 9, True), (9, 17.5, 17.25, True), (9, 17.5, 17.5, False), (9, 17.5, 8, False),
    (0, 24, 0, True), (0, 24, 23.75, True),
])
def test_change_quiet_hours_start_inclusive_end_exclusive_and_wrap_past_midnight(
        service, ada, clock, start, end, hour, quiet):
    service.set_quiet_hours("ada", start, end)
    set_hour(clock, hour)
    got = service.send(ada, "welcome", WELCOME, channels=["in_app"])[0].status
    want = "deferred" if quiet else "sent"
    assert got == want, f"set_quiet_hours('ada', {start}, {end}), send at hour {hour}: {got!r}, " \
                        f"expected {want!r}"


@pytest.mark.change
def test_change_a_later_send_waits_behind_deferred_deliveries(service, app, ada, clock, call):
    service.set_quiet_hours("ada", 22, 7)
    set_hour(clock, 23)
    service.send(ada, "welcome", {"name": "Ada", "code": 1}, channels=["in_app"])
    set_hour(clock, 8, day=3)
    steps = [(2, "in_app", "deferred"), (3, "email", "sent")]
    for code, channel, want in steps:
        got = service.send(ada, "welcome", {"name": "Ada", "code": code}, channels=[channel])
        assert got[0].status == want, \
            f"at 08:00, ada's deliveries still waiting: send on {channel!r} was " \
            f"{got[0].status!r}, expected {want!r}"
    released = [(d.body, d.status) for d in service.release_deferred()]
    want = [("Hi Ada, your code is 1.", "sent"), ("Hi Ada, your code is 2.", "sent")]
    assert released == want, f"release_deferred() returned {released!r}, expected {want!r}"
    service.send(ada, "welcome", {"name": "Ada", "code": 4}, channels=["in_app"])
    bodies = [i["body"] for i in app.inbox("ada")]
    assert bodies == [f"Hi Ada, your code is {c}." for c in (1, 2, 4)], \
        f"inbox('ada') holds {bodies!r}: a later message overtook an earlier one"


@pytest.mark.change
def test_change_release_judges_opt_out_and_rate_limit_at_release_time(service, email, app, ada,
                                                                      clock, call):
    service.set_rate_limit("in_app", 1, 3600)
    service.set_quiet_hours("ada", 22, 7)
    set_hour(clock, 23)
    service.send(ada, "welcome", WELCOME)
    service.send(ada, "welcome", WELCOME)
    service.opt_out("ada", "email")
    set_hour(clock, 9, day=3)
    got = statuses(service.release_deferred())
    want = [("email", "skipped"), ("in_app", "sent"), ("email", "skipped"),
            ("in_app", "rate_limited")]
    assert got == want, f"release_deferred() after opt_out('ada', 'email') and a limit of 1 " \
                        f"returned {got!r}, expected {want!r}"
    assert email.outbox == [], f"a released delivery ignored the opt-out: {email.outbox!r}"
    call.returns(1, app.unread_count, "ada")
    call.returns([], service.release_deferred)


@pytest.mark.change
def test_change_start_equal_to_end_removes_quiet_hours(service, ada, clock, call):
    set_hour(clock, 12)
    service.set_quiet_hours("ada", 0, 24)
    first = service.send(ada, "welcome", WELCOME, channels=["in_app"])[0].status
    service.set_quiet_hours("ada", 5, 5)
    second = service.send(ada, "welcome", WELCOME, channels=["in_app"])[0].status
    assert (first, second) == ("deferred", "deferred"), \
        f"quiet 0-24, then 5-5 with a delivery waiting: sends were {first!r}, {second!r}; " \
        f"expected both 'deferred'"
    released = statuses(service.release_deferred())
    assert released == [("in_app", "sent")] * 2, \
        f"release_deferred() after set_quiet_hours('ada', 5, 5) returned {released!r}"
    got = statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"]))
    assert got == [("in_app", "sent")], f"with no quiet hours and nothing waiting: {got!r}"


@pytest.mark.change
def test_change_opt_out_comes_before_quiet_hours(service, ada, clock, call):
    service.opt_out("ada", "email")
    service.set_quiet_hours("ada", 0, 24)
    got = statuses(service.send(ada, "welcome", WELCOME))
    assert got == [("email", "skipped"), ("in_app", "deferred")], \
        f"opted out of email and quiet all day: send returned {got!r}"
    service.set_quiet_hours("ada", 0, 0)
    released = statuses(service.release_deferred())
    assert released == [("in_app", "sent")], f"release_deferred() returned {released!r}"


@pytest.mark.change
@pytest.mark.parametrize("args, error, named", [
    (("ada", -1, 7), ValueError, "-1"), (("ada", 22, 24.5), ValueError, "24.5"),
    (("ada", math.nan, 7), ValueError, "nan"), (("ada", 22, math.inf), ValueError, "inf"),
    (("ada", 10**400, 7), ValueError, ()), (("ada", "22", 7), TypeError, "22"),
    (("ada", 22, True), TypeError, "True"), (("ada", None, 7), TypeError, "None"),
    (("", 22, 7), ValueError, ()), ((5, 22, 7), TypeError, "5"),
])
def test_change_set_quiet_hours_validates_its_arguments(service, ada, clock, call, args, error,
                                                        named):
    call.raises(error, service.set_quiet_hours, *args, naming=named)
    set_hour(clock, 23)
    got = statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"]))
    assert got == [("in_app", "sent")], f"a rejected set_quiet_hours{args!r} still defers: {got!r}"


@pytest.mark.change
def test_change_random_sends_with_quiet_hours_agree_with_a_simple_model(impl, clock):
    run_model(impl, clock, 7, 2, steps=800, extensions=True, quiet=True)


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
def test_rendering_a_ten_times_longer_template_costs_ten_renders_not_a_hundred(impl, timed):
    def prepared(size: int):
        service = impl.NotificationService()
        body = " ".join(f"{{{{ k{i % 50} }}}} and {{literal}}" for i in range(size))
        service.register_template("big", "s", body)
        data = {f"k{i}": i for i in range(50)}
        return lambda: service.render("big", data)

    short, long = prepared(500), prepared(5_000)
    # Equal work on both sides keeps the ratio near 1 for linear rendering; CPU time leaves out
    # the other processes of a busy machine.
    ratio = timed.ratio(long, lambda: [short() for _ in range(10)], at_most=3,
                        timer=time.process_time)
    assert ratio < 3, f"render of a 10x longer template costs {ratio:.1f}x ten short renders"


@pytest.mark.perf
@pytest.mark.timeout(30)
def test_send_cost_does_not_grow_with_the_log_even_with_a_rate_limit(impl, timed):
    def sender(prior: int):
        service = impl.NotificationService(clock=lambda: 1_000.0)
        service.register_channel(impl.InAppChannel())
        service.register_template("t", "s", "{{ n }}")
        service.set_rate_limit("in_app", 10**9, 10**9)
        ada = impl.Recipient("ada")
        for n in range(prior):
            service.send(ada, "t", {"n": n})
        return lambda: [service.send(ada, "t", {"n": 0}) for _ in range(100)]

    small, large = sender(200), sender(6_000)
    ratio = timed.ratio(large, small, at_most=4, timer=time.process_time)
    assert ratio < 4, f"100 sends after 6,000 logged deliveries cost {ratio:.1f}x those after 200"
