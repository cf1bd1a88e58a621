"""Notification service with channels, safe templates and a delivery log

Size: full

A product team wants one place that sends user notifications: a message template is rendered
with per-user data and delivered over channels (email, in-app inbox). Product managers edit the
templates, so a template is untrusted text: it must never reach into Python objects or run
anything. Build the channels, the service and its delivery log.

Core (the 60-minute part):
- Recipient(user_id, email=None) and Delivery(...) are given below; Channel is the abstract base of
  every channel: a class attribute `name` and send(recipient, subject, body), which raises when it
  cannot deliver.
- EmailChannel (name "email") is a stub: send() appends (email, subject, body) to its `outbox` list.
  It raises DeliveryError when the recipient has no email or an implausible one. Plausible: exactly
  one "@", a non-empty part before it, after it a domain of two or more non-empty labels joined by
  dots ("example.com"), and no whitespace anywhere.
- InAppChannel (name "in_app") keeps an inbox per user: inbox(user_id) is a list of dicts
  {"id": int, "subject": str, "body": str, "read": bool}, oldest first, copies (editing them changes
  nothing); item ids are unique within the channel; unread_count(user_id); mark_read(user_id,
  item_id), which may be repeated. A user who never received anything has an empty inbox.
- NotificationService(*, clock=time.time, max_attempts=3):
  register_channel(channel) and register_template(name, subject, body), which replaces a template of
  the same name.
- Templates: subject and body hold placeholders "{{ key }}" (spaces inside the braces optional:
  "{{key}}" is the same). A key is one or more names (letters, digits, underscores) joined by dots:
  "{{ order.id }}" is data["order"]["id"]. Everything else is literal text, single braces
  included: "{total:>10}" renders as itself, and "}}" without an opening "{{" is plain text too.
  The first "}}" after a "{{" closes it. The whole template is checked when it is registered.
- render(template, data) -> (subject, body). data is a mapping; a key is looked up in mappings only,
  at every level (never an attribute, never an index into a list or string) and the value found is
  converted with str(). A rendered value is never rendered again. There are no format specs,
  conversions, expressions or calls: never use str.format or format_map on a template.
- send(recipient, template, data, channels=None) -> list[Delivery]: one Delivery per channel named
  (default: every registered channel, in registration order), in that order. A channel that raises
  (any exception) is called again at once, up to max_attempts calls in all: then its delivery is
  "failed" with attempts == max_attempts and error holding the exception's message; the other
  channels still deliver. A delivery that gets through is "sent" with the number of calls it took
  and error None.
- Delivery ids are 1, 2, 3, ... in log order; subject and body are the rendered text. send reads
  clock() once, before calling any channel: that reading is the `at` of each of its deliveries.
- log(*, user_id=None, channel=None, status=None) -> list[Delivery]: every delivery so far, oldest
  first, keeping those that match every filter given. The log only grows; what log() returns is the
  caller's own list: changing it never changes the service.
- The service and the in-app channel are safe to use from many threads at once. No lock of the
  service is held while a channel runs: a channel's send may itself call the service (log, render,
  opt_out, a send to another user), and while one channel call is slow, log() answers and
  deliveries to other users go ahead. Deliveries to one user on one channel are made one at a time, so that user's log entries
  for the channel are in the order the channel received them. Concurrent sends may interleave in
  the log.

Extensions (the stretch part, tests marked extension):
- opt_out(user_id, channel) / opt_in(user_id, channel): an opted-out user's delivery on that channel
  is "skipped" (attempts 0, error None) and the channel is not called. Opting out twice, or in
  without having opted out, is harmless.
- set_rate_limit(channel, max_count, per_seconds): when a user already has max_count "sent"
  deliveries on that channel in the last per_seconds (judged at the send's clock reading; a delivery
  sent at t counts while clock() < t + per_seconds), the next delivery is "rate_limited" (attempts
  0, error None) and the channel is not called. Only "sent" deliveries count, including those sent
  before the limit was set or changed. Setting a limit again replaces it. Opt-out is checked first.

Errors:
- Wrong argument types raise TypeError, bad values ValueError, and every message names the
  offending value: names and user ids are non-empty str, data is a mapping, clock is callable,
  channels is a list (not a str) of distinct names, item_id is an int, max_attempts and max_count
  are ints >= 1, per_seconds a positive finite number (NaN and inf are ValueError), a status filter
  is one of "sent", "failed", "skipped", "rate_limited". bool is not a number here (TypeError).
  An int is never too large: 10**400 is a valid max_attempts, max_count or per_seconds and works
  (a 10**400 s window never ends); nothing raises OverflowError.
- NotificationError is the base of TemplateError, UnknownTemplateError, UnknownChannelError and
  DeliveryError. register_channel: TypeError for a non-Channel, ValueError for a name already taken.
  EmailChannel's DeliveryError names the user id. mark_read of an item the user does not have:
  NotificationError naming the user and the item id.
- register_template: TemplateError for an unclosed "{{", an empty placeholder or a malformed key;
  the message names the template and the position (0-based index of the "{{" in the subject or the
  body). render/send: UnknownTemplateError; TemplateError naming every missing key at once (a key
  is missing when any step of it is not found in a mapping).
- Unknown channel names (in send, opt_out, opt_in, set_rate_limit): UnknownChannelError.
- send checks everything, renders and reads the clock before calling any channel: when it raises,
  nothing was delivered and nothing was logged. A rejected call changes no state.

Example:
    >>> service = NotificationService(clock=lambda: 100.0)
    >>> email, app = EmailChannel(), InAppChannel()
    >>> service.register_channel(email); service.register_channel(app)
    >>> service.register_template("shipped", "Order {{ order.id }} shipped",
    ...                           "Hi {{name}}, {{ order.items }} items are on the way {:)}")
    >>> ada = Recipient("ada", email="ada@example.com")
    >>> order = {"id": 7, "items": 3}
    >>> [d.status for d in service.send(ada, "shipped", {"name": "Ada", "order": order})]
    ['sent', 'sent']
    >>> email.outbox
    [('ada@example.com', 'Order 7 shipped', 'Hi Ada, 3 items are on the way {:)}')]
    >>> bob = Recipient("bob")
    >>> [d.status for d in service.send(bob, "shipped", {"name": "Bob", "order": order})]
    ['failed', 'sent']
    >>> failed = service.log(status="failed")[0]
    >>> failed.id, failed.attempts, failed.error, app.unread_count("bob")
    (3, 3, "DeliveryError: recipient 'bob' has no email address", 1)
    >>> try:
    ...     service.render("shipped", {"name": "Cy"})
    ... except TemplateError as error:
    ...     print(error)
    template 'shipped' has no data for order.id, order.items

Complexity:
- Rendering is linear in the template's length plus the rendered values: a template ten times
  longer renders about ten times slower, not a hundred.
- send costs O(channels + template), whatever the size of the log: a service that has logged
  tens of thousands of deliveries, rate limit included, sends about as fast as a new one.

Hints:
1. Parse each template once, at registration, into literal pieces and keys; rendering then only
   walks that list. Collect missing keys instead of stopping at the first.
2. For the key walk, ask isinstance(value, collections.abc.Mapping) at every step: that one check
   is what keeps attributes, indexes and format specs out of reach.
3. Split each delivery into decide (under the lock), call the channel (no lock held), record
   (under the lock); mark the (user, channel) pair busy from decide to record. For the rate limit
   keep, per (user, channel), the times of its sent deliveries in order and count the recent ones
   with bisect.

Change request:
Users may set quiet hours. A delivery that falls in them is deferred, never dropped, and is
delivered by release_deferred() once they are over.
- set_quiet_hours(user_id: str, start: float, end: float) -> None: every day the user is quiet
  from hour `start` up to, not including, hour `end`. The hour of clock time t is
  (t % 86400) / 3600. start > end wraps past midnight (22, 7 is quiet from 22:00 to 07:00);
  start == end is never quiet (this is how quiet hours are removed). Setting again replaces.
  start and end are numbers from 0 to 24: TypeError otherwise (bool is not a number here),
  ValueError outside that range (NaN and inf included); the user id as everywhere.
- send: after the opt-out check and before the rate limit, a delivery is "deferred" (attempts 0,
  error None, logged like any other, the channel not called) when the user is quiet at the send's
  clock reading, or when that user already has deferred deliveries waiting on that channel (so a
  later message never overtakes an earlier one). log's status filter accepts "deferred".
- release_deferred() -> list[Delivery]: reads clock() once; every waiting delivery of a user who is
  not quiet at that reading is delivered now, oldest first, exactly as send would deliver it
  (opt-out, rate limit and retries judged now, never deferred again), and logged as a new Delivery
  (a new id, the same template, subject and body, `at` the release's clock reading). Returns those
  new deliveries in log order; a user who is still quiet keeps their deliveries waiting, in order.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class NotificationError(Exception):
    """Base class of the service's domain errors."""


