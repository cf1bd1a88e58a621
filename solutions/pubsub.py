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
from typing import Any

_log = logging.getLogger(__name__)

_WORD = re.compile(r"[\w-]+")
_WILDCARDS = ("*", "#")
_STOP = object()  # the last item a worker takes from its queue


@dataclass(frozen=True)
class Message:
    """One published event, as every handler receives it."""

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
    words: tuple[str, ...]
    handler: Callable[[Message], Any]
    active: bool = True

    @property
    def is_wildcard(self) -> bool:
        return any(word in _WILDCARDS for word in self.words)


def _split(topic: object, *, wildcards: bool) -> tuple[str, ...]:
    """The words of a topic (a pattern if `wildcards`); TypeError / ValueError naming it."""
    if not isinstance(topic, str):
        raise TypeError(f"topic must be a str, got {type(topic).__name__}: {topic!r}")
    words = tuple(topic.split("."))
    for word in words:
        if word in _WILDCARDS:
            if not wildcards:
                raise ValueError(f"topic {topic!r} contains a wildcard: '*' and '#' belong in "
                                 f"subscribe patterns, expected a concrete topic")
        elif not _WORD.fullmatch(word):
            allowed = ", or a '*' or '#' wildcard" if wildcards else ""
            raise ValueError(f"topic {topic!r} must be dot-separated non-empty words of letters, "
                             f"digits, '_' or '-'{allowed}")
    return words


def _matches(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
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
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or None, "
                        f"got {type(timeout).__name__}: {timeout!r}")
    if not timeout >= 0:
        raise ValueError(f"timeout must be >= 0 seconds, got {timeout!r}")
    return timeout


class PubSub:
    """Topic-based publish/subscribe; handlers run synchronously inside publish()."""

    def __init__(self, *, on_error: Callable[[int, Message, Exception], Any] | None = None) -> None:
        if on_error is not None and not callable(on_error):
            raise TypeError(f"on_error must be callable or None, "
                            f"got {type(on_error).__name__}: {on_error!r}")
        self._on_error = on_error
        # Reentrant so that AsyncPubSub can wrap these methods while holding it.
        self._lock = threading.RLock()
        self._ids = count(1)
        self._seq = 0
        self._subscriptions: dict[int, _Subscription] = {}
        self._exact: dict[str, list[_Subscription]] = {}  # topic -> its subscriptions, in order
        self._wildcards: list[_Subscription] = []

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Call `handler` for every message published to a topic matching `topic`; its id."""
        words = _split(topic, wildcards=True)
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {type(handler).__name__}: {handler!r}")
        with self._lock:
            sub = _Subscription(next(self._ids), topic, words, handler)
            self._subscriptions[sub.id] = sub
            if sub.is_wildcard:
                self._wildcards.append(sub)
            else:
                self._exact.setdefault(topic, []).append(sub)
            return sub.id

    def unsubscribe(self, subscription_id: int) -> bool:
        """End a subscription: True if it was active, False if unknown or already ended."""
        if isinstance(subscription_id, bool) or not isinstance(subscription_id, int):
            raise TypeError(f"subscription_id must be an int, "
                            f"got {type(subscription_id).__name__}: {subscription_id!r}")
        with self._lock:
            sub = self._subscriptions.pop(subscription_id, None)
            if sub is None:
                return False
            sub.active = False
            if sub.is_wildcard:
                self._wildcards.remove(sub)
            else:
                bucket = self._exact[sub.pattern]
                bucket.remove(sub)
                if not bucket:
                    del self._exact[sub.pattern]
            return True

    def publish(self, topic: str, payload: Any) -> int:
        """Call every matching handler, in subscription order; return how many were called."""
        words = _split(topic, wildcards=False)
        with self._lock:
            message = self._next_message(topic, payload)
            targets = self._targets(topic, words)
        # Outside the lock: handlers may publish, subscribe and unsubscribe themselves.
        return sum(self._deliver(sub, message) for sub in targets)

    def topics(self) -> list[str]:
        """The patterns with at least one subscription, sorted."""
        with self._lock:
            return sorted({sub.pattern for sub in self._subscriptions.values()})

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions a publish to the concrete `topic` would reach."""
        words = _split(topic, wildcards=False)
        with self._lock:
            return len(self._targets(topic, words))

    def _next_message(self, topic: str, payload: Any) -> Message:
        self._seq += 1
        return Message(topic, payload, self._seq)

    def _targets(self, topic: str, words: tuple[str, ...]) -> list[_Subscription]:
        """A snapshot of the subscriptions matching a concrete topic, in subscription order."""
        exact = self._exact.get(topic, [])
        wildcard = [sub for sub in self._wildcards if _matches(sub.words, words)]
        if not wildcard:
            return exact.copy()  # handlers may (un)subscribe while this publish delivers
        return sorted(exact + wildcard, key=lambda sub: sub.id)

    def _deliver(self, sub: _Subscription, message: Message) -> bool:
        """Call one handler unless its subscription has ended; report what it raises."""
        if not sub.active:
            return False
        try:
            sub.handler(message)
        except Exception as exc:
            self._report(sub.id, message, exc)
        return True

    def _report(self, subscription_id: int, message: Message, exc: Exception) -> None:
        if self._on_error is None:
            _log.error("handler of subscription %d failed on %r", subscription_id, message,
                       exc_info=exc)
            return
        try:
            self._on_error(subscription_id, message, exc)
        except Exception:
            _log.exception("on_error failed for subscription %d on %r", subscription_id, message)


