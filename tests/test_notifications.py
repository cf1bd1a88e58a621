"""Grades a notification service (katas/notifications.py): run with --impl to grade your copy."""

from __future__ import annotations

import dataclasses
import operator
import random
import re
import threading
import types
from collections.abc import Iterator, Mapping
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
def test_render_fills_placeholders_with_or_without_spaces_inside_the_braces(service):
    service.register_template("t", "{{name}} / {{ name }} / {{   name}}", "{{code   }}{{ code }}")
    assert service.render("t", {"name": "Ada", "code": 7}) == ("Ada / Ada / Ada", "77")


@pytest.mark.core
def test_dotted_keys_walk_through_nested_mappings(service):
    service.register_template("t", "Order {{ order.id }}",
                              "{{ order.customer.name }} owes {{ order.total }}")
    data = {"order": {"id": 17, "total": 9.5, "customer": {"name": "Ada"}}}
    assert service.render("t", data) == ("Order 17", "Ada owes 9.5")


@pytest.mark.core
def test_values_are_converted_with_str(service):
    service.register_template("t", "{{ a }}|{{ b }}|{{ c }}", "{{ d }}|{{ e }}|{{ f }}")
    data = {"a": 3, "b": None, "c": 2.5, "d": True, "e": [1, "x"], "f": Vault()}
    assert service.render("t", data) == ("3|None|2.5", "True|[1, 'x']|<vault>")


@pytest.mark.core
def test_send_delivers_on_every_channel_in_registration_order(service, email, app, ada, clock):
    deliveries = service.send(ada, "welcome", WELCOME)
    assert [dataclasses.astuple(d) for d in deliveries] == [
        (1, "ada", "email", "welcome", "Welcome Ada", "Hi Ada, your code is 42.", "sent", 1, None,
         clock.now),
        (2, "ada", "in_app", "welcome", "Welcome Ada", "Hi Ada, your code is 42.", "sent", 1, None,
         clock.now),
    ]
    assert email.outbox == [("ada@example.com", "Welcome Ada", "Hi Ada, your code is 42.")]
    assert [(i["subject"], i["body"], i["read"]) for i in app.inbox("ada")] == [
        ("Welcome Ada", "Hi Ada, your code is 42.", False)]


@pytest.mark.core
def test_send_uses_only_the_named_channels_in_the_order_given(impl, service, email, app, ada):
    sms = scripted_channel(impl, "sms")
    service.register_channel(sms)
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms", "in_app"])) == [
        ("sms", "sent"), ("in_app", "sent")]
    assert email.outbox == []
    assert sms.calls == [("ada", "Welcome Ada", "Hi Ada, your code is 42.")]
    assert len(app.inbox("ada")) == 1


@pytest.mark.core
def test_in_app_inbox_is_oldest_first_and_tracks_read_flags(impl, service, app):
    bob = impl.Recipient("bob")
    for code in (1, 2, 3):
        service.send(bob, "welcome", {"name": "Bob", "code": code}, channels=["in_app"])
    items = app.inbox("bob")
    assert [i["body"] for i in items] == [f"Hi Bob, your code is {c}." for c in (1, 2, 3)]
    assert len({i["id"] for i in items}) == 3
    assert app.unread_count("bob") == 3
    app.mark_read("bob", items[1]["id"])
    assert [i["read"] for i in app.inbox("bob")] == [False, True, False]
    assert app.unread_count("bob") == 2


@pytest.mark.core
def test_email_channel_accepts_plausible_addresses(impl, email):
    for address in ("a@b.co", "first.last+tag@mail.example.org", "x_y-z@sub.domain.io"):
        email.send(impl.Recipient("u", address), "s", "b")
    assert [to for to, _, _ in email.outbox] == [
        "a@b.co", "first.last+tag@mail.example.org", "x_y-z@sub.domain.io"]


@pytest.mark.core
def test_a_channel_failing_twice_then_succeeding_is_sent_after_three_attempts(impl, service, ada):
    flaky = scripted_channel(impl, "sms", failures=2)
    service.register_channel(flaky)
    [delivery] = service.send(ada, "welcome", WELCOME, channels=["sms"])
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 3, None)
    assert len(flaky.calls) == 3


