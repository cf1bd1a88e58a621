"""allow() checks and spends the cost one token at a time: O(cost) per request."""

CAUGHT_BY = ["test_bucket_allow_cost_does_not_grow_with_the_cost"]

REPLACE = [
    ("            tokens = self._tokens_at(now)\n"
     "            if tokens < cost:\n",
     "            tokens, left = self._tokens_at(now), cost\n"
     "            while left > 0:\n"
     "                tokens, left = tokens - min(1.0, left), left - min(1.0, left)\n"
     "            tokens += cost\n"
     "            if tokens < cost:\n"),
]
