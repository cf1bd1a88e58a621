"""LRU cache

Size: short

A service looks up user profiles in a slow backend and wants to keep the ones it used most
recently in memory. Memory is fixed: the cache holds at most `capacity` entries, and when it must
make room it drops the entry that was used least recently. Build the cache class
(`functools.lru_cache` memoises a function; it is not the answer here).

Core (the 60-minute part):
- LRUCache(capacity): capacity is an int >= 1.
- put(key, value) inserts or updates. Either way the key becomes the most recently used. Inserting a
  new key into a full cache first evicts the least recently used entry; updating an existing key
  never evicts anything.
- get(key, default=None) returns the value (and marks the key most recently used) or `default` on a
  miss; a miss stores nothing.
- delete(key) removes the entry and returns True, or returns False if the key is absent.
- len(cache) is the number of entries; `key in cache` checks presence WITHOUT changing recency.
- keys() returns a new list of the keys from least to most recently used.
- Keys are any hashable values; values are stored as given (not copied), None included.
- Thread-safe: any number of threads may share one cache.

Extensions (the stretch part, tests marked extension):
- put(key, value, ttl=seconds): the entry expires `ttl` seconds after the put, measured with
  the injected `clock` (default time.monotonic): put at time t, it is alive while clock() < t + ttl.
  Expired entries are absent everywhere: get misses, `in` is False, len and keys() leave them out.
  A put replaces the old deadline (ttl=None: never expires); get does not extend it.
- When room is needed, expired entries go first: a live entry is evicted only when no expired
  entry is left.
- on_evict(key, value) is called for every entry the cache drops by itself: capacity evictions (at
  once, in eviction order) and expired entries (at the latest when the cache needs their room; at
  most once each). Not for delete(), and not for the old value of an updated key.
- on_evict runs after the cache has changed and while no lock is held: the callback may use the
  cache, and a slow callback never blocks other threads.

Errors:
- capacity not an int (bool included): TypeError; capacity < 1: ValueError.
- An unhashable key (put, get, delete, in): TypeError naming the key.
- ttl neither None nor a number (bool included): TypeError; ttl <= 0 or NaN: ValueError.
- clock or on_evict (when given) not callable: TypeError.
- Every message names the offending value. A rejected call changes nothing, recency included.

Example:
    >>> cache = LRUCache(2)
    >>> cache.put("a", 1)
    >>> cache.put("b", 2)
    >>> cache.get("a")
    1
    >>> cache.put("c", 3)
    >>> cache.keys()
    ['a', 'c']
    >>> "b" in cache, cache.get("b", "miss"), len(cache)
    (False, 'miss', 2)

Complexity:
- get, put, delete, `in` and len are O(1) (O(log n) amortised with TTL entries); keys() is O(n).
  With 100,000 entries every operation is about as fast as with 1,000.

Hints:
1. A dict finds an entry in O(1) but cannot tell you cheaply which entry was used least recently.
   Keep a second structure ordered by recency in which moving one entry to the end is O(1).
2. A doubly linked list of nodes with a sentinel, plus a dict from key to node: on every use unlink
   the node and re-link it at the tail; evict from the head. (`collections.OrderedDict` with
   move_to_end and popitem(last=False) does the same, if your interviewer allows it.)
3. For TTL, a heap of (deadline, counter, key) yields the next entry to expire; an item whose key
   was deleted or updated since is stale: skip it when it pops. Collect evictions under the lock
   and call on_evict after releasing it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class LRUCache:
    """At most `capacity` entries; making room evicts the least recently used one."""

    def __init__(self, capacity: int, *, clock: Callable[[], float] = time.monotonic,
                 on_evict: Callable[[Hashable, Any], None] | None = None) -> None:
        """An empty cache. capacity: int >= 1 (TypeError / ValueError). clock: seconds, for TTLs.

        on_evict(key, value), when given, is called for each capacity eviction and expired entry.
        """
        raise NotImplementedError

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under `key` (now the most recently used), or `default` on a miss."""
        raise NotImplementedError

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` under `key` as the most recently used entry, evicting if the cache is full.

        With `ttl` (seconds > 0), the entry expires `ttl` seconds from now; a put replaces the old
        deadline. TypeError for an unhashable key or a non-number ttl, ValueError for ttl <= 0.
        """
        raise NotImplementedError

    def delete(self, key: Hashable) -> bool:
        """Remove `key`; True if it was present. Not an eviction: on_evict is not called."""
        raise NotImplementedError

    def __len__(self) -> int:
        """How many (unexpired) entries the cache holds."""
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        """Whether `key` is present; unlike get, this leaves its recency alone."""
        raise NotImplementedError

    def keys(self) -> list[Hashable]:
        """The keys from least to most recently used, as a new list."""
        raise NotImplementedError
