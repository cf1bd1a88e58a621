"""Notification service: channels, safe {{ key }} templates, retries, opt-outs, rate limits, log."""

from __future__ import annotations

import bisect
import re
import threading
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


_STATUSES = ("sent", "failed", "skipped", "rate_limited")
_KEY = re.compile(r"\w+(?:\.\w+)*")
_MISSING = object()

# A parsed template text: literal strings and, for each placeholder, the parts of its dotted key.
_Segment = str | tuple[str, ...]


def _check_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError(f"{what} must be a non-empty str, got {value!r}")
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


def _render(segments: list[_Segment], data: Mapping[str, Any], missing: list[str]) -> str:
    """The text with every placeholder replaced; keys with no value are added to `missing`."""
    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
            continue
        value = _lookup(data, segment)
        if value is _MISSING:
            key = ".".join(segment)
            if key not in missing:
                missing.append(key)
        else:
            parts.append(str(value))
    return "".join(parts)


def _channel_names(channels: object) -> list[str]:
    if isinstance(channels, str) or not isinstance(channels, Iterable):
        raise TypeError(f"channels must be a list of channel names, got "
                        f"{type(channels).__name__}: {channels!r}")
    names = [_check_text(name, "channel name") for name in channels]
    if len(set(names)) != len(names):
        raise ValueError(f"channels {names!r} name a channel more than once")
    return names


def _fill(template: str, parsed: tuple[list[_Segment], list[_Segment]],
          data: Mapping[str, Any]) -> tuple[str, str]:
    """Render a parsed (subject, body); one TemplateError names every missing key."""
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be a mapping, got {type(data).__name__}: {data!r}")
    missing: list[str] = []
    subject = _render(parsed[0], data, missing)
    body = _render(parsed[1], data, missing)
    if missing:
        raise TemplateError(f"template {template!r} has no data for {', '.join(missing)}")
    return subject, body


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
        if not isinstance(item_id, int) or isinstance(item_id, bool):
            raise TypeError(f"item_id must be an int, got {type(item_id).__name__}: {item_id!r}")
        with self._lock:
            item = self._inboxes.get(user_id, {}).get(item_id)
            if item is None:
                raise NotificationError(f"user {user_id!r} has no inbox item {item_id}")
            item["read"] = True