@pytest.mark.core
def test_a_channel_that_keeps_failing_is_logged_failed_and_the_others_still_deliver(
        impl, service, email, app, ada):
    down = scripted_channel(impl, "sms", failures=100)
    service.register_channel(down)
    deliveries = service.send(ada, "welcome", WELCOME, channels=["in_app", "sms", "email"])
    assert statuses(deliveries) == [("in_app", "sent"), ("sms", "failed"), ("email", "sent")]
    failed = deliveries[1]
    assert failed.attempts == 3 and len(down.calls) == 3
    assert "sms is down" in failed.error
    assert len(email.outbox) == 1 and len(app.inbox("ada")) == 1
    assert service.log(status="failed") == [failed]


@pytest.mark.core
def test_email_without_an_address_fails_while_in_app_delivers(impl, service, email, app):
    deliveries = service.send(impl.Recipient("bob"), "welcome", WELCOME)
    assert statuses(deliveries) == [("email", "failed"), ("in_app", "sent")]
    assert deliveries[0].attempts == 3 and "bob" in deliveries[0].error
    assert email.outbox == [] and app.unread_count("bob") == 1


@pytest.mark.core
def test_log_lists_deliveries_oldest_first_with_ids_in_order_and_clock_times(impl, service, clock):
    service.send(impl.Recipient("ada", "ada@example.com"), "welcome", WELCOME)
    clock.advance(5)
    service.send(impl.Recipient("bob"), "welcome", WELCOME, channels=["in_app"])
    log = service.log()
    assert [(d.id, d.user_id, d.channel, d.at) for d in log] == [
        (1, "ada", "email", 1000.0), (2, "ada", "in_app", 1000.0), (3, "bob", "in_app", 1005.0)]


@pytest.mark.core
def test_log_filters_combine(impl, service):
    service.send(impl.Recipient("ada", "ada@example.com"), "welcome", WELCOME)
    service.send(impl.Recipient("bob"), "welcome", WELCOME)
    service.send(impl.Recipient("bob", "bob@example.com"), "welcome", WELCOME, channels=["email"])
    assert [d.id for d in service.log(user_id="bob")] == [3, 4, 5]
    assert [d.id for d in service.log(channel="email")] == [1, 3, 5]
    assert [d.id for d in service.log(status="sent")] == [1, 2, 4, 5]
    assert [d.id for d in service.log(user_id="bob", channel="email", status="sent")] == [5]
    assert service.log(user_id="nobody") == []


@pytest.mark.core
def test_registering_a_template_again_replaces_it(service):
    service.register_template("welcome", "Hello {{ name }}", "v2")
    assert service.render("welcome", {"name": "Ada"}) == ("Hello Ada", "v2")


# --- edge: the template is untrusted text --------------------------------------------------------


@pytest.mark.edge
def test_single_braces_and_stray_closing_braces_are_literal_text(service):
    body = "{name} {0} {} {code!r} {name.__class__} {name:>12} }} } {"
    service.register_template("t", "{{ name }}}", body)
    assert service.render("t", {"name": "Ada", "code": 1}) == ("Ada}", body)


@pytest.mark.edge
def test_a_huge_format_width_in_literal_text_renders_as_written(service):
    body = "Total: {total:>9999999999999999999}"
    service.register_template("t", "{{ total }}", body)
    assert service.render("t", {"total": 5}) == ("5", body)


@pytest.mark.edge
def test_attributes_are_never_read_through_a_template(impl, service):
    vault = Vault()
    service.register_template("t", "Your vault", "Password: {{ vault.password }}")
    with pytest.raises(impl.TemplateError) as info:
        service.render("t", {"vault": vault})
    assert "vault.password" in str(info.value) and "hunter2" not in str(info.value)
    assert vault.touched == []


@pytest.mark.edge
@pytest.mark.parametrize("key", ["user.__class__.__mro__", "name.__class__", "fn.__globals__",
                                 "order.keys", "order.__init__.__globals__"])
def test_dunder_and_method_keys_cannot_reach_python_internals(impl, service, key):
    data = {"user": Vault(), "name": "Ada", "fn": scripted_channel, "order": {"id": 1}}
    service.register_template("t", "s", f"Leak: {{{{ {key} }}}}")
    with pytest.raises(impl.TemplateError) as info:
        service.render("t", data)
    message = str(info.value)
    assert key in message
    assert "<class" not in message and "built-in" not in message and "hunter2" not in message


