"""Notification service: channels, safe {{ key }} templates, retries, opt-outs, rate limits, log."""

from __future__ import annotations

import bisect
import re
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
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


_STATUSES = ("sent", "failed", "skipped", "rate_limited", "deferred")
_KEY = re.compile(r"\w+(?:\.\w+)*")
_MISSING = object()
_NUMBER = (int, float)
_DAY, _HOUR = 86_400, 3_600

# A parsed template text: literal strings and, for each placeholder, the parts of its dotted key.
_Segment = str | tuple[str, ...]
_Slot = tuple[str, str]  # (user id, channel name): the unit of rate limits, opt-outs and order


@dataclass(frozen=True)
class _Message:
    """One rendered send, as each of its channels delivers it."""

    recipient: Recipient
    template: str
    subject: str
    body: str


def _check_type(value: Any, kind: type | tuple[type, ...], what: str, expected: str) -> Any:
    """`value` if it is an instance of `kind` (bool is never a number here); else TypeError."""
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{what} must be {expected}, got {type(value).__name__}: {value!r}")
    return value


def _check_text(value: object, what: str) -> str:
    if not _check_type(value, str, what, "a str"):
        raise ValueError(f"{what} must be a non-empty str, got {value!r}")
    return value


def _check_count(value: object, what: str) -> int:
    if _check_type(value, int, what, "an int") < 1:
        raise ValueError(f"{what} must be an int >= 1, got {value!r}")
    return value


def _plausible_email(address: str) -> bool:
    """One @, a non-empty local part, a domain of 2+ non-empty dotted labels, no whitespace."""
    if address.count("@") != 1 or any(char.isspace() for char in address):
        return False
    local, domain = address.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(labels)


def _parse(text: str, where: str) -> list[_Segment]:
    """Split a template text into literal text and placeholder keys; TemplateError if malformed."""
    segments: list[_Segment] = []
    position = 0
    while (start := text.find("{{", position)) != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            raise TemplateError(f"{where}: unclosed '{{{{' at position {start}")
        key = text[start + 2:end].strip()
        if not _KEY.fullmatch(key):
            problem = "empty placeholder" if not key else f"malformed key {key!r}"
            raise TemplateError(f"{where}: {problem} at position {start}: expected a key such as "
                                f"{{{{ name }}}} or {{{{ order.id }}}}")
        segments += [text[position:start], tuple(key.split("."))]
        position = end + 2
    segments.append(text[position:])
    return segments


def _lookup(data: Mapping[str, Any], key: tuple[str, ...]) -> Any:
    """The value of a dotted key, walking through mappings only: never attributes or indexes."""
    value: Any = data
    for part in key:
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _render(segments: list[_Segment], data: Mapping[str, Any], missing: dict[str, None]) -> str:
    """The text with every placeholder replaced; keys with no value are added to `missing` (a
    dict used as an ordered set: each key once, in order of appearance)."""
    parts = []
    for segment in segments:
        value = segment if isinstance(segment, str) else _lookup(data, segment)
        if value is _MISSING:
            missing[".".join(segment)] = None
        else:
            parts.append(str(value))
    return "".join(parts)


def _fill(template: str, parsed: tuple[list[_Segment], list[_Segment]],
          data: Mapping[str, Any]) -> tuple[str, str]:
    """Render a parsed (subject, body); one TemplateError names every missing key."""
    _check_type(data, Mapping, "data", "a mapping")
    missing: dict[str, None] = {}
    subject = _render(parsed[0], data, missing)
    body = _render(parsed[1], data, missing)
    if missing:
        raise TemplateError(f"template {template!r} has no data for {', '.join(missing)}")
    return subject, body


def _channel_names(channels: object) -> list[str]:
    if isinstance(channels, str) or not isinstance(channels, Iterable):
        raise TypeError(f"channels must be a list of channel names, got "
                        f"{type(channels).__name__}: {channels!r}")
    names = [_check_text(name, "channel name") for name in channels]
    if len(set(names)) != len(names):
        raise ValueError(f"channels {names!r} name a channel more than once")
    return names


