"""Publish/subscribe event bus

Size: full

The modules of a service talk through an in-process event bus: producers publish messages to
dot-separated topics ("orders.created"), consumers subscribe handlers to the topics they care
about. Build the bus, then a version whose handlers run on background threads.

Core (the 60-minute part):
- A topic is dot-separated words: "orders", "orders.created", "eu-west.orders_v2". A word is one
  or more letters, digits, "_" or "-".
- PubSub(on_error=None). subscribe(topic, handler) returns a subscription id: an int, unique on
  this bus and never reused, even after an unsubscribe. The same handler subscribed twice is two
  subscriptions, called twice.
- unsubscribe(subscription_id) returns True if it was active, False if the id is unknown or the
  subscription already ended.
- publish(topic, payload) calls every handler subscribed to exactly that topic, synchronously, in
  subscription order, each with the same Message(topic, payload, seq) (the payload itself, not a
  copy), and returns how many handlers it called (0 when nobody listens). seq counts this bus's
  publishes from 1, whether or not anyone listens. Topics match whole: a publish to "orders" does
  not reach "orders.created".
- A handler that raises an Exception does not stop the others (it still counts as called). Its
  exception goes to on_error(subscription_id, message, exc) or, without on_error, is logged with
  the logging module at ERROR level, the exception's message included (exc_info does it): never
  swallowed silently. An on_error that raises is logged the same way.
- Handlers may subscribe, unsubscribe and publish. A publish delivers to the subscriptions active
  when it starts: one unsubscribed during that publish before its turn is skipped, one added
  during it first hears the next publish.
- When unsubscribe returns, its handler is never called again, and no call of it is still running
  on another thread: unsubscribe waits for such a call to finish. Called from inside a handler
  (where two handlers unsubscribing each other would deadlock), it does not wait, and a call
  already under way on another thread may still finish. A handler may unsubscribe itself.
- topics(): the patterns with at least one subscription, sorted. subscriber_count(topic): how
  many subscriptions a publish to that topic would reach.
- Every method may be called from any thread.

Extensions (the stretch part, tests marked extension):
- Wildcards (AMQP topic rules) in subscribe patterns, each a whole word: "*" matches exactly one
  word, "#" matches zero or more words. "orders.*" matches "orders.created" but not "orders" nor
  "orders.eu.created"; "orders.#" matches all three; "#" matches every topic. publish and
  subscriber_count take concrete topics only. Exact and wildcard subscriptions matching one
  publish are still called in subscription order, each once.
- AsyncPubSub(PubSub), same API, where each subscription has its own worker thread and FIFO
  queue. publish only queues: it returns at once, with how many subscriptions it queued the
  message for. Per subscription, messages arrive in publish order; a slow or failing handler
  delays only its own subscription. A worker survives anything its handler raises, even
  SystemExit or KeyboardInterrupt (it has no caller to hand them to): they go to on_error or the
  log like any other error, and the worker goes on with the next message.
- flush(timeout=None) -> bool blocks until every queued message has been handled (False if the
  timeout expires first). close(timeout=None) -> bool refuses new publishes and subscriptions,
  delivers everything already queued, then stops and joins every worker, those of ended
  subscriptions included (False if the timeout expires first); closing again is harmless.
  `with AsyncPubSub() as bus:` closes on exit. A timeout of None, inf, or one too long for a lock
  to wait (over threading.TIMEOUT_MAX) means no limit.
- unsubscribe keeps its promise: it drops the subscription's queued messages and, outside a
  handler, waits for a call already running on its worker. A handler that unsubscribes itself
  must not deadlock.

Errors:
- TypeError for a non-str topic, a non-callable handler or on_error, a non-int subscription id, a
  non-number timeout (bool is neither an id nor a number here); ValueError for a malformed topic,
  a wildcard where a concrete topic is expected, a negative or NaN timeout. Every message names
  the offending value.
- PubSubError is the base of the bus's own errors. AsyncPubSub: publish or subscribe after close
  raises PubSubClosedError naming the topic; flush or close called from inside a handler or its
  on_error (which would wait for itself) raises PubSubError naming the method.
- A rejected call changes nothing: no subscription is added, no seq is used up, the bus stays
  open.

Example:
    >>> bus = PubSub()
    >>> seen = []
    >>> bus.subscribe("orders.created", seen.append)
    1
    >>> bus.subscribe("orders.created", lambda message: seen.append(message.payload))
    2
    >>> bus.publish("orders.created", {"id": 7}), bus.publish("orders.shipped", None)
    (2, 0)
    >>> seen
    [Message(topic='orders.created', payload={'id': 7}, seq=1), {'id': 7}]
    >>> bus.unsubscribe(1), bus.unsubscribe(1), bus.subscriber_count("orders.created")
    (True, False, 1)
    >>> bus.subscribe("orders.#", print), bus.topics()
    (3, ['orders.#', 'orders.created'])

Complexity:
- subscribe O(1). publish O(exact subscribers of the topic + wildcard subscriptions): 10,000
  subscriptions on other exact topics do not slow down a publish to a topic with one subscriber.

Hints:
1. Take a snapshot of the matching subscriptions when publish starts, and check that each is
   still subscribed just before calling it. To keep unsubscribe's promise across threads, record
   under the lock which thread is calling which subscriptions, and let unsubscribe wait on a
   Condition until no other thread is calling its subscription.
2. A dict of topic -> list of subscriptions serves exact topics; wildcard patterns can live in a
   list, matched word by word, where "#" may also consume no word at all.
3. AsyncPubSub: one queue and one thread per subscription; a count of unfinished messages under
   a Condition gives flush; close queues a stop marker behind the messages and joins the threads.
   Never hold your lock while a handler runs.

Change request:
    Retained messages. publish(topic, payload, *, retain=False): with retain=True the message is
    also kept as that topic's retained message, replacing the one kept before; a publish without
    retain keeps and replaces nothing. TypeError if retain is not a bool; a rejected publish
    retains nothing. A new subscription first receives the retained message of every topic its
    pattern matches, oldest (lowest seq) first, each the very Message first published, same seq
    (an exact pattern matches at most one topic). PubSub.subscribe calls the handler with them
    before it returns (a handler that raises is reported as usual and subscribe still returns the
    id). AsyncPubSub.subscribe queues them ahead of anything published after it, so the
    subscription gets its retained messages first, then the later publishes in order; flush
    waits for them too. Subscriptions that already exist receive nothing new, and a retained
    message stays until a retained publish to its topic replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Message(NamedTuple):
    """One published event, as every handler receives it (immutable, cheap to create)."""

    topic: str
    payload: Any
    seq: int


class PubSubError(Exception):
    """Base class of the bus's domain errors."""