@pytest.mark.edge
def test_keys_that_look_like_dunders_are_plain_mapping_keys(service):
    service.register_template("t", "{{ __class__ }}", "{{ d.__init__ }}")
    assert service.render("t", {"__class__": "a", "d": {"__init__": "b"}}) == ("a", "b")


@pytest.mark.edge
@pytest.mark.parametrize("key, data", [("items.0", {"items": ["secret"]}),
                                       ("name.0", {"name": "Ada"}),
                                       ("pair.1", {"pair": ("a", "b")})])
def test_lists_strings_and_tuples_are_never_indexed(impl, service, key, data):
    with pytest.raises(impl.TemplateError):
        service.register_template("t", "s", f"{{{{ {key} }}}}")
        service.render("t", data)


@pytest.mark.edge
def test_rendered_values_are_never_rendered_again(service):
    service.register_template("t", "{{ name }}", "{{ code }}")
    data = {"name": "{{ code }}", "code": "{name.__class__} {{ name }}"}
    assert service.render("t", data) == ("{{ code }}", "{name.__class__} {{ name }}")


@pytest.mark.edge
def test_any_mapping_is_accepted_at_every_level(service):
    service.register_template("t", "{{ a.b }}", "{{ c.d.e }}")
    data = types.MappingProxyType({"a": ReadOnly(b="x"), "c": {"d": ReadOnly(e=5)}})
    assert service.render("t", data) == ("x", "5")


@pytest.mark.edge
def test_a_template_without_placeholders_renders_as_is(service):
    service.register_template("t", "", "plain text")
    assert service.render("t", {}) == ("", "plain text")


@pytest.mark.edge
def test_inbox_returns_copies(service, app, ada):
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    items = app.inbox("ada")
    items[0]["read"] = True
    items[0]["body"] = "changed"
    items.clear()
    [item] = app.inbox("ada")
    assert (item["read"], item["body"]) == (False, "Hi Ada, your code is 42.")
    assert app.unread_count("ada") == 1


@pytest.mark.edge
def test_unknown_users_have_empty_inboxes_and_marking_read_twice_is_harmless(service, app, ada):
    assert app.inbox("nobody") == [] and app.unread_count("nobody") == 0
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    item_id = app.inbox("ada")[0]["id"]
    app.mark_read("ada", item_id)
    app.mark_read("ada", item_id)
    assert app.unread_count("ada") == 0


@pytest.mark.edge
def test_log_returns_the_callers_own_list_of_frozen_deliveries(service, ada):
    service.send(ada, "welcome", WELCOME)
    log = service.log()
    log.clear()
    service.log().append("junk")
    service.log(status="sent").pop()
    assert [d.id for d in service.log()] == [1, 2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        service.log()[0].status = "failed"
    assert service.log()[0].status == "sent"


@pytest.mark.edge
def test_send_with_an_empty_channel_list_or_no_channels_delivers_nothing(impl, service, ada):
    assert service.send(ada, "welcome", WELCOME, channels=[]) == []
    bare = impl.NotificationService()
    bare.register_template("t", "s", "b")
    assert bare.send(ada, "t", {}) == []
    assert service.log() == [] and bare.log() == []


@pytest.mark.edge
def test_max_attempts_one_never_retries(impl, clock, ada):
    service = impl.NotificationService(clock=clock, max_attempts=1)
    flaky = scripted_channel(impl, "sms", failures=1)
    service.register_channel(flaky)
    service.register_template("t", "s", "b")
    assert [(d.status, d.attempts) for d in service.send(ada, "t", {})] == [("failed", 1)]
    assert [(d.status, d.attempts) for d in service.send(ada, "t", {})] == [("sent", 1)]
    assert len(flaky.calls) == 2


@pytest.mark.edge
def test_any_exception_a_channel_raises_is_retried_and_logged(impl, service, ada):
    broken = scripted_channel(impl, "sms", failures=100, error=RuntimeError)
    service.register_channel(broken)
    [delivery] = service.send(ada, "welcome", WELCOME, channels=["sms"])
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "sms is down" in delivery.error and len(broken.calls) == 3


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
def test_missing_keys_are_all_named_in_one_template_error(impl, service, error_naming):
    service.register_template("t", "{{ title }} {{ order.id }}",
                              "{{ name }} {{ order.id }} {{ user.address.city }} {{ code }}")
    data = {"name": "Ada", "user": {"address": "a string, not a mapping"}}
    with error_naming(impl.TemplateError, "title", "order.id", "user.address.city", "code"):
        service.render("t", data)
    assert issubclass(impl.TemplateError, impl.NotificationError)


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
        impl, service, error_naming, subject, body, position):
    with error_naming(impl.TemplateError, "broken", position):
        service.register_template("broken", subject, body)
    with pytest.raises(impl.UnknownTemplateError):
        service.render("broken", {})


