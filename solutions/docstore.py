"""In-memory document store: named collections of JSON documents, equality queries, indexes."""

from __future__ import annotations

import itertools
import math
import threading
import uuid
from collections.abc import Hashable, Iterator
from typing import Any


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


_MISSING = object()


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}: {name!r}")
    if not name:
        raise ValueError(f"{what} must be a non-empty str, got {name!r}")
    return name


def _clean(value: Any, path: str) -> Any:
    """Validate a JSON value and return a deep copy of it; `path` names it in errors."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path} is {value!r}: JSON numbers must be finite")
        return value
    if isinstance(value, list):
        return [_clean(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        copy = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} has a key {key!r} of type {type(key).__name__}: "
                                f"keys must be str")
            copy[key] = _clean(item, f"{path}.{key}")
        return copy
    raise TypeError(f"{path} is {value!r} of type {type(value).__name__}: expected a JSON value "
                    f"(None, bool, int, float, str, list or dict)")


def _clean_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict, got {type(value).__name__}: {value!r}")
    return _clean(value, what)


def _key(value: Any) -> Hashable:
    """A hashable form with JSON equality: True != 1, 1 == 1.0, lists and dicts by content."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)  # 1 and 1.0 are equal and hash alike
    if isinstance(value, list):
        return ("list", tuple(_key(item) for item in value))
    if isinstance(value, dict):
        return ("dict", frozenset((k, _key(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _lookup(document: dict[str, Any], path: str) -> Any:
    """The value at a dotted path through nested dicts, or _MISSING."""
    value: Any = document
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _key_at(document: dict[str, Any], field: str) -> Hashable:
    value = _lookup(document, field)
    return _MISSING if value is _MISSING else _key(value)


def _check_field(field: object) -> str:
    field = _check_name(field, "field")
    if "" in field.split("."):
        raise ValueError(f"field {field!r} has an empty part: use names joined by single dots")
    return field


def _check_query(query: dict[str, Any] | None) -> dict[str, Hashable]:
    """Validate a query and turn its values into comparison keys."""
    if query is None:
        return {}
    query = _clean_dict(query, "query")
    return {_check_field(field): _key(value) for field, value in query.items()}


class Collection:
    """Documents in insertion order, addressed by their ``_id``, with optional equality indexes."""

    def __init__(self, name: str) -> None:
        self.name = _check_name(name, "collection name")
        self._documents: dict[str, dict[str, Any]] = {}
        self._positions: dict[str, int] = {}  # insertion rank, to order indexed answers
        self._next_position = itertools.count()
        # field -> value key -> ids of documents holding that value there
        self._indexes: dict[str, dict[Hashable, set[str]]] = {}
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
                doc_id = stored["_id"] = uuid.uuid4().hex
            self._documents[doc_id] = stored
            self._positions[doc_id] = next(self._next_position)
            self._index_add(doc_id, stored)
            return doc_id

    def get(self, doc_id: str) -> dict[str, Any]:
        """A copy of the document with this id; DocumentNotFoundError if there is none."""
        _check_name(doc_id, "document id")
        with self._lock:
            if doc_id not in self._documents:
                raise DocumentNotFoundError(f"no document with _id {doc_id!r} in collection "
                                            f"{self.name!r}")
            return _clean(self._documents[doc_id], "document")

    def find(self, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Copies of every document matching all (field, value) pairs, in insertion order."""
        with self._lock:
            return [_clean(doc, "document") for doc in self._matches(query)]

    def find_one(self, query: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A copy of the first matching document, or None."""
        with self._lock:
            matches = self._matches(query)
            return _clean(matches[0], "document") if matches else None

    def count(self, query: dict[str, Any] | None = None) -> int:
        with self._lock:
            return len(self._matches(query))

    def update(self, query: dict[str, Any] | None, changes: dict[str, Any]) -> int:
        """Set every key of `changes` on each match; return how many matched."""
        changes = _clean_dict(changes, "changes")
        if "_id" in changes:
            raise ValueError(f"changes may not set _id (got {changes['_id']!r})")
        with self._lock:
            matches = self._matches(query)
            for doc in matches:
                self._index_remove(doc["_id"], doc)
                doc.update(_clean(changes, "changes"))
                self._index_add(doc["_id"], doc)
            return len(matches)

    def delete(self, query: dict[str, Any] | None) -> int:
        """Remove every matching document; return how many were removed."""
        with self._lock:
            matches = self._matches(query)
            for doc in matches:
                self._index_remove(doc["_id"], doc)
                del self._documents[doc["_id"]]
                del self._positions[doc["_id"]]
            return len(matches)

    def create_index(self, field: str) -> None:
        """Index `field` (a dotted path) for equality queries; indexing it again does nothing."""
        _check_field(field)
        with self._lock:
            if field not in self._indexes:
                self._indexes[field] = {}
                for doc_id, doc in self._documents.items():
                    self._index_one(field, doc_id, doc)

    def drop_index(self, field: str) -> None:
        _check_field(field)
        with self._lock:
            if field not in self._indexes:
                raise DocumentStoreError(f"no index on {field!r} in collection {self.name!r}")
            del self._indexes[field]

    def indexes(self) -> list[str]:
        with self._lock:
            return sorted(self._indexes)

    def _matches(self, query: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The stored (live) documents matching `query`, in insertion order."""
        conditions = _check_query(query)
        indexed = [field for field in conditions if field in self._indexes]
        if indexed:
            candidates = min((self._indexes[f].get(conditions[f], set()) for f in indexed), key=len)
            documents: Iterator[dict[str, Any]] = (
                self._documents[i] for i in sorted(candidates, key=self._positions.__getitem__))
        else:
            documents = iter(self._documents.values())
        return [doc for doc in documents
                if all(_key_at(doc, f) == wanted for f, wanted in conditions.items())]

    def _index_one(self, field: str, doc_id: str, document: dict[str, Any]) -> None:
        value = _lookup(document, field)
        if value is not _MISSING:
            self._indexes[field].setdefault(_key(value), set()).add(doc_id)

    def _index_add(self, doc_id: str, document: dict[str, Any]) -> None:
        for field in self._indexes:
            self._index_one(field, doc_id, document)

    def _index_remove(self, doc_id: str, document: dict[str, Any]) -> None:
        for field, index in self._indexes.items():
            value = _lookup(document, field)
            if value is not _MISSING:
                bucket = index[_key(value)]
                bucket.discard(doc_id)
                if not bucket:
                    del index[_key(value)]


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
