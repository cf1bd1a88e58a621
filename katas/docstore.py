"""In-memory document store

Size: full

A small team needs a MongoDB-like store that lives in memory: named collections of JSON documents,
queried by field equality. Build the store and its collections.

Core (the 60-minute part):
- DocumentStore: create_collection(name), collection(name), drop_collection(name),
  list_collections() (sorted names). Names are non-empty str.
- Collection.insert(document) stores a deep copy and returns its id: the document's own "_id" (a
  non-empty str, unique in the collection) or a generated str. A generated id is never the id of a
  document the collection holds (a caller may have chosen "1", or any str, before) and never one
  it generated before, even after a delete. The stored document holds its id under "_id" (get
  and find return it); the caller's dict is not modified.
- Documents hold JSON values only: None, bool, int (any size), finite float, str, list, and dict
  with str keys, nested at most 100 levels deep: the document is level 1, so {"a": [1]} has 2.
- get(doc_id), find(query), find_one(query), count(query), len(collection).
- A query is a dict of field path -> value; a document matches when every field equals the value.
  A field path is one or more non-empty keys joined by single dots ("name", "address.city"); it
  reaches into nested dicts only, never into lists. Equality is JSON equality: True and False
  never equal 1 and 0, numbers compare by exact value (1 equals 1.0, 10**400 never equals a
  float), lists and dicts compare as whole values, and a missing field matches nothing (not even
  None). An empty query or None matches every document. Query values
  are JSON values, checked like a document's.
- A query value that is a dict with a key starting with "$" is an operator, not a value to equal.
  This store knows no operators: such a query raises ValueError naming the key ("$regex" in
  {"name": {"$regex": "^A"}}). Other dicts are values ({"address": {"city": "Paris"}}).
- find returns matches in insertion order, as deep copies: changing a result never changes the
  store.
- update(query, changes) sets a deep copy of each top-level key of changes on every match and
  returns how many matched; delete(query) removes every match and returns how many.
- The store and its collections may be used from several threads at once: each call is atomic.

Extensions (the stretch part, tests marked extension):
- create_index(field) (a field path; creating it again does nothing), drop_index(field),
  indexes() (sorted). find/find_one/count/update/delete use an index when the query names an
  indexed field.
- An index never changes a result: for every history of operations, answers with and without
  indexes are identical (unhashable values, missing fields, True vs 1, 1 vs 1.0 included).

Errors:
- Wrong argument types raise TypeError, bad values ValueError. Every message names the offending
  value as repr() shows it ('' for an empty str, 'a..b' for a bad path); a TypeError's message
  also names the wrong type (insert(["a"]) says list, a set inside a document says set).
- NaN and +-inf are not JSON numbers: ValueError wherever a value is taken (documents, changes and
  query values). A malformed field path ("", "a..b", ".a", "a."): ValueError, in queries and in
  create_index/drop_index. Nesting deeper than 100 levels (document, changes or query, each
  level 1 itself): ValueError naming the limit 100, however deep the value (100,000 levels, or
  a list that contains itself).
- CollectionExistsError, CollectionNotFoundError, DocumentNotFoundError, DuplicateIdError, all
  subclasses of DocumentStoreError; drop_index of a field without an index: DocumentStoreError.
- update may not set "_id" (ValueError naming "_id").
- Arguments are checked before anything is searched or changed: a bad query or bad changes raise
  even when the collection is empty or nothing matches, and a rejected call changes nothing (an
  update with one bad value leaves every document as it was; an index is never half built).

Example:
    >>> store = DocumentStore()
    >>> users = store.create_collection("users")
    >>> users.insert({"_id": "ada", "name": "Ada", "address": {"city": "London"}})
    'ada'
    >>> users.find({"address.city": "London"})[0]["name"]
    'Ada'
    >>> users.update({"name": "Ada"}, {"born": 1815})
    1
    >>> users.count({"born": 1815.0}), users.count({"born": True})
    (1, 0)

Complexity:
- insert O(1) amortised, also with indexes; unindexed find O(n); indexed equality find
  O(matches): finding one document among 100,000 by an indexed field is at least 50x faster
  than a scan.

Hints:
1. Decide first what "equal" means, once, in one function, and use it for scans and indexes alike.
2. A dict of id -> document keeps insertion order for free; an index can map a hashable form of
   each value to the ids holding it.
3. Python says True == 1 and hash(True) == hash(1): tag values by JSON type before hashing, and turn
   lists and dicts into tuples and frozensets.

Change request:
Range queries. A query value may now be a dict of operators, {"age": {"$gte": 18, "$lt": 65}},
with "$gt", "$gte", "$lt" and "$lte" (greater than, at least, less than, at most). A document
matches when its value at the field compares so with every bound, within one kind: numbers with
numbers (int and float mix; bool is not a number here) and str with str (Python's str order). A
value of another type, or a missing field, never matches; bounds of two kinds match nothing. A
bound that is not a number or a str (None, True, [1], ...) raises TypeError naming it and its
type; any other key in such a dict ("$ne", or "x" beside "$gt") raises ValueError naming that key.
Ranges and equalities combine (all must hold) in find, find_one, count, update and delete, and
answers stay in insertion order. An index on the field serves its ranges too: among 20,000
documents, finding 10 by a range on an indexed field is at least 20x faster than by the same
range on an unindexed one, and insert stays O(1) with indexes.
"""

