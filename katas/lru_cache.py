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
  A put replaces the old deadline (ttl=None: never expires); get does not extend it. ttl=math.inf,
  or an int too large for a float (10**400), never expires either.
- When room is needed, expired entries go first: a live entry is evicted only when no expired
  entry is left.
- on_evict(key, value) is called for every entry the cache drops by itself: capacity evictions (at
  once, in eviction order) and expired entries (at the latest when the cache needs their room; at
  most once each). Not for delete(), and not for the old value of an updated key.
- on_evict runs once the call that caused it has finished changing the cache (a put's new entry is
  already in) and while no lock is held: the callback may use the cache, and a slow callback never
  blocks other threads.
- If on_evict raises an Exception, the cache logs it on the logger named "lru_cache"
  (logging.getLogger("lru_cache")) at ERROR level, with a message naming the key, and carries on:
  the call that evicted returns normally, its change stands, and every other eviction is still
  reported.

Errors:
- capacity not an int: TypeError (bool is not an int here); capacity < 1: ValueError. Any larger
  int works, however large.
- An unhashable key (put, get, delete, in): TypeError naming the key.
- (extension) ttl neither None nor an int or float: TypeError (bool is not a number here);
  ttl <= 0 or NaN: ValueError.
- (extension) clock or on_evict (when given) not callable: TypeError.
- Every message names the offending value (as its repr or str). A rejected call changes nothing,
  recency included.

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

Change request:
The team wants to try least-frequently-used eviction on the same cache, chosen per cache by a new
keyword parameter: LRUCache(capacity, *, clock=time.monotonic, on_evict=None, policy="lru").
- policy="lru" (the default) is the behaviour so far; policy="lfu" evicts by use count. A policy
  that is not a str: TypeError; any other string ("LFU" included): ValueError naming it.
- Under "lfu" every entry has a use count: 1 when its key is put as a new entry (also when the key
  comes back after it was deleted, evicted or expired), plus 1 for every get that finds it and for
  every put that updates it. `in`, len and keys() are not uses.
- When room is needed, expired entries still go first; then the live entry with the lowest count
  goes, and among equal counts the least recently used one (a use is a get that finds the key or
  a put of it).
- keys() lists the keys in the order they would be evicted: lowest count first, equal counts least
  recently used first. (Under "lru" that is least to most recently used, as before.)
- Everything else (TTL, on_evict, errors, thread safety, O(1) get and put) holds for both policies.
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

        on_evict(key, value), when given, is called for each capacity eviction and expired entry;
        an error it raises is logged on the "lru_cache" logger at ERROR level, never raised.
        """
        raise NotImplementedError

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under `key` (now the most recently used), or `default` on a miss."""
        raise NotImplementedError

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` under `key` as the most recently used entry, evicting if the cache is full.

        With `ttl` (an int or float > 0), the entry expires `ttl` seconds from now; a put replaces
        the old deadline; math.inf or an int too large for a float never expires. TypeError for an
        unhashable key or a ttl that is not a number (bool included), ValueError for ttl <= 0 or NaN.
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
