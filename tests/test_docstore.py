"""Grades an in-memory document store (katas/docstore.py): run with --impl to grade your copy."""

from __future__ import annotations

import itertools
import random
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


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_insert_then_get_returns_the_document_with_its_id(users):
    doc_id = users.insert({"name": "Ada", "born": 1815})
    assert isinstance(doc_id, str) and doc_id
    assert users.get(doc_id) == {"_id": doc_id, "name": "Ada", "born": 1815}


@pytest.mark.core
def test_insert_keeps_a_given_id(users):
    assert users.insert({"_id": "ada", "name": "Ada"}) == "ada"
    assert users.get("ada")["name"] == "Ada"


@pytest.mark.core
def test_find_returns_every_match_in_insertion_order(users):
    for name, city in [("a", "Paris"), ("b", "Rome"), ("c", "Paris"), ("d", "Paris")]:
        users.insert({"_id": name, "city": city})
    assert ids(users.find({"city": "Paris"})) == ["a", "c", "d"]
    assert users.count({"city": "Rome"}) == 1
    assert users.find_one({"city": "Paris"})["_id"] == "a"
    assert users.find_one({"city": "Oslo"}) is None


@pytest.mark.core
def test_find_requires_every_field_of_the_query_to_match(users):
    users.insert({"_id": "1", "city": "Paris", "role": "admin"})
    users.insert({"_id": "2", "city": "Paris", "role": "user"})
    assert ids(users.find({"city": "Paris", "role": "user"})) == ["2"]


@pytest.mark.core
def test_update_sets_fields_on_every_match_and_returns_the_count(users):
    users.insert({"_id": "1", "team": "red", "score": 1})
    users.insert({"_id": "2", "team": "red"})
    users.insert({"_id": "3", "team": "blue"})
    assert users.update({"team": "red"}, {"score": 10, "seen": True}) == 2
    assert users.get("1") == {"_id": "1", "team": "red", "score": 10, "seen": True}
    assert users.get("2") == {"_id": "2", "team": "red", "score": 10, "seen": True}
    assert users.get("3") == {"_id": "3", "team": "blue"}


@pytest.mark.core
def test_delete_removes_every_match_and_returns_the_count(users):
    for i in range(5):
        users.insert({"_id": str(i), "even": i % 2 == 0})
    assert users.delete({"even": True}) == 3
    assert len(users) == 2
    assert ids(users.find()) == ["1", "3"]


@pytest.mark.core
def test_collections_are_created_listed_fetched_and_dropped(store):
    orders = store.create_collection("orders")
    store.create_collection("accounts")
    assert store.list_collections() == ["accounts", "orders"]
    assert store.collection("orders") is orders
    assert orders.name == "orders"
    store.drop_collection("orders")
    assert store.list_collections() == ["accounts"]


@pytest.mark.core
def test_collections_hold_their_own_documents(store):
    a, b = store.create_collection("a"), store.create_collection("b")
    a.insert({"_id": "x", "v": 1})
    assert len(a) == 1 and len(b) == 0
    assert b.find() == []


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_find_returns_copies_not_live_documents(users):
    users.insert({"_id": "1", "tags": ["a"], "address": {"city": "Paris"}})
    found = users.find()[0]
    found["tags"].append("b")
    found["address"]["city"] = "Rome"
    users.get("1")["tags"].append("c")
    users.find_one()["address"]["city"] = "Oslo"
    assert users.get("1") == {"_id": "1", "tags": ["a"], "address": {"city": "Paris"}}


@pytest.mark.edge
def test_insert_stores_a_copy_and_leaves_the_callers_dict_alone(users):
    original = {"name": "Ada", "tags": ["x"], "address": {"city": "London"}}
    doc_id = users.insert(original)
    assert original == {"name": "Ada", "tags": ["x"], "address": {"city": "London"}}
    original["tags"].append("y")
    original["address"]["city"] = "Paris"
    assert users.get(doc_id) == {"_id": doc_id, "name": "Ada", "tags": ["x"],
                                 "address": {"city": "London"}}


@pytest.mark.edge
def test_update_stores_copies_of_the_changes(users):
    users.insert({"_id": "1", "k": 0})
    users.insert({"_id": "2", "k": 0})
    tags = ["a"]
    users.update({"k": 0}, {"tags": tags})
    tags.append("b")
    first = users.get("1")
    assert first["tags"] == ["a"]
    users.update({"_id": "1"}, {"k": 1})
    assert users.get("2")["tags"] == ["a"]


