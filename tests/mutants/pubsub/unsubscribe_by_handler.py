"""unsubscribe() removes by handler instead of by subscription id, so it ends both duplicates."""

CAUGHT_BY = ["test_same_handler_subscribed_twice_is_two_subscriptions"]

REPLACE = [
    ("bucket.remove(sub)",
     "bucket[:] = [other for other in bucket if other.handler != sub.handler]"),
]
