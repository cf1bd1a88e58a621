"""begin() saves a copy of the whole store, so every transaction costs memory and time O(n)."""

CAUGHT_BY = ["test_transaction_memory_grows_with_keys_touched_not_store_size",
             "test_begin_and_rollback_cost_grows_with_keys_touched_not_store_size"]

REPLACE = [
    ("self._undo.append({})", "self._undo.append(dict(self._data))"),
]