@pytest.mark.errors
def test_a_rejected_template_keeps_the_previous_version(impl, service):
    with pytest.raises(impl.TemplateError):
        service.register_template("welcome", "New {{ name", "body")
    assert service.render("welcome", WELCOME) == ("Welcome Ada", "Hi Ada, your code is 42.")


@pytest.mark.errors
def test_unknown_template_raises_in_render_and_send_and_logs_nothing(impl, service, email, ada,
                                                                    error_naming):
    with error_naming(impl.UnknownTemplateError, "goodbye"):
        service.render("goodbye", {})
    with error_naming(impl.UnknownTemplateError, "goodbye"):
        service.send(ada, "goodbye", {})
    assert service.log() == [] and email.outbox == []
    assert issubclass(impl.UnknownTemplateError, impl.NotificationError)


@pytest.mark.errors
def test_an_unknown_channel_raises_before_any_channel_is_called(impl, service, email, app, ada,
                                                              error_naming):
    with error_naming(impl.UnknownChannelError, "pigeon"):
        service.send(ada, "welcome", WELCOME, channels=["email", "in_app", "pigeon"])
    assert service.log() == [] and email.outbox == [] and app.inbox("ada") == []
    assert issubclass(impl.UnknownChannelError, impl.NotificationError)


@pytest.mark.errors
def test_missing_data_raises_before_any_channel_is_called(impl, service, email, app, ada,
                                                        error_naming):
    sms = scripted_channel(impl, "sms")
    service.register_channel(sms)
    with error_naming(impl.TemplateError, "code"):
        service.send(ada, "welcome", {"name": "Ada"})
    assert service.log() == [] and email.outbox == [] and app.inbox("ada") == []
    assert sms.calls == []
    assert [d.id for d in service.send(ada, "welcome", WELCOME)] == [1, 2, 3]


@pytest.mark.errors
@pytest.mark.parametrize("address", ["no-at-sign.com", "a@@b.co", "a@b@c.co", "@b.co", "a@b",
                                     "a@.com", "a@b.", "a@b..co", "a b@c.co", "ab@c.co\n", ""])
def test_email_channel_rejects_implausible_addresses(impl, email, address, error_naming):
    with error_naming(impl.DeliveryError, "u7"):
        email.send(impl.Recipient("u7", address), "s", "b")
    assert email.outbox == []
    assert issubclass(impl.DeliveryError, impl.NotificationError)


@pytest.mark.errors
def test_mark_read_of_an_item_the_user_does_not_have_raises(impl, service, app, ada, error_naming):
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    item_id = app.inbox("ada")[0]["id"]
    with error_naming(impl.NotificationError, "bob"):
        app.mark_read("bob", item_id)
    with error_naming(impl.NotificationError, "999"):
        app.mark_read("ada", 999)
    with error_naming(TypeError, "'1'"):
        app.mark_read("ada", "1")
    with error_naming(TypeError, "None"):
        app.inbox(None)
    assert app.unread_count("ada") == 1


@pytest.mark.errors
def test_register_channel_rejects_non_channels_and_taken_names(impl, service, email, ada,
                                                               error_naming):
    with error_naming(TypeError, "str"):
        service.register_channel("email")
    with error_naming(ValueError, "email"):
        service.register_channel(impl.EmailChannel())
    service.send(ada, "welcome", WELCOME, channels=["email"])
    assert len(email.outbox) == 1


