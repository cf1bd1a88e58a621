"""In-memory document store: collections of JSON documents, equality and range queries, indexes."""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import reprlib
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple


class DocumentStoreError(Exception):
    """Base class of the store's domain errors."""


class CollectionExistsError(DocumentStoreError):
    """create_collection() with a name already in use."""


class CollectionNotFoundError(DocumentStoreError):
    """A collection name that the store does not hold."""


class DocumentNotFoundError(DocumentStoreError):
    """A document id that the collection does not hold."""


class DuplicateIdError(DocumentStoreError):
    """insert() with an ``_id`` already in the collection."""


_MAX_DEPTH = 100  # levels of nested lists and dicts; the document itself is level 1
_MISSING = object()
_PLAIN = frozenset({type(None), bool, int, str})  # JSON scalars with nothing to check or copy


class _Operator(NamedTuple):
    """A range operator: its test, where its bound cuts a sorted list, and which end it bounds."""

    test: Callable[[Any, Any], bool]
    cut: Callable[[list[Any], Any], int]
    is_lower: bool


_OPERATORS = {
    "$gt": _Operator(operator.gt, bisect.bisect_right, True),
    "$gte": _Operator(operator.ge, bisect.bisect_left, True),
    "$lt": _Operator(operator.lt, bisect.bisect_left, False),
    "$lte": _Operator(operator.le, bisect.bisect_right, False),
}


def _show(value: Any) -> str:
    """A value as an error message shows it: short, even when deeply nested or a huge int."""
    try:
        return reprlib.repr(value)
    except ValueError:  # str() refuses an int of more than 4300 digits
        return f"<{type(value).__name__} too long to show>"


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}: {_show(name)}")
    if not name:
        raise ValueError(f"{what} must be a non-empty str, got {name!r}")
    return name


def _clean(value: Any, what: str, depth: int = 1) -> Any:
    """Validate a JSON value and return a deep copy of it; `what` names it in errors.

    Recursion stops at _MAX_DEPTH, so no input can overflow the stack (a cycle included).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} holds {value!r}: JSON numbers must be finite")
        return value
    if isinstance(value, (list, dict)) and depth > _MAX_DEPTH:
        raise ValueError(f"{what} nests lists and dicts deeper than {_MAX_DEPTH} levels")
    if isinstance(value, list):
        return [item if type(item) in _PLAIN else _clean(item, what, depth + 1) for item in value]
    if isinstance(value, dict):
        copy = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{what} has a key {_show(key)} of type {type(key).__name__}: "
                                f"keys must be str")
            copy[key] = item if type(item) in _PLAIN else _clean(item, what, depth + 1)
        return copy
    raise TypeError(f"{what} holds {_show(value)} of type {type(value).__name__}: expected a "
                    f"JSON value (None, bool, int, float, str, list or dict)")


def _clean_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict, got {type(value).__name__}: {_show(value)}")
    return _clean(value, what)


def _copy(value: Any) -> Any:
    """A deep copy of a stored (already valid) JSON value."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality: a bool equals only a bool, 1 equals 1.0, lists and dicts by content."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_json_equal, a, b))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(_json_equal(item, b[key]) for key, item in a.items()))
    return a == b


def _index_key(value: Any) -> Hashable:
    """A hashable stand-in with JSON equality: True is not 1, 1 is 1.0, containers by content."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(map(_index_key, value)))
    if isinstance(value, dict):
        return ("dict", frozenset((key, _index_key(item)) for key, item in value.items()))
    return value  # None, a number or a str: Python's own equality and hash are JSON's here


def _kind(value: Any) -> str | None:
    """What a range may compare a value with: "number" (not bool), "str", or None for neither."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    return None


@dataclass(frozen=True)
class _Range:
    """A query field's operators, e.g. {"$gte": 18, "$lt": 65}: a value must pass every one."""

    kind: str  # the bounds' kind, "mixed" when they differ (then nothing matches)
    bounds: tuple[tuple[_Operator, Any], ...]

    def holds(self, value: Any) -> bool:
        if _kind(value) != self.kind:
            return False
        for op, bound in self.bounds:  # noqa: SIM110 - all() would build a generator per document
            if not op.test(value, bound):
                return False
        return True


def _check_path(path: object) -> str:
    path = _check_name(path, "field path")
    if "" in path.split("."):
        raise ValueError(f"field path {path!r} has an empty part: use keys joined by single dots")
    return path


def _lookup(document: dict[str, Any], parts: list[str]) -> Any:
    """The value at a path through nested dicts, or _MISSING."""
    value: Any = document
    for part in parts:
        if not isinstance(value, dict):
            return _MISSING
        value = value.get(part, _MISSING)
    return value


