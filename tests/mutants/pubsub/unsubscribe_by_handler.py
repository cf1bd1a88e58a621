"""unsubscribe() removes by handler instead of by subscription id, so it ends both duplicates."""

REPLACE = [
    ("bucket.remove(sub)",
     "bucket[:] = [other for other in bucket if other.handler != sub.handler]"),
]