@pytest.mark.errors
@pytest.mark.parametrize("call, error, named", [
    (lambda s, i: s.send("ada", "welcome", WELCOME), TypeError, "'ada'"),
    (lambda s, i: s.send(i.Recipient(""), "welcome", WELCOME), ValueError, "''"),
    (lambda s, i: s.send(i.Recipient(7), "welcome", WELCOME), TypeError, "7"),
    (lambda s, i: s.send(i.Recipient("ada"), "welcome", WELCOME, channels="email"), TypeError,
     "'email'"),
    (lambda s, i: s.send(i.Recipient("ada"), "welcome", WELCOME, channels=["email", "email"]),
     ValueError, "email"),
    (lambda s, i: s.send(i.Recipient("ada"), "welcome", [("name", "Ada")]), TypeError, "list"),
    (lambda s, i: s.render("welcome", "name=Ada"), TypeError, "str"),
    (lambda s, i: s.render(3, {}), TypeError, "3"),
    (lambda s, i: s.register_template("", "s", "b"), ValueError, "''"),
    (lambda s, i: s.register_template("t", None, "b"), TypeError, "None"),
    (lambda s, i: s.register_template("t", "s", b"bytes"), TypeError, "bytes"),
    (lambda s, i: s.log(status="lost"), ValueError, "lost"),
    (lambda s, i: s.log(user_id=5), TypeError, "5"),
    (lambda s, i: i.NotificationService(max_attempts=0), ValueError, "0"),
    (lambda s, i: i.NotificationService(max_attempts="3"), TypeError, "'3'"),
    (lambda s, i: i.NotificationService(clock=1000.0), TypeError, "1000.0"),
])
def test_wrong_types_and_bad_values_are_rejected(impl, service, email, error_naming, call, error,
                                                 named):
    with error_naming(error, named):
        call(service, impl)
    assert service.log() == [] and email.outbox == []


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_concurrent_sends_keep_ids_unique_and_the_log_complete(impl, service, app, run_threads,
                                                               frequent_thread_switches):
    per_thread = 60

    def work(n: int) -> None:
        for i in range(per_thread):
            service.send(impl.Recipient(f"user{n}"), "welcome", {"name": n, "code": i},
                         channels=["in_app"])

    run_threads(6, work)
    log = service.log()
    assert [d.id for d in log] == list(range(1, 6 * per_thread + 1))
    for n in range(6):
        bodies = [i["body"] for i in app.inbox(f"user{n}")]
        assert bodies == [f"Hi {n}, your code is {i}." for i in range(per_thread)]
        assert [d.body for d in service.log(user_id=f"user{n}")] == bodies
    all_items = [i["id"] for n in range(6) for i in app.inbox(f"user{n}")]
    assert len(set(all_items)) == 6 * per_thread


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_rate_limit_holds_under_concurrent_sends(impl, service, app, ada, run_threads,
                                                 frequent_thread_switches):
    service.set_rate_limit("in_app", 10, 3600)
    run_threads(6, lambda n: [service.send(ada, "welcome", WELCOME, channels=["in_app"])
                              for _ in range(20)])
    assert len(service.log(status="sent")) == 10
    assert len(service.log(status="rate_limited")) == 110
    assert app.unread_count("ada") == 10


@pytest.mark.concurrency
@pytest.mark.timeout(10)
def test_in_app_channel_handles_concurrent_sends_and_reads(impl, app, run_threads,
                                                           frequent_thread_switches):
    ada = impl.Recipient("ada")

    def work(n: int) -> None:
        for i in range(100):
            app.send(ada, f"s{n}", str(i))
            if i % 2:
                mine = [item["id"] for item in app.inbox("ada") if item["subject"] == f"s{n}"]
                app.mark_read("ada", mine[-1])

    run_threads(4, work)
    items = app.inbox("ada")
    assert len(items) == 400 and len({i["id"] for i in items}) == 400
    assert app.unread_count("ada") == 200
    for n in range(4):
        assert [i["body"] for i in items if i["subject"] == f"s{n}"] == [str(i) for i in range(100)]


# --- extension: opt-out and rate limits ----------------------------------------------------------


@pytest.mark.extension
def test_an_opted_out_channel_is_skipped_and_never_called(impl, service, email, app, ada):
    service.opt_out("ada", "email")
    deliveries = service.send(ada, "welcome", WELCOME)
    assert [(d.channel, d.status, d.attempts, d.error) for d in deliveries] == [
        ("email", "skipped", 0, None), ("in_app", "sent", 1, None)]
    assert email.outbox == []
    service.send(impl.Recipient("bob", "bob@example.com"), "welcome", WELCOME, channels=["email"])
    assert [to for to, _, _ in email.outbox] == ["bob@example.com"]


