"""No lock: threads submitting at once hand out the same order id and fill one order twice."""

CAUGHT_BY = ["test_threads_trading_at_once_keep_every_order_and_trade_consistent"]

REPLACE = [
    ("import heapq\n", "import contextlib\nimport heapq\n"),
    ("self._lock = threading.Lock()", "self._lock = contextlib.nullcontext()"),
]
