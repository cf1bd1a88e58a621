"""LRU cache: fixed capacity, least recently used entry evicted first, optional per-entry TTL.

The eviction order is a small pluggable object: "lru" keeps keys by recency, "lfu" by use count
(least recently used first among equal counts). Both answer the same four questions in O(1): a key
was added, used, removed; which key goes next.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Protocol

_logger = logging.getLogger("lru_cache")


class _Entry:
    """One stored value and the clock time at which it expires (math.inf: never)."""

    __slots__ = ("key", "value", "deadline")

    def __init__(self, key: Hashable, value: Any, deadline: float) -> None:
        self.key = key
        self.value = value
        self.deadline = deadline


class _EvictionOrder(Protocol):
    """What the cache needs from a policy; iterating gives the keys in the order they would go."""

    def add(self, key: Hashable) -> None: ...
    def touch(self, key: Hashable) -> None: ...
    def remove(self, key: Hashable) -> None: ...
    def victim(self) -> Hashable: ...
    def __iter__(self) -> Iterator[Hashable]: ...


class _LeastRecentlyUsed:
    """Keys from least to most recently used: an OrderedDict is a hash map over a linked list."""

    def __init__(self) -> None:
        self._order: OrderedDict[Hashable, None] = OrderedDict()

    def add(self, key: Hashable) -> None:
        self._order[key] = None

    def touch(self, key: Hashable) -> None:
        self._order.move_to_end(key)

    def remove(self, key: Hashable) -> None:
        del self._order[key]

    def victim(self) -> Hashable:
        return next(iter(self._order))

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._order)


class _LeastFrequentlyUsed:
    """Keys bucketed by use count, each bucket least recently used first.

    The lowest count is tracked so the victim is found without a scan. Only a full cache asks for
    a victim, so an add() (count 1, the lowest possible) came after any remove(): add and touch
    keep the lowest count right, and remove never has to look for the next one.
    """

    def __init__(self) -> None:
        self._counts: dict[Hashable, int] = {}
        self._buckets: dict[int, OrderedDict[Hashable, None]] = {}
        self._least = 1

    def add(self, key: Hashable) -> None:
        self._counts[key] = 1
        self._buckets.setdefault(1, OrderedDict())[key] = None
        self._least = 1

    def touch(self, key: Hashable) -> None:
        count = self._counts[key]
        emptied = self._take(key, count)
        self._counts[key] = count + 1
        self._buckets.setdefault(count + 1, OrderedDict())[key] = None
        if emptied and count == self._least:
            self._least = count + 1

    def remove(self, key: Hashable) -> None:
        self._take(key, self._counts.pop(key))

    def victim(self) -> Hashable:
        return next(iter(self._buckets[self._least]))

    def __iter__(self) -> Iterator[Hashable]:
        for count in sorted(self._buckets):
            yield from self._buckets[count]

    def _take(self, key: Hashable, count: int) -> bool:
        """Take `key` out of its bucket; whether that emptied the bucket."""
        bucket = self._buckets[count]
        del bucket[key]
        if bucket:
            return False
        del self._buckets[count]
        return True


_POLICIES: dict[str, Callable[[], _EvictionOrder]] = {
    "lru": _LeastRecentlyUsed, "lfu": _LeastFrequentlyUsed}


def _check_key(key: object) -> None:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None


def _lifetime(ttl: object) -> float:
    """Seconds an entry lives: None is forever (math.inf), as is a ttl too large for a float."""
    if ttl is None:
        return math.inf
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"ttl must be a number of seconds or None, got {type(ttl).__name__}: "
                        f"{ttl!r}")
    if not ttl > 0:  # also rejects NaN
        raise ValueError(f"ttl must be positive, got {ttl!r}")
    try:
        return float(ttl)
    except OverflowError:  # an int beyond 1.8e308 seconds
        return math.inf


class LRUCache:
    """At most `capacity` entries; making room evicts the least recently used one.

    A dict maps each key to its entry; the policy's order says which key goes next. Entries with a
    TTL also sit in a heap of deadlines, so the next one to expire is found without a scan.
    """

    def __init__(self, capacity: int, *, clock: Callable[[], float] = time.monotonic,
                 on_evict: Callable[[Hashable, Any], None] | None = None,
                 policy: str = "lru") -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise TypeError(f"capacity must be an int, got {type(capacity).__name__}: "
                            f"{capacity!r}")
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity!r}")
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {clock!r}")
        if on_evict is not None and not callable(on_evict):
            raise TypeError(f"on_evict must be callable or None, got {on_evict!r}")
        if not isinstance(policy, str):
            raise TypeError(f"policy must be a str, got {type(policy).__name__}: {policy!r}")
        if policy not in _POLICIES:
            raise ValueError(f"policy must be one of {sorted(_POLICIES)}, got {policy!r}")
        self._capacity = capacity
        self._clock = clock
        self._on_evict = on_evict
        self._entries: dict[Hashable, _Entry] = {}
        self._order = _POLICIES[policy]()
        self._deadlines: list[tuple[float, int, _Entry]] = []
        self._tiebreak = itertools.count()  # equal deadlines never compare the entries
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under `key` (now the most recently used), or `default` on a miss."""
        _check_key(key)
        with self._locked():
            entry = self._entries.get(key)
            if entry is None:
                return default
            self._order.touch(key)
            return entry.value

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` under `key` as the most recently used entry, evicting if the cache is full.

        With `ttl`, the entry expires `ttl` seconds from now; a put replaces the old deadline.
        """
        _check_key(key)
        lifetime = _lifetime(ttl)
        with self._locked() as evicted:
            if key in self._entries:
                self._order.touch(key)
            else:
                if len(self._entries) >= self._capacity:
                    self._evict(self._order.victim(), evicted)
                self._order.add(key)
            entry = self._entries[key] = _Entry(key, value, self._clock() + lifetime)
            if entry.deadline < math.inf:
                self._push_deadline(entry)

    def delete(self, key: Hashable) -> bool:
        """Remove `key`; True if it was present. Not an eviction: on_evict is not called."""
        _check_key(key)
        with self._locked():
            if key not in self._entries:
                return False
            self._remove(key)
            return True

    def __len__(self) -> int:
        with self._locked():
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether `key` is present; unlike get, this leaves its recency alone."""
        _check_key(key)
        with self._locked():
            return key in self._entries

    def keys(self) -> list[Hashable]:
        """The keys in the order they would be evicted: least recently used first under "lru"."""
        with self._locked():
            return list(self._order)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[tuple[Hashable, Any]]]:
        """Hold the lock with expired entries gone; yield a list collecting evictions.

        Evictions are reported after the lock is released (even if the call failed), so on_evict
        may use the cache and a slow callback never blocks other threads.
        """
        evicted: list[tuple[Hashable, Any]] = []
        try:
            with self._lock:
                self._drop_expired(evicted)
                yield evicted
        finally:
            self._report(evicted)

    def _report(self, evicted: list[tuple[Hashable, Any]]) -> None:
        """Call on_evict for each eviction; a callback's error is logged, never raised, so the
        call that evicted still succeeds and every other eviction is still reported."""
        if self._on_evict is None:
            return
        for key, value in evicted:
            try:
                self._on_evict(key, value)
            except Exception:
                _logger.exception("on_evict raised for key %r", key)

    def _drop_expired(self, evicted: list[tuple[Hashable, Any]]) -> None:
        if not self._deadlines:
            return
        now = self._clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            entry = heapq.heappop(self._deadlines)[2]
            # Heap items outlive deletes and updates; only the entry still stored counts.
            if self._entries.get(entry.key) is entry:
                self._evict(entry.key, evicted)

    def _push_deadline(self, entry: _Entry) -> None:
        heapq.heappush(self._deadlines, (entry.deadline, next(self._tiebreak), entry))
        # Updated and deleted keys leave stale items behind: rebuild before they outnumber the live.
        if len(self._deadlines) > 2 * len(self._entries) + 16:
            self._deadlines = [(e.deadline, next(self._tiebreak), e)
                               for e in self._entries.values() if e.deadline < math.inf]
            heapq.heapify(self._deadlines)

    def _evict(self, key: Hashable, evicted: list[tuple[Hashable, Any]]) -> None:
        evicted.append((key, self._remove(key).value))

    def _remove(self, key: Hashable) -> _Entry:
        self._order.remove(key)
        return self._entries.pop(key)