class AsyncPubSub(PubSub):
    """A PubSub whose publish() only queues: each subscription has its own FIFO queue and worker
    thread, so a slow or failing handler delays nobody but its own subscription."""

    def __init__(self, *, on_error: Callable[[int, Message, Exception], Any] | None = None) -> None:
        super().__init__(on_error=on_error)
        self._closed = False
        self._inboxes: dict[int, queue.SimpleQueue] = {}
        self._workers: dict[int, threading.Thread] = {}
        self._stopping: list[threading.Thread] = []  # unsubscribed workers that may still run
        self._unfinished = 0  # messages queued and neither handled nor dropped yet
        self._idle = threading.Condition(self._lock)

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Like PubSub.subscribe, and start its worker; PubSubClosedError once closed."""
        with self._lock:
            if self._closed:
                raise PubSubClosedError(f"cannot subscribe to {topic!r}: the bus is closed")
            sub_id = super().subscribe(topic, handler)
            inbox = self._inboxes[sub_id] = queue.SimpleQueue()
            # A daemon, so that a bus nobody closed cannot keep the program from exiting.
            worker = self._workers[sub_id] = threading.Thread(
                target=self._work, args=(inbox,), name=f"pubsub-worker-{sub_id}", daemon=True)
            worker.start()
            return sub_id

    def unsubscribe(self, subscription_id: int) -> bool:
        """Like PubSub.unsubscribe; the subscription's queued messages are dropped."""
        with self._lock:
            if not super().unsubscribe(subscription_id):
                return False
            inbox = self._inboxes.pop(subscription_id, None)
            if inbox is not None:  # None once close() has told the worker to stop
                inbox.put(_STOP)
            self._stopping = [worker for worker in self._stopping if worker.is_alive()]
            self._stopping.append(self._workers.pop(subscription_id))
            return True

    def publish(self, topic: str, payload: Any) -> int:
        """Queue the message for every matching subscription; return how many it was queued for."""
        words = _split(topic, wildcards=False)
        with self._lock:
            if self._closed:
                raise PubSubClosedError(f"cannot publish to {topic!r}: the bus is closed")
            message = self._next_message(topic, payload)
            targets = self._targets(topic, words)
            for sub in targets:
                self._inboxes[sub.id].put((sub, message))
            self._unfinished += len(targets)
            return len(targets)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued message is handled; False if `timeout` seconds pass first."""
        timeout = _check_timeout(timeout)
        with self._lock:
            self._refuse_inside_handler("flush")
            return self._idle.wait_for(lambda: not self._unfinished, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Refuse new messages, deliver the queued ones, stop and join every worker.

        True when every worker has stopped, False if `timeout` seconds passed first.
        """
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

    def _work(self, inbox: queue.SimpleQueue) -> None:
        """A worker's loop: deliver its subscription's messages in order until told to stop."""
        while (item := inbox.get()) is not _STOP:
            self._deliver(*item)  # skips the message once the subscription has ended
            with self._lock:
                self._unfinished -= 1
                if not self._unfinished:
                    self._idle.notify_all()

    def _refuse_inside_handler(self, action: str) -> None:
        """A handler waiting for the workers would wait for itself: fail instead of hanging."""
        if threading.current_thread() in (*self._workers.values(), *self._stopping):
            raise PubSubError(f"{action}() called from a handler would wait for that handler "
                              f"itself; call it from outside the handlers")
