"""Grades an in-memory document store (katas/docstore.py): run with --impl to grade your copy."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import pytest


@pytest.fixture
def store(impl):
    return impl.DocumentStore()


@pytest.fixture
def users(store):
    return store.create_collection("users")


def ids(documents: list[dict]) -> list[str]:
    return [doc["_id"] for doc in documents]


def expect_ids(collection, query: Any, want: list[str]) -> None:
    """find(query) must answer the documents with these ids, in this order."""
    __tracebackhide__ = True
    try:
        got = ids(collection.find(query))
    except Exception as exc:  # noqa: BLE001 - reported as what the call did instead
        pytest.fail(f"find({query!r}) raised {type(exc).__name__}: {exc}; expected the documents "
                    f"{want!r}")
    assert got == want, f"find({query!r}) returned the documents {got!r}, expected {want!r}"


_ABSENT = object()  # a field a document does not have


def nested(levels: int) -> dict:
    """A document `levels` deep (the document itself is level 1): dicts and lists alternating."""
    value: Any = "leaf"
    for level in range(levels - 1):
        value = [value] if level % 2 else {"k": value}
    return {"v": value}


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_insert_then_get_returns_the_document_with_its_id(users, call):
    doc_id = users.insert({"name": "Ada", "born": 1815})
    assert isinstance(doc_id, str) and doc_id, \
        f"insert({{'name': 'Ada', 'born': 1815}}) returned {doc_id!r}, expected a non-empty str"
    call.returns({"_id": doc_id, "name": "Ada", "born": 1815}, users.get, doc_id)


@pytest.mark.core
def test_insert_keeps_a_given_id(users, call):
    call.returns("ada", users.insert, {"_id": "ada", "name": "Ada"})
    call.returns({"_id": "ada", "name": "Ada"}, users.get, "ada")


@pytest.mark.core
def test_find_returns_every_match_in_insertion_order(users, call):
    for name, city in [("a", "Paris"), ("b", "Rome"), ("c", "Paris"), ("d", "Paris")]:
        users.insert({"_id": name, "city": city})
    expect_ids(users, {"city": "Paris"}, ["a", "c", "d"])
    call.returns(1, users.count, {"city": "Rome"})
    call.returns({"_id": "a", "city": "Paris"}, users.find_one, {"city": "Paris"})
    call.returns(None, users.find_one, {"city": "Oslo"})


@pytest.mark.core
def test_find_requires_every_field_of_the_query_to_match(users):
    users.insert({"_id": "1", "city": "Paris", "role": "admin"})
    users.insert({"_id": "2", "city": "Paris", "role": "user"})
    expect_ids(users, {"city": "Paris", "role": "user"}, ["2"])


@pytest.mark.core
def test_update_sets_fields_on_every_match_and_returns_the_count(users, call):
    users.insert({"_id": "1", "team": "red", "score": 1})
    users.insert({"_id": "2", "team": "red"})
    users.insert({"_id": "3", "team": "blue"})
    call.returns(2, users.update, {"team": "red"}, {"score": 10, "seen": True})
    call.returns({"_id": "1", "team": "red", "score": 10, "seen": True}, users.get, "1")
    call.returns({"_id": "2", "team": "red", "score": 10, "seen": True}, users.get, "2")
    call.returns({"_id": "3", "team": "blue"}, users.get, "3")


@pytest.mark.core
def test_delete_removes_every_match_and_returns_the_count(users, call):
    for i in range(5):
        users.insert({"_id": str(i), "even": i % 2 == 0})
    call.returns(3, users.delete, {"even": True})
    call.returns(2, len, users)
    expect_ids(users, None, ["1", "3"])


@pytest.mark.core
def test_collections_are_created_listed_fetched_and_dropped(store, call):
    orders = store.create_collection("orders")
    store.create_collection("accounts")
    call.returns(["accounts", "orders"], store.list_collections)
    assert orders.name == "orders", f"create_collection('orders').name is {orders.name!r}"
    orders.insert({"_id": "o1"})
    call.returns([{"_id": "o1"}], store.collection("orders").find)
    store.drop_collection("orders")
    call.returns(["accounts"], store.list_collections)


@pytest.mark.core
def test_collections_hold_their_own_documents(store, call):
    a, b = store.create_collection("a"), store.create_collection("b")
    a.insert({"_id": "x", "v": 1})
    call.returns(1, len, a)
    call.returns(0, len, b)
    call.returns([], b.find)


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_find_returns_copies_not_live_documents(users, call):
    users.insert({"_id": "1", "tags": ["a"], "address": {"city": "Paris"}})
    found = users.find()[0]
    found["tags"].append("b")
    found["address"]["city"] = "Rome"
    users.get("1")["tags"].append("c")
    users.find_one()["address"]["city"] = "Oslo"
    call.returns({"_id": "1", "tags": ["a"], "address": {"city": "Paris"}}, users.get, "1")


@pytest.mark.edge
def test_insert_stores_a_copy_and_leaves_the_callers_dict_alone(users, call):
    original = {"name": "Ada", "tags": ["x"], "address": {"city": "London"}}
    doc_id = users.insert(original)
    assert original == {"name": "Ada", "tags": ["x"], "address": {"city": "London"}}, \
        f"insert({{'name': 'Ada', 'tags': ['x'], ...}}) changed the caller's dict to {original!r}"
    original["tags"].append("y")
    original["address"]["city"] = "Paris"
    call.returns({"_id": doc_id, "name": "Ada", "tags": ["x"], "address": {"city": "London"}},
                 users.get, doc_id)


@pytest.mark.edge
def test_update_stores_copies_of_the_changes(users, call):
    users.insert({"_id": "1", "k": 0})
    tags = ["a"]
    users.update({"k": 0}, {"tags": tags})
    tags.append("b")
    call.returns({"_id": "1", "k": 0, "tags": ["a"]}, users.get, "1")


@pytest.mark.edge
def test_dotted_paths_reach_into_nested_dicts_only(users):
    users.insert({"_id": "1", "address": {"city": "Paris", "geo": {"zip": "75001"}}})
    users.insert({"_id": "2", "address": "Paris"})
    users.insert({"_id": "3", "address": [{"city": "Paris"}]})
    expect_ids(users, {"address.city": "Paris"}, ["1"])
    expect_ids(users, {"address.geo.zip": "75001"}, ["1"])
    expect_ids(users, {"address.country": None}, [])


@pytest.mark.edge
def test_booleans_never_equal_numbers(users):
    for doc_id, value in [("t", True), ("one", 1), ("f", False), ("zero", 0)]:
        users.insert({"_id": doc_id, "v": value})
    expect_ids(users, {"v": True}, ["t"])
    expect_ids(users, {"v": 1}, ["one"])
    expect_ids(users, {"v": 0}, ["zero"])
    expect_ids(users, {"v": False}, ["f"])
    expect_ids(users, {"v": [1]}, [])


@pytest.mark.edge
def test_int_and_float_with_the_same_value_are_equal(users):
    users.insert({"_id": "i", "v": 2})
    users.insert({"_id": "f", "v": 2.0})
    expect_ids(users, {"v": 2}, ["i", "f"])
    expect_ids(users, {"v": 2.0}, ["i", "f"])


@pytest.mark.edge
def test_lists_and_dicts_compare_as_whole_values(users):
    users.insert({"_id": "l", "v": [1, [True, {"a": None}]]})
    users.insert({"_id": "d", "v": {"a": 1, "b": [2]}})
    expect_ids(users, {"v": [1.0, [True, {"a": None}]]}, ["l"])
    expect_ids(users, {"v": [1, [1, {"a": None}]]}, [])
    expect_ids(users, {"v": {"b": [2], "a": 1}}, ["d"])
    expect_ids(users, {"v": 1}, [])
    expect_ids(users, {"v": {"a": 1}}, [])


@pytest.mark.edge
def test_a_missing_field_matches_nothing_not_even_none(users):
    users.insert({"_id": "has-none", "v": None})
    users.insert({"_id": "missing"})
    expect_ids(users, {"v": None}, ["has-none"])


@pytest.mark.edge
def test_empty_or_no_query_matches_every_document(users, call):
    for i in range(3):
        users.insert({"_id": str(i)})
    for query in ({}, None):
        expect_ids(users, query, ["0", "1", "2"])
        call.returns(3, users.count, query)
    call.returns(["0", "1", "2"], lambda: ids(users.find()))
    call.returns(3, users.delete, {})
    call.returns(0, len, users)


@pytest.mark.edge
def test_generated_ids_are_unique_and_never_reused_after_delete(users, call):
    seen: set[str] = set()
    for _ in range(200):
        doc_id = users.insert({"v": 1})
        assert doc_id not in seen, f"insert({{'v': 1}}) returned {doc_id!r} a second time"
        seen.add(doc_id)
        users.delete({"_id": doc_id})
    call.returns(0, len, users)


def likely_next(generated: list[str], count: int) -> list[str]:
    """The ids a counter would hand out after each of `generated`: trailing number + 1..count."""
    after = []
    for doc_id in generated:
        numbered = re.fullmatch(r"(.*?)(\d+)", doc_id)
        if numbered:
            prefix, digits = numbered.groups()
            after += [prefix + str(int(digits) + k).zfill(len(digits)) for k in range(1, count + 1)]
    return list(dict.fromkeys(after))


def insert_generated(impl, collection, count: int) -> list[str]:
    new = []
    for _ in range(count):
        try:
            new.append(collection.insert({"chosen": False}))
        except impl.DocumentStoreError as exc:
            pytest.fail(f"insert({{'chosen': False}}) raised {exc!r}: a generated id must skip "
                        f"the ids callers chose")
    return new


@pytest.mark.edge
def test_generated_ids_never_collide_with_ids_callers_chose(impl, store, call):
    first = store.create_collection("first")
    generated = [first.insert({"chosen": False}) for _ in range(5)]
    # callers take the ids a counter would give next here, and every such id in a new collection
    ahead = [doc_id for doc_id in likely_next(generated[-1:], 30) if doc_id not in generated]
    second = store.create_collection("second")
    chosen = {first: ahead, second: list(dict.fromkeys(generated + likely_next(generated, 30)))}
    for collection, taken in chosen.items():
        for doc_id in taken:
            collection.insert({"_id": doc_id, "chosen": True})
        new = insert_generated(impl, collection, 40)
        clashes = sorted(set(new) & set(taken))
        assert not clashes and len(set(new)) == 40, \
            f"insert({{'chosen': False}}) x40 generated {new[:8]!r}..., clashing with the " \
            f"caller's ids {clashes[:5]!r}"
        call.returns(len(taken), collection.count, {"chosen": True})


@pytest.mark.edge
def test_update_and_delete_with_no_match_return_zero(users, call):
    users.insert({"_id": "1", "v": 1})
    call.returns(0, users.update, {"v": 2}, {"w": 3})
    call.returns(0, users.delete, {"v": 2})
    call.returns({"_id": "1", "v": 1}, users.get, "1")


@pytest.mark.edge
def test_update_keeps_insertion_order(users):
    for name in "abc":
        users.insert({"_id": name, "v": 0})
    users.update({"_id": "a"}, {"v": 1})
    expect_ids(users, None, ["a", "b", "c"])


@pytest.mark.edge
def test_dropping_a_collection_frees_its_name(store, call):
    store.create_collection("c").insert({"_id": "x"})
    store.drop_collection("c")
    call.returns(0, len, store.create_collection("c"))


@pytest.mark.edge
def test_huge_integers_are_stored_and_compared_exactly(users, call):
    users.insert({"_id": "huge", "v": 10**400})
    users.insert({"_id": "big-float", "v": 1e308})
    users.insert({"_id": "neg", "v": -(10**400)})
    for indexed in (False, True):
        if indexed:
            users.create_index("v")
        expect_ids(users, {"v": 10**400}, ["huge"])
        expect_ids(users, {"v": 1e308}, ["big-float"])
        expect_ids(users, {"v": -(10**400)}, ["neg"])
        call.returns(0, users.count, {"v": 10**400 + 1})
    call.returns(1, users.update, {"v": 10**400}, {"v": 10**401})
    expect_ids(users, {"v": 10**401}, ["huge"])


@pytest.mark.edge
def test_documents_nested_100_levels_deep_are_accepted(users, call):
    deepest = nested(100)
    users.insert({"_id": "deep", **deepest})
    users.create_index("v")
    expect_ids(users, {"v": deepest["v"]}, ["deep"])
    call.returns({"_id": "deep", **deepest}, users.get, "deep")
    call.returns(1, users.update, {"_id": "deep"}, {"w": deepest["v"]})


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
def test_inserting_a_duplicate_id_raises_duplicate_id_error(impl, users, call):
    users.insert({"_id": "ada"})
    call.raises(impl.DuplicateIdError, users.insert, {"_id": "ada", "other": 1}, naming="ada")
    call.returns([{"_id": "ada"}], users.find)
    assert issubclass(impl.DuplicateIdError, impl.DocumentStoreError), \
        "DuplicateIdError is not a subclass of DocumentStoreError"


@pytest.mark.errors
def test_get_of_an_unknown_id_raises_document_not_found(impl, users, call):
    call.raises(impl.DocumentNotFoundError, users.get, "nobody", naming="nobody")
    assert issubclass(impl.DocumentNotFoundError, impl.DocumentStoreError), \
        "DocumentNotFoundError is not a subclass of DocumentStoreError"


@pytest.mark.errors
def test_creating_an_existing_collection_raises_collection_exists(impl, store, call):
    store.create_collection("users")
    call.raises(impl.CollectionExistsError, store.create_collection, "users", naming="users")
    assert issubclass(impl.CollectionExistsError, impl.DocumentStoreError), \
        "CollectionExistsError is not a subclass of DocumentStoreError"


@pytest.mark.errors
@pytest.mark.parametrize("method", ["collection", "drop_collection"])
def test_unknown_collection_raises_collection_not_found(impl, store, call, method):
    call.raises(impl.CollectionNotFoundError, getattr(store, method), "ghosts", naming="ghosts")
    assert issubclass(impl.CollectionNotFoundError, impl.DocumentStoreError), \
        "CollectionNotFoundError is not a subclass of DocumentStoreError"


@pytest.mark.errors
@pytest.mark.parametrize("name, error, named", [
    (42, TypeError, ("42", "int")),
    (None, TypeError, ("None",)),
    ("", ValueError, ("''",)),
])
def test_collection_names_must_be_non_empty_strings(store, call, name, error, named):
    call.raises(error, store.create_collection, name, naming=named)
    call.returns([], store.list_collections)


@pytest.mark.errors
@pytest.mark.parametrize("document, error, named", [
    (["not", "a", "dict"], TypeError, ("list", "'not'")),
    ({1: "int key"}, TypeError, ("1", "int")),
    ({"v": {2: "nested int key"}}, TypeError, ("2", "int")),
    ({"v": {1, 2}}, TypeError, ("set", "{1, 2}")),
    ({"v": (1, 2)}, TypeError, ("tuple", "(1, 2)")),
    ({"v": [1, object()]}, TypeError, ("object",)),
    ({"v": b"bytes"}, TypeError, ("bytes", "b'bytes'")),
    ({"v": float("nan")}, ValueError, ("nan",)),
    ({"v": [float("inf")]}, ValueError, ("inf",)),
    ({"v": {"w": -float("inf")}}, ValueError, ("-inf",)),
    ({"_id": ""}, ValueError, ("''",)),
    ({"_id": 7}, TypeError, ("7", "int")),
])
def test_insert_rejects_non_json_documents_and_stores_nothing(users, call, document, error, named):
    call.raises(error, users.insert, document, naming=named)
    call.returns(0, len, users)


@pytest.mark.errors
def test_update_may_not_change_the_id(users, call):
    users.insert({"_id": "a", "v": 1})
    call.raises(ValueError, users.update, {"v": 1}, {"_id": "b"}, naming="_id")
    call.returns({"_id": "a", "v": 1}, users.get, "a")


@pytest.mark.errors
def test_a_rejected_update_changes_nothing_anywhere(users, call):
    users.insert({"_id": "a", "v": 1})
    users.insert({"_id": "b", "v": 1})
    call.raises(TypeError, users.update, {"v": 1}, {"ok": 2, "bad": object()}, naming="object")
    call.raises(ValueError, users.update, {"v": 1}, {"ok": 2, "bad": float("nan")}, naming="nan")
    call.returns([{"_id": "a", "v": 1}, {"_id": "b", "v": 1}], users.find)


@pytest.mark.errors
def test_update_changes_must_be_a_dict(users, call):
    users.insert({"_id": "a", "v": 1})
    call.raises(TypeError, users.update, {}, [("v", 2)], naming="list")
    call.returns({"_id": "a", "v": 1}, users.get, "a")


@pytest.mark.errors
@pytest.mark.parametrize("changes, error, named", [
    ({"bad": object()}, TypeError, "object"),
    ({"bad": float("inf")}, ValueError, "inf"),
    ({"_id": "x"}, ValueError, "_id"),
    ([("v", 1)], TypeError, "list"),
    (nested(101), ValueError, "100"),
])
def test_bad_changes_are_rejected_even_when_nothing_matches(users, call, changes, error, named):
    call.raises(error, users.update, {}, changes, naming=named)
    users.insert({"_id": "a", "v": 1})
    call.raises(error, users.update, {"v": 2}, changes, naming=named)
    call.returns([{"_id": "a", "v": 1}], users.find)


@pytest.mark.errors
@pytest.mark.parametrize("query, error, named", [
    ("v", TypeError, ("str", "'v'")),
    ([("v", 1)], TypeError, ("list",)),
    ({"v": object()}, TypeError, ("object",)),
    ({"v": {1, 2}}, TypeError, ("set",)),
    ({3: 1}, TypeError, ("3", "int")),
    ({"v": float("nan")}, ValueError, ("nan",)),
    ({"v": [float("inf")]}, ValueError, ("inf",)),
    ({"": 1}, ValueError, ("''",)),
    ({"a..b": 1}, ValueError, ("a..b",)),
    ({".a": 1}, ValueError, (".a",)),
    ({"a.": 1}, ValueError, ("a.",)),
])
def test_malformed_queries_are_rejected(users, call, query, error, named):
    users.insert({"_id": "a", "v": 1})
    call.raises(error, users.find, query, naming=named)


QUERY_METHODS = [("find", ()), ("find_one", ()), ("count", ()), ("update", ({"w": 1},)),
                 ("delete", ())]


@pytest.mark.errors
def test_bad_queries_are_rejected_even_on_an_empty_collection(users, call):
    for method, args in QUERY_METHODS:
        call.raises(ValueError, getattr(users, method), {"a..b": 1}, *args, naming="a..b")
        call.raises(TypeError, getattr(users, method), {"v": object()}, *args, naming="object")


@pytest.mark.errors
def test_dollar_keys_in_a_query_value_are_unknown_operators(users, call):
    users.insert({"_id": "a", "name": "Ada"})
    for method, args in QUERY_METHODS:
        call.raises(ValueError, getattr(users, method), {"name": {"$regex": "^A"}}, *args,
                    naming="$regex")
    call.returns([{"_id": "a", "name": "Ada"}], users.find)


@pytest.mark.errors
def test_get_with_a_non_string_id_raises_type_error(users, call):
    call.raises(TypeError, users.get, 42, naming=("42", "int"))


@pytest.mark.errors
@pytest.mark.parametrize("field, error", [("", ValueError), ("a..b", ValueError),
                                          (".a", ValueError), (3, TypeError)])
def test_malformed_index_fields_are_rejected(users, call, field, error):
    call.raises(error, users.create_index, field, naming=repr(field))
    call.raises(error, users.drop_index, field, naming=repr(field))
    call.returns([], users.indexes)


def cyclic() -> dict:
    document: dict[str, Any] = {"v": []}
    document["v"].append(document)
    return document


@pytest.mark.errors
@pytest.mark.parametrize("deep", [nested(101), nested(100_000), cyclic()],
                         ids=["101-levels", "100000-levels", "cycle"])
def test_nesting_deeper_than_100_levels_is_rejected_before_anything_changes(users, call, deep):
    users.insert({"_id": "a", "k": 1})
    users.create_index("k")
    call.raises(ValueError, users.insert, {"k": 1, **deep}, naming="100")
    call.raises(ValueError, users.update, {"k": 1}, deep, naming="100")
    call.raises(ValueError, users.find, {"k": 1, "v": deep}, naming="100")
    users.create_index("v")
    call.returns(1, users.count, {"k": 1})
    call.returns([{"_id": "a", "k": 1}], users.find)


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_inserts_and_updates_keep_ids_unique_and_indexes_consistent(
        users, run_threads, frequent_thread_switches, call):
    users.create_index("team")
    new_ids: list[list[str]] = [[] for _ in range(4)]

    def work(n: int) -> None:
        for i in range(150):
            new_ids[n].append(users.insert({"team": i % 3, "worker": n}))
            users.update({"team": i % 3, "worker": n}, {"touched": i})

    run_threads(4, work, timeout=15)
    all_ids = [doc_id for chunk in new_ids for doc_id in chunk]
    assert len(set(all_ids)) == 600, \
        f"4 threads x 150 insert() returned {len(set(all_ids))} distinct ids, expected 600"
    call.returns(600, len, users)
    for team in range(3):
        indexed = users.find({"team": team})
        users.drop_index("team")
        call.returns(indexed, users.find, {"team": team})
        users.create_index("team")


# --- extension: indexes -------------------------------------------------------------------------


@pytest.mark.extension
def test_indexes_are_listed_created_idempotently_and_dropped(users, call):
    users.create_index("b")
    users.create_index("a.x")
    users.create_index("b")
    call.returns(["a.x", "b"], users.indexes)
    users.drop_index("b")
    call.returns(["a.x"], users.indexes)


@pytest.mark.extension
def test_dropping_a_missing_index_raises_document_store_error(impl, users, call):
    call.raises(impl.DocumentStoreError, users.drop_index, "nope", naming="nope")


@pytest.mark.extension
def test_index_follows_inserts_updates_and_deletes(users, call):
    users.create_index("city")
    users.insert({"_id": "1", "city": "Paris"})
    users.insert({"_id": "2", "city": "Rome"})
    users.insert({"_id": "3"})
    users.update({"_id": "1"}, {"city": "Rome"})
    expect_ids(users, {"city": "Rome"}, ["1", "2"])
    expect_ids(users, {"city": "Paris"}, [])
    users.update({"_id": "3"}, {"city": "Paris"})
    expect_ids(users, {"city": "Paris"}, ["3"])
    users.delete({"_id": "2"})
    expect_ids(users, {"city": "Rome"}, ["1"])
    call.returns(1, users.count, {"city": "Rome"})
    call.returns({"_id": "3", "city": "Paris"}, users.find_one, {"city": "Paris"})
    users.insert({"_id": "2", "city": "Oslo"})
    expect_ids(users, {"city": "Oslo"}, ["2"])


@pytest.mark.extension
def test_index_created_after_inserts_covers_existing_documents(users):
    users.insert({"_id": "1", "a": {"b": 5}})
    users.insert({"_id": "2", "a": {"b": 6}})
    users.create_index("a.b")
    expect_ids(users, {"a.b": 5}, ["1"])


@pytest.mark.extension
def test_indexed_answers_keep_insertion_order_after_updates(users):
    users.create_index("v")
    for name in "abcd":
        users.insert({"_id": name, "v": 0})
    users.update({"_id": "a"}, {"v": 1})
    users.update({"_id": "a"}, {"v": 0})
    expect_ids(users, {"v": 0}, ["a", "b", "c", "d"])


@pytest.mark.extension
def test_index_never_conflates_true_with_one_or_splits_one_from_one_point_zero(users):
    users.create_index("v")
    users.insert({"_id": "t", "v": True})
    users.insert({"_id": "i", "v": 1})
    users.insert({"_id": "f", "v": 1.0})
    expect_ids(users, {"v": True}, ["t"])
    expect_ids(users, {"v": 1}, ["i", "f"])
    expect_ids(users, {"v": 1.0}, ["i", "f"])


@pytest.mark.extension
def test_index_handles_unhashable_values_and_missing_fields(users, call):
    users.create_index("v")
    users.insert({"_id": "l", "v": [1, 2]})
    users.insert({"_id": "d", "v": {"k": [1]}})
    users.insert({"_id": "n", "v": None})
    users.insert({"_id": "m"})
    expect_ids(users, {"v": [1, 2]}, ["l"])
    expect_ids(users, {"v": {"k": [1.0]}}, ["d"])
    expect_ids(users, {"v": None}, ["n"])
    call.returns(1, users.delete, {"v": [1, 2]})
    expect_ids(users, {"v": [1, 2]}, [])


@pytest.mark.extension
def test_index_dropped_and_recreated_still_answers_right(users):
    users.create_index("v")
    users.insert({"_id": "1", "v": "x"})
    users.drop_index("v")
    users.insert({"_id": "2", "v": "x"})
    users.update({"_id": "1"}, {"v": "y"})
    users.create_index("v")
    expect_ids(users, {"v": "x"}, ["2"])
    expect_ids(users, {"v": "y"}, ["1"])


# --- randomized model test ------------------------------------------------------------------------

VALUES: list[Any] = [0, 1, 1.0, 2, True, False, None, "x", "", [1], [1.0], [True], {"k": 1},
                     {"k": True}, {}, []]


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality written the slow, obvious way, as an independent oracle."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def model_matches(doc: dict, query: dict) -> bool:
    for path, wanted in query.items():
        value: Any = doc
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return False
            value = value[part]
        if not json_equal(value, wanted):
            return False
    return True


def random_document(rng: random.Random) -> dict:
    doc: dict[str, Any] = {}
    if rng.random() < 0.8:
        doc["a"] = rng.choice(VALUES)
    if rng.random() < 0.6:
        doc["b"] = {"c": rng.choice(VALUES)} if rng.random() < 0.8 else rng.choice(VALUES)
    return doc


def random_query(rng: random.Random) -> dict:
    fields = rng.sample(["a", "b.c", "b"], rng.choice([0, 1, 1, 2]))
    return {field: rng.choice(VALUES) for field in fields}


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_agree_with_a_list_of_dicts_model(users, seed):
    rng = random.Random(seed)
    model: list[dict] = []
    for step in range(600):
        op = rng.choice(["insert", "insert", "find", "update", "delete", "index", "unindex"])
        query = random_query(rng)
        if op == "insert":
            doc = random_document(rng)
            model.append({**doc, "_id": users.insert(doc)})
        elif op == "find":
            expected = [d for d in model if model_matches(d, query)]
            got = users.find(query)
            assert got == expected, f"step {step}: find({query!r}) returned {ids(got)!r}, " \
                                    f"expected {ids(expected)!r} (indexes {users.indexes()!r})"
            count = users.count(query)
            assert count == len(expected), \
                f"step {step}: count({query!r}) returned {count}, expected {len(expected)}"
        elif op == "update":
            changes = {"a": rng.choice(VALUES)} if rng.random() < 0.7 else {"b": rng.choice(VALUES)}
            matched = [d for d in model if model_matches(d, query)]
            for d in matched:
                d.update(changes)
            got = users.update(query, changes)
            assert got == len(matched), f"step {step}: update({query!r}, {changes!r}) returned " \
                                        f"{got}, expected {len(matched)}"
        elif op == "delete":
            kept = [d for d in model if not model_matches(d, query)]
            got = users.delete(query)
            assert got == len(model) - len(kept), \
                f"step {step}: delete({query!r}) returned {got}, expected {len(model) - len(kept)}"
            model = kept
        elif op == "index":
            users.create_index(rng.choice(["a", "b.c", "b"]))
        elif users.indexes():
            users.drop_index(rng.choice(users.indexes()))
        assert users.find() == model, f"step {step}: find() differs from the model after {op}"


# --- change request: range queries ----------------------------------------------------------------

AGES: list[tuple[str, Any]] = [
    ("17", 17), ("18", 18), ("18.0", 18.0), ("30", 30), ("64.5", 64.5), ("65", 65), ("70", 70),
    ("str", "40"), ("true", True), ("none", None), ("list", [30]), ("dict", {"v": 30}),
    ("missing", _ABSENT)]


@pytest.fixture(params=[False, True], ids=["unindexed", "indexed"])
def ages(users, request):
    """A collection of ages of every kind, with or without an index on "age"."""
    if request.param:
        users.create_index("age")
    for doc_id, age in AGES:
        users.insert({"_id": doc_id} if age is _ABSENT else {"_id": doc_id, "age": age})
    return users


@pytest.mark.change
def test_range_operators_compare_numbers_with_every_bound(ages):
    for query, want in [
        ({"$gte": 18, "$lt": 65}, ["18", "18.0", "30", "64.5"]),
        ({"$gt": 18, "$lte": 65}, ["30", "64.5", "65"]),
        ({"$gt": 64.5}, ["65", "70"]),
        ({"$lte": 18.0}, ["17", "18", "18.0"]),
        ({"$lt": 17}, []),
        ({"$gte": 18, "$lte": 18}, ["18", "18.0"]),
        ({"$gt": 30, "$lt": 30}, []),
    ]:
        expect_ids(ages, {"age": query}, want)


@pytest.mark.change
def test_a_range_never_matches_other_kinds_or_missing_fields(ages, call):
    expect_ids(ages, {"age": {"$gte": 0}}, ["17", "18", "18.0", "30", "64.5", "65", "70"])
    expect_ids(ages, {"age": {"$gte": "0"}}, ["str"])
    expect_ids(ages, {"age": {"$gt": 1, "$lt": "z"}}, [])
    call.returns(0, ages.count, {"age": {"$lt": 1}})
    expect_ids(ages, {"age": {"$lte": 0}}, [])


@pytest.mark.change
@pytest.mark.parametrize("indexed", [False, True])
def test_a_range_on_strings_uses_python_str_order(users, indexed):
    if indexed:
        users.create_index("name")
    for name in ["bob", "Carl", "ada", "dave", "b", "c"]:
        users.insert({"_id": name, "name": name})
    expect_ids(users, {"name": {"$gte": "b", "$lt": "d"}}, ["bob", "b", "c"])
    expect_ids(users, {"name": {"$lt": "a"}}, ["Carl"])
    expect_ids(users, {"name": {"$gt": "c"}}, ["dave"])


@pytest.mark.change
@pytest.mark.parametrize("indexed", [False, True])
def test_ranges_combine_with_equality_in_every_query_method(users, call, indexed):
    if indexed:
        users.create_index("stats.score")
    for doc_id, team, score in [("a", "red", 5), ("b", "blue", 7), ("c", "red", 9),
                                ("d", "red", 2)]:
        users.insert({"_id": doc_id, "team": team, "stats": {"score": score}})
    query = {"team": "red", "stats.score": {"$gte": 5}}
    expect_ids(users, query, ["a", "c"])
    call.returns(2, users.count, query)
    call.returns({"_id": "a", "team": "red", "stats": {"score": 5}}, users.find_one, query)
    call.returns(2, users.update, query, {"top": True})
    expect_ids(users, {"top": True}, ["a", "c"])
    call.returns(1, users.delete, {"stats.score": {"$gt": 8}})
    expect_ids(users, {"stats.score": {"$lt": 100}}, ["a", "b", "d"])


@pytest.mark.change
def test_bad_range_bounds_and_unknown_operators_are_rejected(users, call):
    users.insert({"_id": "a", "age": 3})
    for bound, error, named in [
        ({"$gt": None}, TypeError, ("None",)),
        ({"$gt": True}, TypeError, ("True", "bool")),
        ({"$lte": [1]}, TypeError, ("[1]", "list")),
        ({"$lt": {"a": 1}}, TypeError, ("dict",)),
        ({"$ne": 1}, ValueError, ("$ne",)),
        ({"$gt": 1, "x": 2}, ValueError, ("x",)),
        ({"$gt": float("nan")}, ValueError, ("nan",)),
        ({"$lt": float("inf")}, ValueError, ("inf",)),
    ]:
        for method, args in QUERY_METHODS:
            call.raises(error, getattr(users, method), {"age": bound}, *args, naming=named)
    call.returns([{"_id": "a", "age": 3}], users.find)


@pytest.mark.change
@pytest.mark.parametrize("indexed", [False, True])
def test_ranges_compare_huge_integers_exactly(users, indexed):
    if indexed:
        users.create_index("v")
    for doc_id, value in [("huge", 10**400), ("max-float", 1.7e308), ("one", 1),
                          ("neg", -(10**400))]:
        users.insert({"_id": doc_id, "v": value})
    expect_ids(users, {"v": {"$gt": 1e308}}, ["huge", "max-float"])
    expect_ids(users, {"v": {"$gt": 1.7e308}}, ["huge"])
    expect_ids(users, {"v": {"$gte": 10**400}}, ["huge"])
    expect_ids(users, {"v": {"$lt": -1e308}}, ["neg"])
    expect_ids(users, {"v": {"$gt": -(10**401), "$lt": 10**401}},
               ["huge", "max-float", "one", "neg"])


@pytest.mark.change
def test_an_indexed_range_follows_inserts_updates_and_deletes(users):
    users.create_index("age")
    for n in range(10):
        users.insert({"_id": f"p{n}", "age": n * 10})
    expect_ids(users, {"age": {"$gte": 30, "$lt": 50}}, ["p3", "p4"])
    users.insert({"_id": "new", "age": 35})
    users.insert({"_id": "text", "age": "35"})
    expect_ids(users, {"age": {"$gte": 30, "$lt": 50}}, ["p3", "p4", "new"])
    users.update({"_id": "p4"}, {"age": 55})
    users.update({"_id": "p9"}, {"age": 31.5})
    expect_ids(users, {"age": {"$gte": 30, "$lt": 50}}, ["p3", "p9", "new"])
    users.delete({"age": 35})
    expect_ids(users, {"age": {"$gte": 30, "$lt": 50}}, ["p3", "p9"])
    users.delete({"_id": "p3"})
    expect_ids(users, {"age": {"$gt": 20}}, ["p4", "p5", "p6", "p7", "p8", "p9"])


RANGE_VALUES: list[Any] = [-1, 0, 0.5, 1, 1.0, 2, 3, True, False, None, "", "a", "b", "ab", [1], {}]


def model_in_range(value: Any, bounds: dict) -> bool:
    """The card's range rule, written the slow, obvious way."""
    def kind(v: Any) -> str | None:
        if isinstance(v, bool):
            return None
        return "number" if isinstance(v, (int, float)) else "str" if isinstance(v, str) else None

    tests = {"$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b,
             "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b}
    return all(kind(value) is not None and kind(value) == kind(bound) and tests[op](value, bound)
               for op, bound in bounds.items())


@pytest.mark.change
@pytest.mark.parametrize("seed", [1, 2])
def test_random_range_queries_agree_with_a_model_with_and_without_an_index(users, seed):
    rng = random.Random(seed)
    model: dict[str, Any] = {}
    bound_values = [-1, 0, 0.5, 1, 2, 2.5, 3, "", "a", "ab", "b"]
    for step in range(400):
        op = rng.choice(["insert", "insert", "update", "delete", "find", "find", "index"])
        bounds = {name: rng.choice(bound_values)
                  for name in rng.sample(["$gt", "$gte", "$lt", "$lte"], rng.choice([1, 2]))}
        if op == "insert":
            value = rng.choice(RANGE_VALUES)
            model[users.insert({"v": value})] = value
        elif op == "update":
            value = rng.choice(RANGE_VALUES)
            users.update({"v": bounds}, {"v": value})
            model.update({k: value for k, v in model.items() if model_in_range(v, bounds)})
        elif op == "delete":
            users.delete({"v": bounds})
            model = {k: v for k, v in model.items() if not model_in_range(v, bounds)}
        elif op == "index":
            if users.indexes():
                users.drop_index("v")
            else:
                users.create_index("v")
        want = [k for k, v in model.items() if model_in_range(v, bounds)]
        got = ids(users.find({"v": bounds}))
        assert got == want, f"step {step}: find({{'v': {bounds!r}}}) returned {got!r}, expected " \
                            f"{want!r} (indexes {users.indexes()!r})"


@pytest.mark.change
@pytest.mark.timeout(30)
def test_a_range_on_an_indexed_field_is_at_least_20x_faster_than_on_an_unindexed_one(users, timed):
    users.create_index("n")
    for n in range(20_000):
        users.insert({"n": n, "m": n})
    near_end = {"$gte": 19_990, "$lt": 20_000}
    for field in ("n", "m"):
        found = [doc[field] for doc in users.find({field: near_end})]
        assert found == list(range(19_990, 20_000)), \
            f"find({{{field!r}: {near_end!r}}}) returned {found!r}"
    ratio = timed.ratio(lambda: users.find({"n": near_end}), lambda: users.find({"m": near_end}),
                        at_most=1 / 20)
    assert ratio <= 1 / 20, f"find({{'n': {near_end!r}}}) on an indexed field takes " \
                            f"{ratio:.3f}x the time of the same range unindexed, expected at " \
                            f"most 0.05x"


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_indexed_find_among_100k_documents_is_at_least_50x_faster_than_a_scan(users, timed):
    for n in range(100_000):
        users.insert({"n": n, "group": n % 10})
    target = {"n": 99_999}
    scan = timed(lambda: users.find(target), repeats=3)
    users.create_index("n")
    indexed = timed(lambda: users.find(target), repeats=7)
    found = users.find(target)
    assert [doc["n"] for doc in found] == [99_999], \
        f"find({target!r}) with an index returned {found!r}"
    assert scan / indexed >= 50, \
        f"find({target!r}) among 100,000 documents: indexed only {scan / indexed:.1f}x faster " \
        f"than a scan, expected at least 50x"


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_insert_cost_does_not_grow_with_collection_size_or_indexes(impl, timed):
    def filled(size: int):
        collection = impl.Collection("c")
        collection.create_index("n")
        for n in range(size):
            collection.insert({"n": n})
        return collection

    fresh = itertools.count(-1, -1)

    def inserter(collection):
        def insert_batch() -> None:
            for _ in range(200):
                n = next(fresh)
                collection.insert({"n": n})
                collection.insert({"_id": f"given{n}", "n": n})
        return insert_batch

    small, large = filled(1_000), filled(50_000)
    ratio = timed.ratio(inserter(large), inserter(small), at_most=5)
    assert ratio < 5, f"insert() into 50,000 indexed documents is {ratio:.1f}x slower than " \
                      f"into 1,000, expected O(1)"