def _check_query(query: dict[str, Any] | None) -> dict[str, Any]:
    """A validated copy of `query`: field path -> the value to equal, or a _Range."""
    if query is None:
        return {}
    query = _clean_dict(query, "query")
    return {_check_path(path): _condition(wanted) for path, wanted in query.items()}


def _condition(wanted: Any) -> Any:
    """`wanted` itself, or a _Range when it is a dict with "$" keys."""
    if not (isinstance(wanted, dict) and any(key.startswith("$") for key in wanted)):
        return wanted
    for name, bound in wanted.items():
        if name not in _OPERATORS:
            raise ValueError(f"unknown query operator {name!r}: expected {', '.join(_OPERATORS)}")
        if _kind(bound) is None:
            raise TypeError(f"{name} needs a number or a str, got {type(bound).__name__}: "
                            f"{_show(bound)}")
    kinds = {_kind(bound) for bound in wanted.values()}
    return _Range(kinds.pop() if len(kinds) == 1 else "mixed",
                  tuple((_OPERATORS[name], bound) for name, bound in wanted.items()))


def _select(documents: Iterable[dict[str, Any]], path: str, wanted: Any) -> list[dict[str, Any]]:
    """The documents whose value at `path` passes `wanted`: a _Range, or a value to JSON-equal.

    Python's == is the fast first filter (it holds whenever JSON equality does); the exact check
    runs only on the few documents that pass it.
    """
    parts = path.split(".")
    if isinstance(wanted, _Range):
        return [doc for doc in documents if wanted.holds(_lookup(doc, parts))]
    return [doc for doc in documents
            if (value := _lookup(doc, parts)) == wanted and _json_equal(value, wanted)]


class _Index:
    """An index on one field path: value key -> ids of the documents holding it.

    Ranges bisect the sorted keys of one kind (numbers or str), sorted when a range first needs
    them and forgotten when a key comes or goes: inserts stay O(1), repeated ranges O(log n).
    """

    def __init__(self, path: str) -> None:
        self.parts = path.split(".")
        self.buckets: dict[Hashable, set[str]] = {}
        self._sorted: dict[str, list[Any]] = {}  # kind -> that kind's keys, sorted

    def add(self, document: dict[str, Any]) -> None:
        value = _lookup(document, self.parts)
        if value is not _MISSING:
            key = _index_key(value)
            if key not in self.buckets:
                self.buckets[key] = set()
                self._sorted.clear()
            self.buckets[key].add(document["_id"])

    def remove(self, document: dict[str, Any]) -> None:
        value = _lookup(document, self.parts)
        if value is not _MISSING:
            key = _index_key(value)
            bucket = self.buckets[key]
            bucket.discard(document["_id"])
            if not bucket:
                del self.buckets[key]
                self._sorted.clear()

    def ids(self, wanted: Any) -> set[str]:
        """Ids of the documents whose field may match `wanted` (a superset is fine)."""
        if not isinstance(wanted, _Range):
            return self.buckets.get(_index_key(wanted), set())
        keys = self._sorted_keys(wanted.kind)
        low, high = 0, len(keys)
        for op, bound in wanted.bounds:
            if op.is_lower:
                low = max(low, op.cut(keys, bound))
            else:
                high = min(high, op.cut(keys, bound))
        return set().union(*(self.buckets[key] for key in keys[low:high]))

    def _sorted_keys(self, kind: str) -> list[Any]:
        if kind not in self._sorted:
            self._sorted[kind] = sorted(key for key in self.buckets if _kind(key) == kind)
        return self._sorted[kind]


