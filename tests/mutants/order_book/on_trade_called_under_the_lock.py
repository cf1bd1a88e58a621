"""on_trade runs while the book's lock is held: a callback using the book deadlocks it."""

CAUGHT_BY = ["test_on_trade_runs_while_other_threads_can_use_the_book",
             "test_on_trade_may_call_the_book"]

REPLACE = [
    ("            state = order.state()\n"
     "        result = OrderResult(order.order_id, trades, state.remaining, state.status)\n"
     "        self._report(trades)\n",
     "            state = order.state()\n"
     "            self._report(trades)\n"
     "        result = OrderResult(order.order_id, trades, state.remaining, state.status)\n"),
]