@pytest.mark.edge
def test_dotted_paths_reach_into_nested_dicts_only(users):
    users.insert({"_id": "1", "address": {"city": "Paris", "geo": {"zip": "75001"}}})
    users.insert({"_id": "2", "address": "Paris"})
    users.insert({"_id": "3", "address": [{"city": "Paris"}]})
    assert ids(users.find({"address.city": "Paris"})) == ["1"]
    assert ids(users.find({"address.geo.zip": "75001"})) == ["1"]
    assert users.find({"address.country": None}) == []


@pytest.mark.edge
def test_booleans_never_equal_numbers(users):
    users.insert({"_id": "t", "v": True})
    users.insert({"_id": "one", "v": 1})
    users.insert({"_id": "f", "v": False})
    users.insert({"_id": "zero", "v": 0})
    assert ids(users.find({"v": True})) == ["t"]
    assert ids(users.find({"v": 1})) == ["one"]
    assert ids(users.find({"v": 0})) == ["zero"]
    assert ids(users.find({"v": False})) == ["f"]


@pytest.mark.edge
def test_int_and_float_with_the_same_value_are_equal(users):
    users.insert({"_id": "i", "v": 2})
    users.insert({"_id": "f", "v": 2.0})
    assert ids(users.find({"v": 2})) == ["i", "f"]
    assert ids(users.find({"v": 2.0})) == ["i", "f"]


@pytest.mark.edge
def test_lists_and_dicts_compare_as_whole_values(users):
    users.insert({"_id": "l", "v": [1, [True, {"a": None}]]})
    users.insert({"_id": "d", "v": {"a": 1, "b": [2]}})
    assert ids(users.find({"v": [1.0, [True, {"a": None}]]})) == ["l"]
    assert users.find({"v": [1, [1, {"a": None}]]}) == []
    assert ids(users.find({"v": {"b": [2], "a": 1}})) == ["d"]
    assert users.find({"v": 1}) == []
    assert users.find({"v": {"a": 1}}) == []


@pytest.mark.edge
def test_a_missing_field_matches_nothing_not_even_none(users):
    users.insert({"_id": "has-none", "v": None})
    users.insert({"_id": "missing"})
    assert ids(users.find({"v": None})) == ["has-none"]


@pytest.mark.edge
def test_empty_or_no_query_matches_every_document(users):
    for i in range(3):
        users.insert({"_id": str(i)})
    assert ids(users.find()) == ids(users.find({})) == ids(users.find(None)) == ["0", "1", "2"]
    assert users.count() == users.count({}) == 3
    assert users.delete({}) == 3 and len(users) == 0


@pytest.mark.edge
def test_generated_ids_are_unique_and_never_reused_after_delete(users):
    seen = set()
    for _ in range(200):
        doc_id = users.insert({"v": 1})
        assert doc_id not in seen
        seen.add(doc_id)
        users.delete({"_id": doc_id})
    assert len(users) == 0


@pytest.mark.edge
def test_update_and_delete_with_no_match_return_zero(users):
    users.insert({"_id": "1", "v": 1})
    assert users.update({"v": 2}, {"w": 3}) == 0
    assert users.delete({"v": 2}) == 0
    assert users.get("1") == {"_id": "1", "v": 1}


@pytest.mark.edge
def test_update_keeps_insertion_order(users):
    for name in "abc":
        users.insert({"_id": name, "v": 0})
    users.update({"_id": "a"}, {"v": 1})
    assert ids(users.find()) == ["a", "b", "c"]


@pytest.mark.edge
def test_dropping_a_collection_frees_its_name(store):
    store.create_collection("c").insert({"_id": "x"})
    store.drop_collection("c")
    assert len(store.create_collection("c")) == 0


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
def test_inserting_a_duplicate_id_raises_duplicate_id_error(impl, users, error_naming):
    users.insert({"_id": "ada"})
    with error_naming(impl.DuplicateIdError, "ada"):
        users.insert({"_id": "ada", "other": 1})
    assert len(users) == 1
    assert issubclass(impl.DuplicateIdError, impl.DocumentStoreError)


@pytest.mark.errors
def test_get_of_an_unknown_id_raises_document_not_found(impl, users, error_naming):
    with error_naming(impl.DocumentNotFoundError, "nobody"):
        users.get("nobody")
    assert issubclass(impl.DocumentNotFoundError, impl.DocumentStoreError)


@pytest.mark.errors
def test_creating_an_existing_collection_raises_collection_exists(impl, store, error_naming):
    store.create_collection("users")
    with error_naming(impl.CollectionExistsError, "users"):
        store.create_collection("users")
    assert issubclass(impl.CollectionExistsError, impl.DocumentStoreError)


@pytest.mark.errors
@pytest.mark.parametrize("call", ["collection", "drop_collection"])
def test_unknown_collection_raises_collection_not_found(impl, store, error_naming, call):
    with error_naming(impl.CollectionNotFoundError, "ghosts"):
        getattr(store, call)("ghosts")
    assert issubclass(impl.CollectionNotFoundError, impl.DocumentStoreError)


