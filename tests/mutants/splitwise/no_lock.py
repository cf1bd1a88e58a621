"""The ledger takes no lock: concurrent calls share ids and lose updates."""

CAUGHT_BY = ["test_concurrent_expenses_and_payments_keep_ids_and_balances_exact"]

REPLACE = [
    ("self._lock = threading.Lock()", "self._lock = __import__('contextlib').nullcontext()"),
]
