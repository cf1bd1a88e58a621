"""retry_after() returns a negative wait when the bucket already holds more tokens than the cost."""

CAUGHT_BY = ["test_bucket_retry_after_is_zero_never_negative_when_tokens_are_available"]

REPLACE = [
    ("wait = max(0.0, (cost - self._tokens_at(now)) / self._rate)",
     "wait = (cost - self._tokens_at(now)) / self._rate"),
]