class NotificationService:
    """Renders templates, delivers them over registered channels and logs every delivery."""

    def __init__(self, *, clock: Callable[[], float] = time.time, max_attempts: int = 3) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {type(clock).__name__}: {clock!r}")
        if not isinstance(max_attempts, int) or isinstance(max_attempts, bool):
            raise TypeError(f"max_attempts must be an int, got {type(max_attempts).__name__}: "
                            f"{max_attempts!r}")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
        self._clock = clock
        self._max_attempts = max_attempts
        self._channels: dict[str, Channel] = {}
        self._templates: dict[str, tuple[list[_Segment], list[_Segment]]] = {}
        self._opted_out: set[tuple[str, str]] = set()
        self._limits: dict[str, tuple[int, float]] = {}
        # (user, channel) -> times of its "sent" deliveries, ascending: a limit set or widened
        # later still counts every send inside its window.
        self._sent_at: dict[tuple[str, str], list[float]] = {}
        self._log: list[Delivery] = []
        # Held for a whole send, channel calls included: sends are serialised so that log order,
        # ids and rate-limit counts stay exact (the price: a slow channel delays other sends).
        self._lock = threading.Lock()

    def register_channel(self, channel: Channel) -> None:
        """Add a channel under its name; ValueError if the name is taken."""
        if not isinstance(channel, Channel):
            raise TypeError(f"channel must be a Channel, got {type(channel).__name__}: "
                            f"{channel!r}")
        name = _check_text(getattr(channel, "name", None), "channel name")
        with self._lock:
            if name in self._channels:
                raise ValueError(f"a channel named {name!r} is already registered")
            self._channels[name] = channel

    def register_template(self, name: str, subject: str, body: str) -> None:
        """Parse and store a template, replacing any of that name; TemplateError if malformed."""
        _check_text(name, "template name")
        for part, text in (("subject", subject), ("body", body)):
            if not isinstance(text, str):
                raise TypeError(f"template {name!r} {part} must be a str, got "
                                f"{type(text).__name__}: {text!r}")
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

        Every check and the rendering happen before any channel is called or anything is logged.
        """
        if not isinstance(recipient, Recipient):
            raise TypeError(f"recipient must be a Recipient, got {type(recipient).__name__}: "
                            f"{recipient!r}")
        _check_text(recipient.user_id, "recipient user_id")
        names = None if channels is None else _channel_names(channels)
        with self._lock:
            parsed = self._template(template)
            targets = (list(self._channels.values()) if names is None
                       else [self._channel(name) for name in names])
            subject, body = _fill(template, parsed, data)
            deliveries = []
            for channel in targets:
                status, attempts, error = self._deliver(channel, recipient, subject, body)
                delivery = Delivery(id=len(self._log) + 1, user_id=recipient.user_id,
                                    channel=channel.name, template=template, subject=subject,
                                    body=body, status=status, attempts=attempts, error=error,
                                    at=self._clock())
                self._log.append(delivery)
                if status == "sent":
                    self._sent_at.setdefault((recipient.user_id, channel.name), []).append(
                        delivery.at)
                deliveries.append(delivery)
            return deliveries

    def opt_out(self, user_id: str, channel: str) -> None:
        """Stop delivering to this user on this channel (deliveries become "skipped")."""
        _check_text(user_id, "user_id")
        with self._lock:
            self._channel(channel)
            self._opted_out.add((user_id, channel))

    def opt_in(self, user_id: str, channel: str) -> None:
        """Undo opt_out; opting in a user who never opted out does nothing."""
        _check_text(user_id, "user_id")
        with self._lock:
            self._channel(channel)
            self._opted_out.discard((user_id, channel))

    def set_rate_limit(self, channel: str, max_count: int, per_seconds: float) -> None:
        """Allow at most `max_count` sent deliveries per user on `channel` in any `per_seconds`."""
        if not isinstance(max_count, int) or isinstance(max_count, bool):
            raise TypeError(f"max_count must be an int, got {type(max_count).__name__}: "
                            f"{max_count!r}")
        if not isinstance(per_seconds, (int, float)) or isinstance(per_seconds, bool):
            raise TypeError(f"per_seconds must be a number, got {type(per_seconds).__name__}: "
                            f"{per_seconds!r}")
        if max_count < 1:
            raise ValueError(f"max_count must be at least 1, got {max_count}")
        if not 0 < per_seconds < float("inf"):
            raise ValueError(f"per_seconds must be a positive finite number, got {per_seconds!r}")
        with self._lock:
            self._channel(channel)
            self._limits[channel] = (max_count, per_seconds)

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

    def _channel(self, name: str) -> Channel:
        _check_text(name, "channel name")
        if name not in self._channels:
            raise UnknownChannelError(f"no channel named {name!r}; registered: "
                                      f"{list(self._channels)}")
        return self._channels[name]

    def _deliver(self, channel: Channel, recipient: Recipient, subject: str,
                 body: str) -> tuple[str, int, str | None]:
        """(status, attempts, error) of one channel's delivery, calling it only when allowed."""
        if (recipient.user_id, channel.name) in self._opted_out:
            return "skipped", 0, None
        if self._rate_limited(recipient.user_id, channel.name):
            return "rate_limited", 0, None
        error = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                channel.send(recipient, subject, body)
            except Exception as exc:  # whatever a channel raises is retried, then logged
                error = f"{type(exc).__name__}: {exc}"
            else:
                return "sent", attempt, None
        return "failed", self._max_attempts, error

    def _rate_limited(self, user_id: str, channel: str) -> bool:
        if channel not in self._limits:
            return False
        max_count, per_seconds = self._limits[channel]
        times = self._sent_at.get((user_id, channel), [])
        # A send at time t counts while now < t + per_seconds.
        recent = len(times) - bisect.bisect_right(times, self._clock() - per_seconds)
        return recent >= max_count