class Channel(ABC):
    """A way to reach a user: subclasses set the class attribute `name` and implement `send`."""

    name: str

    @abstractmethod
    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Deliver one message, or raise (DeliveryError, or anything else) when it cannot."""


class EmailChannel(Channel):
    """An email stub: appends (address, subject, body) to `outbox` instead of sending mail."""

    name = "email"

    def __init__(self) -> None:
        self.outbox: list[tuple[str, str, str]] = []

    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Record the email; DeliveryError when the recipient has no plausible address."""
        if recipient.email is None:
            raise DeliveryError(f"recipient {recipient.user_id!r} has no email address")
        if not _plausible_email(recipient.email):
            raise DeliveryError(f"recipient {recipient.user_id!r} has an implausible email "
                                f"address {recipient.email!r}: expected local@domain.tld")
        self.outbox.append((recipient.email, subject, body))


class InAppChannel(Channel):
    """Per-user inboxes of messages with a read flag."""

    name = "in_app"

    def __init__(self) -> None:
        self._inboxes: dict[str, dict[int, dict[str, Any]]] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def send(self, recipient: Recipient, subject: str, body: str) -> None:
        """Add an unread item to the recipient's inbox."""
        with self._lock:
            item = {"id": self._next_id, "subject": subject, "body": body, "read": False}
            self._inboxes.setdefault(recipient.user_id, {})[self._next_id] = item
            self._next_id += 1

    def inbox(self, user_id: str) -> list[dict[str, Any]]:
        """Copies of the user's items (id, subject, body, read), oldest first."""
        _check_text(user_id, "user_id")
        with self._lock:
            return [dict(item) for item in self._inboxes.get(user_id, {}).values()]

    def unread_count(self, user_id: str) -> int:
        """How many of the user's items are unread."""
        _check_text(user_id, "user_id")
        with self._lock:
            return sum(not item["read"] for item in self._inboxes.get(user_id, {}).values())

    def mark_read(self, user_id: str, item_id: int) -> None:
        """Mark one item read; NotificationError when the user has no such item."""
        _check_text(user_id, "user_id")
        _check_type(item_id, int, "item_id", "an int")
        with self._lock:
            item = self._inboxes.get(user_id, {}).get(item_id)
            if item is None:
                raise NotificationError(f"user {user_id!r} has no inbox item {item_id}")
            item["read"] = True


