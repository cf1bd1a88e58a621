"""No lock: concurrent inserts lose coins, and two selects both take the last item."""

CAUGHT_BY = ["test_concurrent_inserts_lose_no_coin",
             "test_concurrent_sales_never_oversell_and_lose_no_money"]

REPLACE = [
    ("import threading\n", "import contextlib\nimport threading\n"),
    ("self._lock = threading.Lock()", "self._lock = contextlib.nullcontext()"),
]