@pytest.mark.errors
@pytest.mark.parametrize("name, error", [(42, TypeError), (None, TypeError), ("", ValueError)])
def test_collection_names_must_be_non_empty_strings(store, error_naming, name, error):
    with error_naming(error, repr(name)):
        store.create_collection(name)
    assert store.list_collections() == []


@pytest.mark.errors
@pytest.mark.parametrize("document, error, named", [
    (["not", "a", "dict"], TypeError, "list"),
    ({1: "int key"}, TypeError, "1"),
    ({"v": {2: "nested int key"}}, TypeError, "2"),
    ({"v": {1, 2}}, TypeError, "set"),
    ({"v": (1, 2)}, TypeError, "tuple"),
    ({"v": [1, object()]}, TypeError, "object"),
    ({"v": b"bytes"}, TypeError, "bytes"),
    ({"v": float("nan")}, ValueError, "nan"),
    ({"v": [float("inf")]}, ValueError, "inf"),
    ({"_id": ""}, ValueError, "''"),
    ({"_id": 7}, TypeError, "7"),
])
def test_insert_rejects_non_json_documents_and_stores_nothing(users, error_naming, document, error,
                                                              named):
    with error_naming(error, named):
        users.insert(document)
    assert len(users) == 0


@pytest.mark.errors
def test_update_may_not_change_the_id(users, error_naming):
    users.insert({"_id": "a", "v": 1})
    with error_naming(ValueError, "_id"):
        users.update({"v": 1}, {"_id": "b"})
    assert users.get("a") == {"_id": "a", "v": 1}


@pytest.mark.errors
def test_a_rejected_update_changes_nothing_anywhere(users, error_naming):
    users.insert({"_id": "a", "v": 1})
    users.insert({"_id": "b", "v": 1})
    with error_naming(TypeError, "object"):
        users.update({"v": 1}, {"ok": 2, "bad": object()})
    assert users.find() == [{"_id": "a", "v": 1}, {"_id": "b", "v": 1}]


@pytest.mark.errors
def test_update_changes_must_be_a_dict(users, error_naming):
    with error_naming(TypeError, "list"):
        users.update({}, [("v", 1)])


@pytest.mark.errors
@pytest.mark.parametrize("query, error, named", [
    ("v", TypeError, "str"),
    ({"v": object()}, TypeError, "object"),
    ({3: 1}, TypeError, "3"),
    ({"": 1}, ValueError, "''"),
    ({"a..b": 1}, ValueError, "a..b"),
])
def test_malformed_queries_are_rejected(users, error_naming, query, error, named):
    with error_naming(error, named):
        users.find(query)


@pytest.mark.errors
def test_get_with_a_non_string_id_raises_type_error(users, error_naming):
    with error_naming(TypeError, "42"):
        users.get(42)


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.timeout(20)
def test_concurrent_inserts_and_updates_keep_ids_unique_and_indexes_consistent(
        users, run_threads, frequent_thread_switches):
    users.create_index("team")
    new_ids: list[list[str]] = [[] for _ in range(4)]

    def work(n: int) -> None:
        for i in range(300):
            new_ids[n].append(users.insert({"team": i % 3, "worker": n}))
            users.update({"team": i % 3, "worker": n}, {"touched": i})

    run_threads(4, work, timeout=15)
    all_ids = [doc_id for chunk in new_ids for doc_id in chunk]
    assert len(all_ids) == len(set(all_ids)) == len(users) == 1200
    for team in range(3):
        indexed = users.find({"team": team})
        users.drop_index("team")
        assert indexed == users.find({"team": team})
        users.create_index("team")


# --- extension: indexes -------------------------------------------------------------------------


@pytest.mark.extension
def test_indexes_are_listed_created_idempotently_and_dropped(users):
    users.create_index("b")
    users.create_index("a.x")
    users.create_index("b")
    assert users.indexes() == ["a.x", "b"]
    users.drop_index("b")
    assert users.indexes() == ["a.x"]


@pytest.mark.extension
def test_dropping_a_missing_index_raises_document_store_error(impl, users, error_naming):
    with error_naming(impl.DocumentStoreError, "nope"):
        users.drop_index("nope")