class PubSubClosedError(PubSubError):
    """publish() or subscribe() on an AsyncPubSub that has been closed."""


class PubSub:
    """Topic-based publish/subscribe; handlers run synchronously inside publish()."""

    def __init__(self, *, on_error: Callable[[int, Message, BaseException], Any] | None = None
                 ) -> None:
        """An empty bus; on_error(subscription_id, message, exc) receives handler exceptions.

        TypeError if on_error is neither callable nor None.
        """
        raise NotImplementedError

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Call `handler` for every message published to a topic matching `topic`; its id.

        TypeError for a non-str topic or a non-callable handler; ValueError for a malformed topic.
        """
        raise NotImplementedError

    def unsubscribe(self, subscription_id: int) -> bool:
        """End a subscription: True if it was active, False if unknown or already ended.

        Outside a handler, waits for a call of its handler running on another thread to finish.
        TypeError for a non-int (or bool) id.
        """
        raise NotImplementedError

    def publish(self, topic: str, payload: Any) -> int:
        """Call every matching handler, in subscription order; return how many were called.

        TypeError for a non-str topic; ValueError for a malformed topic or a wildcard in it.
        """
        raise NotImplementedError

    def topics(self) -> list[str]:
        """The patterns with at least one subscription, sorted."""
        raise NotImplementedError

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions a publish to the concrete `topic` would reach."""
        raise NotImplementedError


class AsyncPubSub(PubSub):
    """A PubSub whose publish() only queues: each subscription has its own FIFO queue and worker
    thread, so a slow or failing handler delays nobody but its own subscription. unsubscribe (the
    inherited method) also drops the subscription's queued messages and stops its worker."""

    def __init__(self, *, on_error: Callable[[int, Message, BaseException], Any] | None = None
                 ) -> None:
        """An empty, open bus; on_error runs on the worker thread of the failing handler."""
        raise NotImplementedError

    def subscribe(self, topic: str, handler: Callable[[Message], Any]) -> int:
        """Like PubSub.subscribe, and start its worker; PubSubClosedError once closed."""
        raise NotImplementedError

    def publish(self, topic: str, payload: Any) -> int:
        """Queue the message for every matching subscription; return how many it was queued for.

        PubSubClosedError after close(); other errors as PubSub.publish.
        """
        raise NotImplementedError

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued message is handled; False if `timeout` seconds pass first.

        PubSubError when called from inside a handler.
        """
        raise NotImplementedError

    def close(self, timeout: float | None = None) -> bool:
        """Refuse new messages, deliver the queued ones, stop and join every worker.

        True when every worker has stopped, False if `timeout` seconds passed first. PubSubError
        when called from inside a handler.
        """
        raise NotImplementedError

    def __enter__(self) -> AsyncPubSub:
        """The bus itself."""
        raise NotImplementedError

    def __exit__(self, *exc_info: object) -> None:
        """close() the bus."""
        raise NotImplementedError