class Collection:
    """Documents in insertion order, addressed by their ``_id``, with optional indexes."""

    def __init__(self, name: str) -> None:
        self.name = _check_name(name, "collection name")
        self._documents: dict[str, dict[str, Any]] = {}  # insertion order for free
        self._positions: dict[str, int] = {}  # insertion rank, to order indexed answers
        self._next_position = itertools.count()
        self._next_id = itertools.count(1)
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._documents)

    def insert(self, document: dict[str, Any]) -> str:
        """Store a deep copy of `document`; return its ``_id`` (generated when absent)."""
        stored = _clean_dict(document, "document")
        with self._lock:
            if "_id" in stored:
                doc_id = _check_name(stored["_id"], "document _id")
                if doc_id in self._documents:
                    raise DuplicateIdError(f"_id {doc_id!r} already exists in collection "
                                           f"{self.name!r}")
            else:
                doc_id = stored["_id"] = self._new_id()
            self._documents[doc_id] = stored
            self._positions[doc_id] = next(self._next_position)
            for index in self._indexes.values():
                index.add(stored)
            return doc_id

    def get(self, doc_id: str) -> dict[str, Any]:
        """A copy of the document with this id; DocumentNotFoundError if there is none."""
        _check_name(doc_id, "document id")
        with self._lock:
            if doc_id not in self._documents:
                raise DocumentNotFoundError(f"no document with _id {doc_id!r} in collection "
                                            f"{self.name!r}")
            return _copy(self._documents[doc_id])

    def find(self, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Copies of every document matching all (field, value) pairs, in insertion order."""
        with self._lock:
            return [_copy(doc) for doc in self._matches(query)]

    def find_one(self, query: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A copy of the first matching document, or None."""
        with self._lock:
            matches = self._matches(query)
            return _copy(matches[0]) if matches else None

    def count(self, query: dict[str, Any] | None = None) -> int:
        """How many documents match."""
        with self._lock:
            return len(self._matches(query))

    def update(self, query: dict[str, Any] | None, changes: dict[str, Any]) -> int:
        """Set every key of `changes` on each match; return how many matched."""
        changes = _clean_dict(changes, "changes")
        if "_id" in changes:
            raise ValueError(f"changes may not set _id (got {_show(changes['_id'])})")
        with self._lock:
            matches = self._matches(query)
            for doc in matches:
                for index in self._indexes.values():
                    index.remove(doc)
                doc.update(_copy(changes))
                for index in self._indexes.values():
                    index.add(doc)
            return len(matches)

    def delete(self, query: dict[str, Any] | None) -> int:
        """Remove every matching document; return how many were removed."""
        with self._lock:
            matches = self._matches(query)
            for doc in matches:
                for index in self._indexes.values():
                    index.remove(doc)
                del self._documents[doc["_id"]]
                del self._positions[doc["_id"]]
            return len(matches)

    def create_index(self, field: str) -> None:
        """Index `field` (a field path) for equality and range queries; again does nothing."""
        _check_path(field)
        with self._lock:
            if field not in self._indexes:
                index = _Index(field)
                for doc in self._documents.values():
                    index.add(doc)
                self._indexes[field] = index

    def drop_index(self, field: str) -> None:
        """Remove the index on `field`; DocumentStoreError when there is none."""
        _check_path(field)
        with self._lock:
            if field not in self._indexes:
                raise DocumentStoreError(f"no index on {field!r} in collection {self.name!r}")
            del self._indexes[field]

    def indexes(self) -> list[str]:
        with self._lock:
            return sorted(self._indexes)

    def _new_id(self) -> str:
        """The next counted id that no document holds (a caller may have chosen "7" already)."""
        doc_id = str(next(self._next_id))
        while doc_id in self._documents:
            doc_id = str(next(self._next_id))
        return doc_id

    def _matches(self, query: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The stored (live) documents matching `query`, in insertion order."""
        query = _check_query(query)
        matches = self._candidates(query)
        for path, wanted in query.items():
            matches = _select(matches, path, wanted)
        return list(matches)

    def _candidates(self, query: dict[str, Any]) -> Iterable[dict[str, Any]]:
        """Documents that may match, in insertion order: the smallest index answer, else all."""
        narrowed = [self._indexes[path].ids(wanted) for path, wanted in query.items()
                    if path in self._indexes]
        if not narrowed:
            return self._documents.values()
        ids = sorted(min(narrowed, key=len), key=self._positions.__getitem__)
        return [self._documents[doc_id] for doc_id in ids]


class DocumentStore:
    """Named collections."""

    def __init__(self) -> None:
        self._collections: dict[str, Collection] = {}
        self._lock = threading.Lock()

    def create_collection(self, name: str) -> Collection:
        _check_name(name, "collection name")
        with self._lock:
            if name in self._collections:
                raise CollectionExistsError(f"collection {name!r} already exists")
            collection = self._collections[name] = Collection(name)
            return collection

    def collection(self, name: str) -> Collection:
        _check_name(name, "collection name")
        with self._lock:
            if name not in self._collections:
                raise CollectionNotFoundError(f"no collection named {name!r}")
            return self._collections[name]

    def drop_collection(self, name: str) -> None:
        _check_name(name, "collection name")
        with self._lock:
            if self._collections.pop(name, None) is None:
                raise CollectionNotFoundError(f"no collection named {name!r}")

    def list_collections(self) -> list[str]:
        with self._lock:
            return sorted(self._collections)