@pytest.mark.extension
def test_opt_in_restores_delivery_and_repeats_are_harmless(service, email, ada):
    service.opt_in("ada", "email")
    service.opt_out("ada", "email")
    service.opt_out("ada", "email")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["email"])) == [
        ("email", "skipped")]
    service.opt_in("ada", "email")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["email"])) == [
        ("email", "sent")]
    assert len(email.outbox) == 1
    assert [d.status for d in service.log(status="skipped")] == ["skipped"]


@pytest.mark.extension
def test_an_opted_out_failing_channel_is_not_called_at_all(impl, service, ada):
    down = scripted_channel(impl, "sms", failures=100)
    service.register_channel(down)
    service.opt_out("ada", "sms")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [("sms", "skipped")]
    assert down.calls == []


@pytest.mark.extension
def test_rate_limit_blocks_extra_deliveries_until_the_window_passes(service, app, ada, clock):
    service.set_rate_limit("in_app", 2, 60)
    send = lambda: service.send(ada, "welcome", WELCOME)  # noqa: E731
    assert statuses(send()) == [("email", "sent"), ("in_app", "sent")]
    clock.advance(10)
    assert statuses(send()) == [("email", "sent"), ("in_app", "sent")]
    clock.advance(49.5)
    limited = send()
    assert statuses(limited) == [("email", "sent"), ("in_app", "rate_limited")]
    assert (limited[1].attempts, limited[1].error) == (0, None)
    assert app.unread_count("ada") == 2
    clock.advance(0.5)  # 60 s after the first in-app delivery: it no longer counts
    assert statuses(send()) == [("email", "sent"), ("in_app", "sent")]
    assert statuses(send()) == [("email", "sent"), ("in_app", "rate_limited")]
    clock.advance(10)  # 60 s after the second
    assert statuses(send()) == [("email", "sent"), ("in_app", "sent")]


@pytest.mark.extension
def test_rate_limits_are_per_user_and_per_channel(impl, service, ada):
    service.set_rate_limit("email", 1, 100)
    bob = impl.Recipient("bob", "bob@example.com")
    both_sent = [("email", "sent"), ("in_app", "sent")]
    assert statuses(service.send(ada, "welcome", WELCOME)) == both_sent
    assert statuses(service.send(bob, "welcome", WELCOME)) == both_sent
    assert statuses(service.send(ada, "welcome", WELCOME)) == [
        ("email", "rate_limited"), ("in_app", "sent")]


@pytest.mark.extension
def test_only_sent_deliveries_count_towards_the_rate_limit(impl, service, ada):
    flaky = scripted_channel(impl, "sms", failures=3)
    service.register_channel(flaky)
    service.set_rate_limit("sms", 1, 100)
    service.opt_out("ada", "sms")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [("sms", "skipped")]
    service.opt_in("ada", "sms")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [("sms", "failed")]
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [("sms", "sent")]
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [
        ("sms", "rate_limited")]
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["sms"])) == [
        ("sms", "rate_limited")]
    assert len(flaky.calls) == 4


@pytest.mark.extension
def test_a_rate_limit_counts_earlier_sends_and_setting_it_again_replaces_it(service, ada, clock):
    for _ in range(3):
        service.send(ada, "welcome", WELCOME, channels=["in_app"])
        clock.advance(10)
    service.set_rate_limit("in_app", 3, 100)
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"])) == [
        ("in_app", "rate_limited")]
    service.set_rate_limit("in_app", 2, 15)
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"])) == [
        ("in_app", "sent")]
    service.set_rate_limit("in_app", 4, 1000)
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"])) == [
        ("in_app", "rate_limited")]


@pytest.mark.extension
def test_opt_out_is_checked_before_the_rate_limit(service, ada):
    service.set_rate_limit("in_app", 1, 100)
    service.send(ada, "welcome", WELCOME, channels=["in_app"])
    service.opt_out("ada", "in_app")
    assert statuses(service.send(ada, "welcome", WELCOME, channels=["in_app"])) == [
        ("in_app", "skipped")]


@pytest.mark.extension
@pytest.mark.parametrize("call", [lambda s: s.opt_out("ada", "pigeon"),
                                  lambda s: s.opt_in("ada", "pigeon"),
                                  lambda s: s.set_rate_limit("pigeon", 1, 1)])
def test_opt_out_opt_in_and_rate_limit_need_a_known_channel(impl, service, error_naming, call):
    with error_naming(impl.UnknownChannelError, "pigeon"):
        call(service)