@pytest.mark.extension
def test_index_follows_inserts_updates_and_deletes(users):
    users.create_index("city")
    users.insert({"_id": "1", "city": "Paris"})
    users.insert({"_id": "2", "city": "Rome"})
    users.insert({"_id": "3"})
    users.update({"_id": "1"}, {"city": "Rome"})
    assert ids(users.find({"city": "Rome"})) == ["1", "2"]
    assert users.find({"city": "Paris"}) == []
    users.update({"_id": "3"}, {"city": "Paris"})
    assert ids(users.find({"city": "Paris"})) == ["3"]
    users.delete({"_id": "2"})
    assert ids(users.find({"city": "Rome"})) == ["1"]
    assert users.count({"city": "Rome"}) == 1 and users.find_one({"city": "Paris"})["_id"] == "3"


@pytest.mark.extension
def test_index_created_after_inserts_covers_existing_documents(users):
    users.insert({"_id": "1", "a": {"b": 5}})
    users.insert({"_id": "2", "a": {"b": 6}})
    users.create_index("a.b")
    assert ids(users.find({"a.b": 5})) == ["1"]


@pytest.mark.extension
def test_indexed_answers_keep_insertion_order_after_updates(users):
    users.create_index("v")
    for name in "abcd":
        users.insert({"_id": name, "v": 0})
    users.update({"_id": "a"}, {"v": 1})
    users.update({"_id": "a"}, {"v": 0})
    assert ids(users.find({"v": 0})) == ["a", "b", "c", "d"]


@pytest.mark.extension
def test_index_never_conflates_true_with_one_or_splits_one_from_one_point_zero(users):
    users.create_index("v")
    users.insert({"_id": "t", "v": True})
    users.insert({"_id": "i", "v": 1})
    users.insert({"_id": "f", "v": 1.0})
    assert ids(users.find({"v": True})) == ["t"]
    assert ids(users.find({"v": 1})) == ["i", "f"]
    assert ids(users.find({"v": 1.0})) == ["i", "f"]


@pytest.mark.extension
def test_index_handles_unhashable_values_and_missing_fields(users):
    users.create_index("v")
    users.insert({"_id": "l", "v": [1, 2]})
    users.insert({"_id": "d", "v": {"k": [1]}})
    users.insert({"_id": "n", "v": None})
    users.insert({"_id": "m"})
    assert ids(users.find({"v": [1, 2]})) == ["l"]
    assert ids(users.find({"v": {"k": [1.0]}})) == ["d"]
    assert ids(users.find({"v": None})) == ["n"]
    assert users.delete({"v": [1, 2]}) == 1
    assert users.find({"v": [1, 2]}) == []


@pytest.mark.extension
def test_index_dropped_and_recreated_still_answers_right(users):
    users.create_index("v")
    users.insert({"_id": "1", "v": "x"})
    users.drop_index("v")
    users.insert({"_id": "2", "v": "x"})
    users.update({"_id": "1"}, {"v": "y"})
    users.create_index("v")
    assert ids(users.find({"v": "x"})) == ["2"]
    assert ids(users.find({"v": "y"})) == ["1"]


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
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
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
    for step in range(800):
        op = rng.choice(["insert", "insert", "find", "update", "delete", "index", "unindex"])
        query = random_query(rng)
        if op == "insert":
            doc = random_document(rng)
            model.append({**doc, "_id": users.insert(doc)})
        elif op == "find":
            expected = [d for d in model if model_matches(d, query)]
            assert users.find(query) == expected, f"step {step}: find({query})"
            assert users.count(query) == len(expected)
        elif op == "update":
            changes = {"a": rng.choice(VALUES)} if rng.random() < 0.7 else {"b": rng.choice(VALUES)}
            matched = [d for d in model if model_matches(d, query)]
            for d in matched:
                d.update(changes)
            assert users.update(query, changes) == len(matched), f"step {step}: update({query})"
        elif op == "delete":
            kept = [d for d in model if not model_matches(d, query)]
            assert users.delete(query) == len(model) - len(kept), f"step {step}: delete({query})"
            model = kept
        elif op == "index":
            users.create_index(rng.choice(["a", "b.c", "b"]))
        elif users.indexes():
            users.drop_index(rng.choice(users.indexes()))
        assert users.find() == model, f"step {step}: contents differ after {op}"


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
    assert users.find(target)[0]["n"] == 99_999
    assert scan / indexed >= 50, f"indexed find only {scan / indexed:.1f}x faster than a scan"


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_insert_cost_does_not_grow_with_collection_size_or_indexes(impl, timed):
    def batch_insert_cost(size: int) -> float:
        collection = impl.Collection("c")
        collection.create_index("n")
        for n in range(size):
            collection.insert({"n": n})
        fresh = itertools.count(-1, -1)
        return timed(lambda: [collection.insert({"n": next(fresh)}) for _ in range(2_000)])

    small, large = batch_insert_cost(1_000), batch_insert_cost(100_000)
    assert large / small < 5, f"inserting into 100,000 documents is {large / small:.1f}x slower"
