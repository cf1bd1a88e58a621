"""Publish/subscribe event bus: topic patterns with AMQP wildcards, sync or threaded delivery."""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any, NamedTuple

_log = logging.getLogger(__name__)

_WORD = r"[\w-]+"
_TOPIC = re.compile(rf"{_WORD}(?:\.{_WORD})*")
_PATTERN = re.compile(rf"(?:{_WORD}|[*#])(?:\.(?:{_WORD}|[*#]))*")
_WILDCARDS = ("*", "#")
_STOP = object()  # the last item a worker takes from its queue


class Message(NamedTuple):
    """One published event, as every handler receives it (immutable, cheap to create)."""

    topic: str
    payload: Any
    seq: int


class PubSubError(Exception):
    """Base class of the bus's domain errors."""


class PubSubClosedError(PubSubError):
    """publish() or subscribe() on an AsyncPubSub that has been closed."""


@dataclass(eq=False)
class _Subscription:
    id: int
    pattern: str
    words: list[str]
    handler: Callable[[Message], Any]
    active: bool = True

    @property
    def is_wildcard(self) -> bool:
        return any(word in _WILDCARDS for word in self.words)


def _topic_error(topic: object, *, pattern: bool) -> Exception:
    """Why `topic` is not a concrete topic (a subscribe pattern if `pattern`), naming it."""
    if not isinstance(topic, str):
        return TypeError(f"topic must be a str, got {type(topic).__name__}: {topic!r}")
    if not pattern and _PATTERN.fullmatch(topic):
        return ValueError(f"topic {topic!r} contains a wildcard: '*' and '#' belong in "
                          f"subscribe patterns, expected a concrete topic")
    allowed = ", or a '*' or '#' wildcard" if pattern else ""
    return ValueError(f"topic {topic!r} must be dot-separated non-empty words of letters, "
                      f"digits, '_' or '-'{allowed}")


def _matches(pattern: list[str], words: list[str]) -> bool:
    """Whether a concrete topic's words match a pattern: '*' is one word, '#' zero or more."""
    # reachable[j]: the pattern words seen so far can consume exactly the first j topic words.
    reachable = [True] + [False] * len(words)
    for part in pattern:
        if part == "#":
            for j in range(1, len(words) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j - 1] and part in ("*", words[j - 1])
                                   for j in range(1, len(words) + 1)]
    return reachable[-1]