@pytest.mark.extension
@pytest.mark.parametrize("args, error, named", [
    ((0, 10), ValueError, "0"), ((-1, 10), ValueError, "-1"), (("5", 10), TypeError, "'5'"),
    ((1.5, 10), TypeError, "1.5"), ((5, 0), ValueError, "0"), ((5, -2.5), ValueError, "-2.5"),
    ((5, "10"), TypeError, "'10'"), ((5, float("inf")), ValueError, "inf"),
])
def test_rate_limit_arguments_are_validated(service, ada, error_naming, args, error, named):
    with error_naming(error, named):
        service.set_rate_limit("in_app", *args)
    service.send(ada, "welcome", WELCOME)
    service.send(ada, "welcome", WELCOME)
    assert len(service.log(status="sent")) == 4


@pytest.mark.extension
@pytest.mark.parametrize("call, error, named", [
    (lambda s: s.opt_out("", "email"), ValueError, "''"),
    (lambda s: s.opt_in(None, "email"), TypeError, "None"),
])
def test_opt_out_and_opt_in_validate_the_user_id(service, error_naming, call, error, named):
    with error_naming(error, named):
        call(service)


# --- randomized model test ------------------------------------------------------------------------

TEMPLATES = [
    ("order", "Order {{ order.id }}", "Hi {{name}}, total {total:>8} = {{ order.total }} {}"),
    ("plain", "Hello", "} nothing to fill {"),
    ("nested", "{{ a.b.c }}", "{{a.b}} / {{ name }}"),
]
PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+?)\s*\}\}")
USERS = ["ada", "bob", "cy", "dee"]
EMAILS = {"ada": "ada@example.com", "bob": None, "cy": "not-an-address", "dee": "dee@example.org"}


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


def run_model(impl, clock, seed: int, max_attempts: int, extensions: bool, steps: int) -> None:
    rng = random.Random(seed)
    service = impl.NotificationService(clock=clock, max_attempts=max_attempts)
    app, email, push = impl.InAppChannel(), impl.EmailChannel(), scripted_channel(impl, "push")
    for channel in (app, email, push):
        service.register_channel(channel)
    channel_names = ["in_app", "email", "push"]
    templates: dict[str, tuple[str, str]] = {}
    for name, subject, body in TEMPLATES:
        service.register_template(name, subject, body)
        templates[name] = (subject, body)
    log: list[tuple] = []
    inboxes: dict[str, list[tuple[str, str]]] = {user: [] for user in USERS}
    opted_out: set[tuple[str, str]] = set()
    limits: dict[str, tuple[int, float]] = {}

    def outcome(user: str, channel: str, failures: int) -> tuple[str, int]:
        if (user, channel) in opted_out:
            return "skipped", 0
        if channel in limits:
            max_count, per_seconds = limits[channel]
            recent = [e for e in log if e[1] == user and e[2] == channel and e[6] == "sent"
                      and clock.now < e[9] + per_seconds]
            if len(recent) >= max_count:
                return "rate_limited", 0
        if failures >= max_attempts:
            return "failed", max_attempts
        return "sent", failures + 1

    ops = ["send"] * 6 + ["render", "advance", "log", "retemplate"]
    if extensions:
        ops += ["opt_out", "opt_in", "limit"]
    for step in range(steps):
        op = rng.choice(ops)
        user = rng.choice(USERS)
        channel = rng.choice(channel_names)
        if op in ("send", "render"):
            template = rng.choice(sorted(templates))
            data = random_data(rng)
            missing: list[str] = []
            subject = model_render(templates[template][0], data, missing)
            body = model_render(templates[template][1], data, missing)
            if op == "render":
                if missing:
                    with pytest.raises(impl.TemplateError) as info:
                        service.render(template, data)
                    assert all(key in str(info.value) for key in missing), f"step {step}"
                else:
                    assert service.render(template, data) == (subject, body), f"step {step}"
                continue
            names = None if rng.random() < 0.4 else rng.sample(channel_names, rng.randint(0, 3))
            failures = push.failures = rng.choice([0, 0, 0, 1, 2, 3, 5])
            before = len(push.calls)
            if missing:
                with pytest.raises(impl.TemplateError):
                    service.send(impl.Recipient(user, EMAILS[user]), template, data, names)
                assert len(push.calls) == before, f"step {step}: a channel was called"
                continue
            expected = []
            for name in channel_names if names is None else names:
                if name == "email" and EMAILS[user] in (None, "not-an-address"):
                    status, attempts = outcome(user, name, 1_000)
                else:
                    status, attempts = outcome(user, name, failures if name == "push" else 0)
                entry = (len(log) + 1, user, name, template, subject, body, status, attempts,
                         status == "failed", clock.now)
                log.append(entry)
                expected.append(entry)
                if name == "in_app" and status == "sent":
                    inboxes[user].append((subject, body))
            got = service.send(impl.Recipient(user, EMAILS[user]), template, data, names)
            assert [snapshot(d) for d in got] == expected, f"step {step}: send"
            assert [snapshot(d) for d in service.log()[len(log) - len(got):]] == expected
            assert [(i["subject"], i["body"]) for i in app.inbox(user)] == inboxes[user]
        elif op == "advance":
            clock.advance(rng.choice([0.5, 1, 5, 20]))
        elif op == "log":
            filters = {key: value for key, value in [("user_id", user), ("channel", channel),
                                                     ("status", rng.choice(["sent", "failed"]))]
                       if rng.random() < 0.5}
            positions = {"user_id": 1, "channel": 2, "status": 6}
            wanted = [e for e in log if all(e[positions[k]] == v for k, v in filters.items())]
            assert [snapshot(d) for d in service.log(**filters)] == wanted, f"step {step}: log"
        elif op == "retemplate":
            name, subject, body = rng.choice(TEMPLATES)
            if templates[name] == (subject, body):  # swap the parts to get a new version
                subject, body = body, subject
            service.register_template(name, subject, body)
            templates[name] = (subject, body)
        elif op == "opt_out":
            service.opt_out(user, channel)
            opted_out.add((user, channel))
        elif op == "opt_in":
            service.opt_in(user, channel)
            opted_out.discard((user, channel))
        else:
            limit = (rng.randint(1, 4), rng.choice([1, 10, 30]))
            service.set_rate_limit(channel, *limit)
            limits[channel] = limit
        assert len(service.log()) == len(log), f"step {step}: log length after {op}"
    assert [snapshot(d) for d in service.log()] == log


