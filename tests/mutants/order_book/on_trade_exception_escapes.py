"""An on_trade that raises breaks out of submit: later trades go unreported, the result lost."""

CAUGHT_BY = ["test_an_on_trade_that_raises_is_logged_and_ignored"]

REPLACE = [
    ("            try:\n"
     "                self._on_trade(trade)\n"
     "            except Exception:\n"
     '                _log.exception("on_trade failed on %r", trade)\n',
     "            self._on_trade(trade)\n"),
]