class TemplateError(NotificationError):
    """A template that does not parse, or data that lacks keys the template needs."""


class UnknownTemplateError(NotificationError):
    """A template name that was never registered."""


class UnknownChannelError(NotificationError):
    """A channel name that was never registered."""


class DeliveryError(NotificationError):
    """Raised by a channel that cannot deliver a message."""


@dataclass(frozen=True)
class Recipient:
    """Who a notification is for."""

    user_id: str
    email: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One entry of the delivery log: one message to one user on one channel, and how it went."""

    id: int
    user_id: str
    channel: str
    template: str
    subject: str
    body: str
    status: str
    attempts: int
    error: str | None
    at: float


class Channel(ABC):
    """A way to reach a user: subclasses set the class attribute `name` and implement `send`."""

    name: str

    @abstractmethod
    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Deliver one message, or raise (DeliveryError, or anything else) when it cannot."""
        raise NotImplementedError


class EmailChannel(Channel):
    """An email stub: appends (address, subject, body) to `outbox` instead of sending mail."""

    name = "email"

    def __init__(self) -> None:
        """An empty `outbox` list."""
        raise NotImplementedError

    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Record the email; DeliveryError when the recipient has no plausible address."""
        raise NotImplementedError


class InAppChannel(Channel):
    """Per-user inboxes of messages with a read flag."""

    name = "in_app"

    def __init__(self) -> None:
        """No inboxes yet."""
        raise NotImplementedError

    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Add an unread item to the recipient's inbox."""
        raise NotImplementedError

    def inbox(self, user_id: str) -> list[dict[str, Any]]:
        """Copies of the user's items (id, subject, body, read), oldest first."""
        raise NotImplementedError

    def unread_count(self, user_id: str) -> int:
        """How many of the user's items are unread."""
        raise NotImplementedError

    def mark_read(self, user_id: str, item_id: int) -> None:
        """Mark one item read; NotificationError when the user has no such item."""
        raise NotImplementedError


