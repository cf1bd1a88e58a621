"""LRU cache: fixed capacity, least recently used entry evicted first, optional per-entry TTL."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from typing import Any


class _Node:
    """One entry, linked into the recency list."""

    __slots__ = ("key", "value", "deadline", "prev", "next")

    def __init__(self, key: Hashable, value: Any, deadline: float) -> None:
        self.key = key
        self.value = value
        self.deadline = deadline  # clock time at which the entry expires; math.inf: never
        self.prev: _Node = self
        self.next: _Node = self


def _check_key(key: object) -> None:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None


def _check_ttl(ttl: object) -> None:
    if ttl is None:
        return
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"ttl must be a number of seconds or None, got {type(ttl).__name__}: "
                        f"{ttl!r}")
    if not ttl > 0:  # also rejects NaN
        raise ValueError(f"ttl must be positive, got {ttl!r}")


class LRUCache:
    """At most `capacity` entries; making room evicts the least recently used one.

    A dict maps each key to its node in a circular doubly linked list ordered from least to most
    recently used, so lookups, moves and evictions are all O(1). Entries with a TTL also sit in a
    heap of deadlines, so the next one to expire is found without a scan.
    """

    def __init__(self, capacity: int, *, clock: Callable[[], float] = time.monotonic,
                 on_evict: Callable[[Hashable, Any], None] | None = None) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise TypeError(f"capacity must be an int, got {type(capacity).__name__}: "
                            f"{capacity!r}")
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity!r}")
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {clock!r}")
        if on_evict is not None and not callable(on_evict):
            raise TypeError(f"on_evict must be callable or None, got {on_evict!r}")
        self._capacity = capacity
        self._clock = clock
        self._on_evict = on_evict
        self._entries: dict[Hashable, _Node] = {}
        # The sentinel's next is the least recently used entry, its prev the most recent.
        self._root = _Node(None, None, math.inf)
        self._deadlines: list[tuple[float, int, Hashable]] = []
        self._tiebreak = itertools.count()  # keys need not be comparable, so never compare them
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under `key` (now the most recently used), or `default` on a miss."""
        _check_key(key)
        with self._locked():
            node = self._entries.get(key)
            if node is None:
                return default
            self._unlink(node)
            self._link_last(node)
            return node.value

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` under `key` as the most recently used entry, evicting if the cache is full.

        With `ttl`, the entry expires `ttl` seconds from now; a put replaces the old deadline.
        """
        _check_key(key)
        _check_ttl(ttl)
        with self._locked() as evicted:
            deadline = math.inf if ttl is None else self._clock() + ttl
            old = self._entries.get(key)
            if old is not None:
                self._remove(old)
            elif len(self._entries) >= self._capacity:
                self._evict(self._root.next, evicted)
            node = self._entries[key] = _Node(key, value, deadline)
            self._link_last(node)
            if deadline < math.inf:
                self._push_deadline(node)

    def delete(self, key: Hashable) -> bool:
        """Remove `key`; True if it was present. Not an eviction: on_evict is not called."""
        _check_key(key)
        with self._locked():
            node = self._entries.get(key)
            if node is None:
                return False
            self._remove(node)
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
        """The keys from least to most recently used, as a new list."""
        with self._locked():
            keys = []
            node = self._root.next
            while node is not self._root:
                keys.append(node.key)
                node = node.next
            return keys

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[tuple[Hashable, Any]]]:
        """Hold the lock with expired entries gone; yield a list collecting evictions.

        Evictions are reported after the lock is released, so on_evict may use the cache and a
        slow callback never blocks other threads.
        """
        evicted: list[tuple[Hashable, Any]] = []
        with self._lock:
            self._drop_expired(evicted)
            yield evicted
        if self._on_evict is not None:
            for key, value in evicted:
                self._on_evict(key, value)

    def _drop_expired(self, evicted: list[tuple[Hashable, Any]]) -> None:
        if not self._deadlines:
            return
        now = self._clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            deadline, _, key = heapq.heappop(self._deadlines)
            node = self._entries.get(key)
            # Heap items outlive deletes and updates; only a live node's own deadline counts.
            if node is not None and node.deadline == deadline:
                self._evict(node, evicted)

    def _push_deadline(self, node: _Node) -> None:
        heapq.heappush(self._deadlines, (node.deadline, next(self._tiebreak), node.key))
        # Updated and deleted keys leave stale items behind: rebuild before they outnumber the live.
        if len(self._deadlines) > 2 * len(self._entries) + 16:
            self._deadlines = [(n.deadline, next(self._tiebreak), n.key)
                               for n in self._entries.values() if n.deadline < math.inf]
            heapq.heapify(self._deadlines)

    def _evict(self, node: _Node, evicted: list[tuple[Hashable, Any]]) -> None:
        self._remove(node)
        evicted.append((node.key, node.value))

    def _remove(self, node: _Node) -> None:
        self._unlink(node)
        del self._entries[node.key]

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _link_last(self, node: _Node) -> None:
        last = self._root.prev
        node.prev, node.next = last, self._root
        last.next = self._root.prev = node