from __future__ import annotations

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


class Collection:
    """Documents in insertion order, addressed by their ``_id``, with optional equality indexes."""

    def __init__(self, name: str) -> None:
        """An empty collection named `name`, a non-empty str (TypeError / ValueError), as .name."""
        raise NotImplementedError

    def __len__(self) -> int:
        """How many documents the collection holds."""
        raise NotImplementedError

    def insert(self, document: dict[str, Any]) -> str:
        """Store a deep copy of `document`; return its ``_id`` (generated when absent).

        TypeError for a non-dict, a non-str key, a non-JSON value or a non-str ``_id``; ValueError
        for a non-finite float, nesting deeper than 100 levels or an empty ``_id``;
        DuplicateIdError for an ``_id`` already present.
        """
        raise NotImplementedError

    def get(self, doc_id: str) -> dict[str, Any]:
        """A copy of the document with this id; TypeError for a non-str id, DocumentNotFoundError
        if there is none."""
        raise NotImplementedError

    def find(self, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Copies of every document matching all (field, value) pairs, in insertion order.

        TypeError for a query that is not a dict or None, a non-str field or a non-JSON value;
        ValueError for a malformed field path, a non-finite float or a "$" operator.
        """
        raise NotImplementedError

    def find_one(self, query: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A copy of the first matching document, or None; the query is checked as in find."""
        raise NotImplementedError

    def count(self, query: dict[str, Any] | None = None) -> int:
        """How many documents match; the query is checked as in find."""
        raise NotImplementedError

    def update(self, query: dict[str, Any] | None, changes: dict[str, Any]) -> int:
        """Set every key of `changes` on each match; return how many matched.

        `changes` is a dict validated like a document and may not contain "_id" (ValueError); the
        query is checked as in find. Both are checked even when nothing matches; a rejected update
        changes nothing.
        """
        raise NotImplementedError

    def delete(self, query: dict[str, Any] | None) -> int:
        """Remove every matching document; return how many were removed (query checked as in
        find)."""
        raise NotImplementedError

    def create_index(self, field: str) -> None:
        """Index `field` (a field path) for equality queries; indexing it again does nothing.

        TypeError for a non-str field, ValueError for a malformed path.
        """
        raise NotImplementedError

    def drop_index(self, field: str) -> None:
        """Remove the index on `field`; DocumentStoreError when there is none."""
        raise NotImplementedError

    def indexes(self) -> list[str]:
        """The indexed fields, sorted."""
        raise NotImplementedError


class DocumentStore:
    """Named collections."""

    def __init__(self) -> None:
        """An empty store."""
        raise NotImplementedError

    def create_collection(self, name: str) -> Collection:
        """A new empty collection; CollectionExistsError if the name is taken."""
        raise NotImplementedError

    def collection(self, name: str) -> Collection:
        """The collection called `name`; CollectionNotFoundError if there is none."""
        raise NotImplementedError

    def drop_collection(self, name: str) -> None:
        """Remove a collection and its documents; CollectionNotFoundError if there is none."""
        raise NotImplementedError

    def list_collections(self) -> list[str]:
        """The collection names, sorted."""
        raise NotImplementedError
