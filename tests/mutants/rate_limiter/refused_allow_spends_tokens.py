"""allow() takes the tokens before checking there are enough, so a refused request still drains
the bucket."""

CAUGHT_BY = ["test_refused_allow_spends_nothing"]

REPLACE = [
    ("            if tokens < cost:\n                return False\n"
     "            self._tokens, self._updated = tokens - cost, now\n            return True\n",
     "            self._tokens, self._updated = max(0.0, tokens - cost), now\n"
     "            return tokens >= cost\n"),
]
