"""publish() finds a topic's subscribers by scanning every subscription: O(all) per publish."""

CAUGHT_BY = ["test_publish_cost_does_not_grow_with_subscriptions_on_other_topics"]

REPLACE = [
    ("return exact.copy() if exact else []",
     "return [sub for sub in self._subscriptions.values() if sub.pattern == topic]"),
]