class NotificationService:
    """Renders templates, delivers them over registered channels and logs every delivery."""

    def __init__(self, *, clock: Callable[[], float] = time.time, max_attempts: int = 3) -> None:
        self._clock = _check_type(clock, Callable, "clock", "a callable")
        self._max_attempts = _check_count(max_attempts, "max_attempts")
        self._channels: dict[str, Channel] = {}
        self._templates: dict[str, tuple[list[_Segment], list[_Segment]]] = {}
        self._opted_out: set[_Slot] = set()
        self._limits: dict[str, tuple[int, float]] = {}
        self._quiet_hours: dict[str, tuple[float, float]] = {}
        # Times of each slot's "sent" deliveries, ascending: a limit set or widened later still
        # counts every send inside its window.
        self._sent_at: dict[_Slot, list[float]] = {}
        # Each slot's deferred deliveries, oldest first, as (deferred delivery's id, message).
        self._waiting: dict[_Slot, deque[tuple[int, _Message]]] = {}
        self._log: list[Delivery] = []
        # Guards the state above and is never held while a channel runs; a slot in `_busy` has a
        # delivery in progress, so each slot's deliveries happen one at a time, in log order.
        self._lock = threading.Lock()
        self._slot_freed = threading.Condition(self._lock)
        self._busy: set[_Slot] = set()

    def register_channel(self, channel: Channel) -> None:
        """Add a channel under its name; ValueError if the name is taken."""
        _check_type(channel, Channel, "channel", "a Channel")
        name = _check_text(getattr(channel, "name", None), "channel name")
        with self._lock:
            if name in self._channels:
                raise ValueError(f"a channel named {name!r} is already registered")
            self._channels[name] = channel

    def register_template(self, name: str, subject: str, body: str) -> None:
        """Parse and store a template, replacing any of that name; TemplateError if malformed."""
        _check_text(name, "template name")
        for part, text in (("subject", subject), ("body", body)):
            _check_type(text, str, f"template {name!r} {part}", "a str")
        parsed = (_parse(subject, f"template {name!r} subject"),
                  _parse(body, f"template {name!r} body"))
        with self._lock:
            self._templates[name] = parsed

    def render(self, template: str, data: Mapping[str, Any]) -> tuple[str, str]:
        """(subject, body) of the template filled from `data`; TemplateError names missing keys."""
        with self._lock:
            parsed = self._template(template)
        return _fill(template, parsed, data)

    def send(self, recipient: Recipient, template: str, data: Mapping[str, Any],
             channels: Iterable[str] | None = None) -> list[Delivery]:
        """Deliver a template to one recipient on each channel (default: all); one Delivery each.

        Every check, the rendering and the one reading of the clock happen before any channel is
        called or anything is logged.
        """
        _check_type(recipient, Recipient, "recipient", "a Recipient")
        _check_text(recipient.user_id, "recipient user_id")
        names = None if channels is None else _channel_names(channels)
        with self._lock:
            parsed = self._template(template)
            targets = list(self._channels) if names is None else [self._channel(n) for n in names]
        # Outside the lock: str() of the caller's values may call back into the service.
        message = _Message(recipient, template, *_fill(template, parsed, data))
        now = self._clock()
        deliveries = []
        for name in targets:
            slot = (recipient.user_id, name)
            with self._turn({slot}):
                deliveries.append(self._deliver(slot, message, now, released=False))
        return deliveries

    def opt_out(self, user_id: str, channel: str) -> None:
        """Stop delivering to this user on this channel (deliveries become "skipped")."""
        _check_text(user_id, "user_id")
        with self._lock:
            self._opted_out.add((user_id, self._channel(channel)))

    def opt_in(self, user_id: str, channel: str) -> None:
        """Undo opt_out; opting in a user who never opted out does nothing."""
        _check_text(user_id, "user_id")
        with self._lock:
            self._opted_out.discard((user_id, self._channel(channel)))

    def set_rate_limit(self, channel: str, max_count: int, per_seconds: float) -> None:
        """Allow at most `max_count` sent deliveries per user on `channel` in any `per_seconds`."""
        _check_count(max_count, "max_count")
        if not 0 < _check_type(per_seconds, _NUMBER, "per_seconds", "a number") < float("inf"):
            raise ValueError(f"per_seconds must be a positive finite number, got {per_seconds!r}")
        with self._lock:
            self._limits[self._channel(channel)] = (max_count, per_seconds)

    def set_quiet_hours(self, user_id: str, start: float, end: float) -> None:
        """Defer the user's deliveries every day from hour `start` up to hour `end` (0-24)."""
        _check_text(user_id, "user_id")
        for what, hour in (("start", start), ("end", end)):
            if not 0 <= _check_type(hour, _NUMBER, what, "a number") <= 24:
                raise ValueError(f"{what} must be an hour from 0 to 24, got {hour!r}")
        with self._lock:
            self._quiet_hours[user_id] = (start, end)

    def release_deferred(self) -> list[Delivery]:
        """Deliver, oldest first, the deferred deliveries of users no longer in quiet hours."""
        now = self._clock()
        with self._lock:
            slots = {slot for slot in self._waiting if not self._quiet(slot[0], now)}
        released = []
        with self._turn(slots):
            with self._lock:  # another release may have taken some while this one waited
                due = sorted((entry, slot) for slot in slots
                             for entry in self._waiting.pop(slot, ()))
            for (_, message), slot in due:
                released.append(self._deliver(slot, message, now, released=True))
        return released

    def log(self, *, user_id: str | None = None, channel: str | None = None,
            status: str | None = None) -> list[Delivery]:
        """The deliveries so far, oldest first, keeping those that match every filter given."""
        for value, what in ((user_id, "user_id"), (channel, "channel"), (status, "status")):
            if value is not None:
                _check_text(value, what)
        if status is not None and status not in _STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(_STATUSES)}")
        with self._lock:
            return [delivery for delivery in self._log
                    if (user_id is None or delivery.user_id == user_id)
                    and (channel is None or delivery.channel == channel)
                    and (status is None or delivery.status == status)]

    def _template(self, name: str) -> tuple[list[_Segment], list[_Segment]]:
        _check_text(name, "template name")
        if name not in self._templates:
            raise UnknownTemplateError(f"no template named {name!r}; registered: "
                                       f"{sorted(self._templates)}")
        return self._templates[name]

    def _channel(self, name: str) -> str:
        _check_text(name, "channel name")
        if name not in self._channels:
            raise UnknownChannelError(f"no channel named {name!r}; registered: "
                                      f"{list(self._channels)}")
        return name

    @contextmanager
    def _turn(self, slots: set[_Slot]) -> Iterator[None]:
        """Wait until no delivery is in progress on any of `slots`, then hold them all."""
        with self._lock:
            self._slot_freed.wait_for(lambda: self._busy.isdisjoint(slots))
            self._busy |= slots
        try:
            yield
        finally:
            with self._lock:
                self._busy -= slots
                self._slot_freed.notify_all()

    def _admit(self, slot: _Slot, now: float, *, released: bool) -> str | None:
        """The status of a delivery that must not call its channel, or None to call it."""
        if slot in self._opted_out:
            return "skipped"
        if not released and (slot in self._waiting or self._quiet(slot[0], now)):
            return "deferred"
        if self._rate_limited(slot, now):
            return "rate_limited"
        return None

    def _deliver(self, slot: _Slot, message: _Message, now: float, *, released: bool) -> Delivery:
        """Call the slot's channel if the delivery is admitted, then log it.

        The caller holds the slot's turn, so nothing else delivers on it in between.
        """
        with self._lock:
            status = self._admit(slot, now, released=released)
        attempts, error = 0, None
        if status is None:
            status, attempts, error = self._attempt(self._channels[slot[1]], message)
        with self._lock:
            delivery = Delivery(len(self._log) + 1, slot[0], slot[1], message.template,
                                message.subject, message.body, status, attempts, error, now)
            self._log.append(delivery)
            if status == "sent":
                bisect.insort(self._sent_at.setdefault(slot, []), now)
            elif status == "deferred":
                self._waiting.setdefault(slot, deque()).append((delivery.id, message))
        return delivery

    def _attempt(self, channel: Channel, message: _Message) -> tuple[str, int, str | None]:
        """(status, attempts, error) of calling a channel up to max_attempts times."""
        error = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                channel.send(message.recipient, message.subject, message.body)
            except Exception as exc:  # whatever a channel raises is retried, then logged
                error = f"{type(exc).__name__}: {exc}"
            else:
                return "sent", attempt, None
        return "failed", self._max_attempts, error

    def _rate_limited(self, slot: _Slot, now: float) -> bool:
        if slot[1] not in self._limits:
            return False
        max_count, per_seconds = self._limits[slot[1]]
        times = self._sent_at.get(slot, [])
        # A send at t counts while now < t + per_seconds: compared as now - t so that a window
        # of any size (10**400 included) never overflows a float.
        first_counted = bisect.bisect_left(times, True, key=lambda t: now - t < per_seconds)
        return len(times) - first_counted >= max_count

    def _quiet(self, user_id: str, now: float) -> bool:
        """Whether `now` falls in the user's daily quiet hours [start, end), which may wrap."""
        start, end = self._quiet_hours.get(user_id, (0, 0))
        hour = now % _DAY / _HOUR
        return start <= hour < end if start <= end else (hour >= start or hour < end)