class NotificationService:
    """Renders templates, delivers them over registered channels and logs every delivery."""

    def __init__(self, *, clock: Callable[[], float] = time.time, max_attempts: int = 3) -> None:
        """Nothing registered or logged yet; a delivery calls its channel <= max_attempts times."""
        raise NotImplementedError

    def register_channel(self, channel: Channel) -> None:
        """Add a channel under its name; TypeError for a non-Channel, ValueError if it is taken."""
        raise NotImplementedError

    def register_template(self, name: str, subject: str, body: str) -> None:
        """Check and store a template, replacing any of that name; TemplateError if malformed."""
        raise NotImplementedError

    def render(self, template: str, data: Mapping[str, Any]) -> tuple[str, str]:
        """(subject, body) of the template filled from `data`; TemplateError names missing keys."""
        raise NotImplementedError

    def send(self, recipient: Recipient, template: str, data: Mapping[str, Any],
             channels: Iterable[str] | None = None) -> list[Delivery]:
        """Deliver a template to one recipient on each channel (default: all); one Delivery each.

        Every check, the rendering and the one reading of the clock happen before any channel is
        called or anything is logged.
        """
        raise NotImplementedError

    def opt_out(self, user_id: str, channel: str) -> None:
        """Stop delivering to this user on this channel (deliveries become "skipped")."""
        raise NotImplementedError

    def opt_in(self, user_id: str, channel: str) -> None:
        """Undo opt_out; opting in a user who never opted out does nothing."""
        raise NotImplementedError

    def set_rate_limit(self, channel: str, max_count: int, per_seconds: float) -> None:
        """Allow at most `max_count` sent deliveries per user on `channel` in any `per_seconds`."""
        raise NotImplementedError

    def log(self, *, user_id: str | None = None, channel: str | None = None,
            status: str | None = None) -> list[Delivery]:
        """The deliveries so far, oldest first, keeping those that match every filter given."""
        raise NotImplementedError