def _check_timeout(timeout: object) -> float | None:
    """Seconds to wait, None for no limit (inf and anything past what a lock can wait count)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or None, "
                        f"got {type(timeout).__name__}: {timeout!r}")
    if not timeout >= 0:  # also refuses NaN
        raise ValueError(f"timeout must be >= 0 seconds, got {timeout!r}")
    return None if timeout >= threading.TIMEOUT_MAX else float(timeout)


class PubSub:
    """Topic-based publish/subscribe; handlers run synchronously inside publish()."""

    _isolated: type[BaseException] = Exception  # what a handler may raise without stopping others

    def __init__(self, *, on_error: Callable[[int, Message, BaseException], Any] | None = None
                 ) -> None:
        if on_error is not None and not callable(on_error):
            raise TypeError(f"on_error must be callable or None, "
                            f"got {type(on_error).__name__}: {on_error!r}")
        self._on_error = on_error
        self._lock = threading.Lock()  # never held while a handler runs
        self._delivered = threading.Condition(self._lock)  # notified whenever delivering ends
        self._ids = count(1)
        self._seq = 0
        self._subscriptions: dict[int, _Subscription] = {}
        self._exact: dict[str, list[_Subscription]] = {}  # topic -> its subscriptions, in order
        self._wildcards: list[_Subscription] = []
        self._retained: dict[str, Message] = {}  # topic -> its last message published with retain
        # Who is delivering right now: key -> (thread id, the subscriptions it may still call).
        self._calling: dict[int, tuple[int, list[_Subscription]]] = {}
        self._call_keys = count()
        self._waiting = 0  # threads waiting for _delivered: only then does delivering notify

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Call `handler` for every message published to a topic matching `topic`; its id.
        Before returning, calls it with the retained message of every topic it matches."""
        with self._lock:
            sub = self._add(topic, handler)
            replay = self._retained_for(sub)
            if not replay:
                return sub.id
            key = self._start_calling([sub])
        try:
            for message in replay:
                self._call_each([sub], message)
        finally:
            with self._lock:
                self._stop_calling(key)
        return sub.id

    def unsubscribe(self, subscription_id: int) -> bool:
        """End a subscription: True if it was active, False if unknown or already ended.
        Waits for a call of its handler running on another thread, unless called from a handler."""
        if isinstance(subscription_id, bool) or not isinstance(subscription_id, int):
            raise TypeError(f"subscription_id must be an int, "
                            f"got {type(subscription_id).__name__}: {subscription_id!r}")
        with self._lock:
            sub = self._subscriptions.pop(subscription_id, None)
            if sub is None:
                return False
            self._remove(sub)
            if not self._inside_handler():  # a handler waiting for another could deadlock
                self._wait(lambda: not any(sub in subs for _, subs in self._calling.values()))
            return True

    def publish(self, topic: str, payload: Any, *, retain: bool = False) -> int:
        """Call every matching handler, in subscription order; return how many were called.
        retain=True also keeps the message as the topic's retained one, for later subscribers."""
        if retain is not False and retain is not True:
            raise TypeError(f"retain must be a bool, got {type(retain).__name__}: {retain!r}")
        with self._lock:
            targets = self._targets(topic)
            message = self._next_message(topic, payload, retain)
            key = self._start_calling(targets)
        try:
            return self._call_each(targets, message)
        finally:
            with self._lock:
                self._stop_calling(key)

    def topics(self) -> list[str]:
        """The patterns with at least one subscription, sorted."""
        with self._lock:
            return sorted({*self._exact, *(sub.pattern for sub in self._wildcards)})

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions a publish to the concrete `topic` would reach."""
        with self._lock:
            return len(self._targets(topic))

    # --- the indexes (call with the lock held) ---

    def _add(self, topic: str, handler: Callable[[Message], Any]) -> _Subscription:
        if not isinstance(topic, str) or not _PATTERN.fullmatch(topic):
            raise _topic_error(topic, pattern=True)
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {type(handler).__name__}: {handler!r}")
        sub = _Subscription(next(self._ids), topic, topic.split("."), handler)
        self._subscriptions[sub.id] = sub
        if sub.is_wildcard:
            self._wildcards.append(sub)
        else:
            self._exact.setdefault(topic, []).append(sub)
        return sub

    def _remove(self, sub: _Subscription) -> None:
        sub.active = False
        if sub.is_wildcard:
            self._wildcards.remove(sub)
        else:
            bucket = self._exact[sub.pattern]
            bucket.remove(sub)
            if not bucket:
                del self._exact[sub.pattern]

    def _targets(self, topic: object) -> list[_Subscription]:
        """A snapshot of the subscriptions matching a concrete topic, in subscription order;
        TypeError or ValueError (and no state changed) unless `topic` is a concrete topic."""
        if not isinstance(topic, str):
            raise _topic_error(topic, pattern=False)
        exact = self._exact.get(topic)
        if exact is None and not _TOPIC.fullmatch(topic):  # subscribe checked the known ones
            raise _topic_error(topic, pattern=False)
        if not self._wildcards:
            return exact.copy() if exact else []  # handlers may (un)subscribe during a publish
        words = topic.split(".")
        wildcard = [sub for sub in self._wildcards if _matches(sub.words, words)]
        return sorted([*(exact or ()), *wildcard], key=lambda sub: sub.id)

    def _next_message(self, topic: str, payload: Any, retain: bool) -> Message:
        self._seq += 1
        message = Message(topic, payload, self._seq)
        if retain:
            self._retained[topic] = message
        return message

    def _retained_for(self, sub: _Subscription) -> list[Message]:
        """The retained messages a new subscription receives first, oldest first."""
        if not sub.is_wildcard:
            retained = self._retained.get(sub.pattern)
            return [retained] if retained else []
        return sorted((message for topic, message in self._retained.items()
                       if _matches(sub.words, topic.split("."))), key=lambda message: message.seq)

    # --- delivering ---

    def _start_calling(self, subs: list[_Subscription]) -> int:
        """Record that this thread may call `subs`, so that unsubscribe can wait for it."""
        key = next(self._call_keys)
        self._calling[key] = (threading.get_ident(), subs)
        return key

    def _stop_calling(self, key: int) -> None:
        del self._calling[key]
        if self._waiting:
            self._delivered.notify_all()

    def _wait(self, predicate: Callable[[], bool], timeout: float | None = None) -> bool:
        """Wait (lock held) until `predicate` holds after a delivery ends; False on timeout."""
        self._waiting += 1
        try:
            return self._delivered.wait_for(predicate, timeout)
        finally:
            self._waiting -= 1

    def _inside_handler(self) -> bool:
        me = threading.get_ident()
        return any(thread == me for thread, _ in self._calling.values())

    def _call_each(self, targets: list[_Subscription], message: Message) -> int:
        """Call the handlers still subscribed, outside the lock; report what they raise."""
        called = 0
        for sub in targets:
            # Read without the lock: unsubscribe waits until this thread stops calling `targets`.
            if sub.active:
                called += 1
                try:
                    sub.handler(message)
                except self._isolated as exc:
                    self._report(sub.id, message, exc)
        return called

    def _report(self, subscription_id: int, message: Message, exc: BaseException) -> None:
        if self._on_error is None:
            _log.error("handler of subscription %d failed on %r", subscription_id, message,
                       exc_info=exc)
            return
        try:
            self._on_error(subscription_id, message, exc)
        except self._isolated:
            _log.exception("on_error failed for subscription %d on %r", subscription_id, message)


class AsyncPubSub(PubSub):
    """A PubSub whose publish() only queues: each subscription has its own FIFO queue and worker
    thread, so a slow or failing handler delays nobody but its own subscription."""

    _isolated = BaseException  # a worker has no caller to hand SystemExit or Ctrl-C to

    def __init__(self, *, on_error: Callable[[int, Message, BaseException], Any] | None = None
                 ) -> None:
        super().__init__(on_error=on_error)
        self._closed = False
        self._inboxes: dict[int, queue.SimpleQueue] = {}
        self._workers: dict[int, threading.Thread] = {}
        self._stopping: list[threading.Thread] = []  # unsubscribed workers that may still run
        self._unfinished = 0  # messages queued and neither handled nor dropped yet

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Like PubSub.subscribe, and start its worker; PubSubClosedError once closed. The
        retained messages are queued first, before any later publish can queue one."""
        with self._lock:
            if self._closed:
                raise PubSubClosedError(f"cannot subscribe to {topic!r}: the bus is closed")
            sub = self._add(topic, handler)
            inbox = self._inboxes[sub.id] = queue.SimpleQueue()
            for message in self._retained_for(sub):
                inbox.put(message)
                self._unfinished += 1
            # A daemon, so that a bus nobody closed cannot keep the program from exiting.
            worker = self._workers[sub.id] = threading.Thread(
                target=self._work, args=(sub, inbox), name=f"pubsub-worker-{sub.id}",
                daemon=True)
            worker.start()
            return sub.id

    def publish(self, topic: str, payload: Any, *, retain: bool = False) -> int:
        """Queue the message for every matching subscription; return how many it was queued for."""
        if retain is not False and retain is not True:
            raise TypeError(f"retain must be a bool, got {type(retain).__name__}: {retain!r}")
        with self._lock:
            if self._closed:
                raise PubSubClosedError(f"cannot publish to {topic!r}: the bus is closed")
            targets = self._targets(topic)
            message = self._next_message(topic, payload, retain)
            for sub in targets:
                self._inboxes[sub.id].put(message)
            self._unfinished += len(targets)
            return len(targets)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued message is handled; False if `timeout` seconds pass first."""
        timeout = _check_timeout(timeout)
        with self._lock:
            self._refuse_inside_handler("flush")
            return self._wait(lambda: not self._unfinished, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Refuse new messages, deliver the queued ones, stop and join every worker: True when
        every worker has stopped, False if `timeout` seconds passed first."""
        timeout = _check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._refuse_inside_handler("close")
            self._closed = True
            for inbox in self._inboxes.values():
                inbox.put(_STOP)  # behind everything already queued, so the worker drains first
            self._inboxes.clear()
            workers = [*self._workers.values(), *self._stopping]
        for worker in workers:
            worker.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(worker.is_alive() for worker in workers)

    def __enter__(self) -> AsyncPubSub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _remove(self, sub: _Subscription) -> None:
        """End the subscription and stop its worker: messages still queued are dropped."""
        super()._remove(sub)
        inbox = self._inboxes.pop(sub.id, None)
        if inbox is not None:  # None once close() has told the worker to stop
            inbox.put(_STOP)
        self._stopping = [worker for worker in self._stopping if worker.is_alive()]
        self._stopping.append(self._workers.pop(sub.id))

    def _work(self, sub: _Subscription, inbox: queue.SimpleQueue) -> None:
        """A worker's loop: deliver its subscription's messages in order until told to stop."""
        targets = [sub]
        while (message := inbox.get()) is not _STOP:
            with self._lock:
                key = self._start_calling(targets)
            try:
                self._call_each(targets, message)  # skips the message once unsubscribed
            finally:
                with self._lock:
                    self._unfinished -= 1
                    self._stop_calling(key)

    def _refuse_inside_handler(self, action: str) -> None:
        """A handler waiting for the workers would wait for itself: fail instead of hanging."""
        if self._inside_handler():
            raise PubSubError(f"{action}() called from a handler would wait for that handler "
                              f"itself; call it from outside the handlers")