@pytest.mark.core
@pytest.mark.parametrize("seed, max_attempts", [(1, 3), (2, 1), (3, 4)])
def test_random_sends_agree_with_a_simple_model(impl, clock, seed, max_attempts):
    run_model(impl, clock, seed, max_attempts, extensions=False, steps=1500)


@pytest.mark.extension
@pytest.mark.parametrize("seed, max_attempts", [(4, 3), (5, 2)])
def test_random_sends_with_opt_outs_and_rate_limits_agree_with_a_simple_model(
        impl, clock, seed, max_attempts):
    run_model(impl, clock, seed, max_attempts, extensions=True, steps=1500)


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
def test_rendering_a_ten_times_longer_template_costs_ten_renders_not_a_hundred(impl, timed):
    def prepared(size: int):
        service = impl.NotificationService()
        body = " ".join(f"{{{{ k{i % 50} }}}} and {{literal}}" for i in range(size))
        service.register_template("big", "s", body)
        data = {f"k{i}": i for i in range(50)}
        assert service.render("big", data)[1].startswith("0 and {literal} 1 and")
        return lambda: service.render("big", data)

    short, long = prepared(1_000), prepared(10_000)
    # Equal work on both sides keeps the ratio near 1 for linear rendering, whatever the load.
    ten_short = timed(lambda: [short() for _ in range(10)], repeats=7)
    one_long = timed(long, repeats=7)
    assert one_long / ten_short < 3, (
        f"one 10x longer template costs {one_long / ten_short:.1f}x ten short ones")


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_send_cost_does_not_grow_with_the_log_even_with_a_rate_limit(impl, timed):
    def send_cost(prior: int) -> float:
        service = impl.NotificationService(clock=lambda: 1_000.0)
        service.register_channel(impl.InAppChannel())
        service.register_template("t", "s", "{{ n }}")
        service.set_rate_limit("in_app", 10**9, 10**9)
        ada = impl.Recipient("ada")
        for n in range(prior):
            service.send(ada, "t", {"n": n})
        return timed(lambda: [service.send(ada, "t", {"n": 0}) for _ in range(300)], repeats=5)

    small, large = send_cost(500), send_cost(10_000)
    assert large / small < 4, f"sending after 10,000 deliveries is {large / small:.1f}x slower"
