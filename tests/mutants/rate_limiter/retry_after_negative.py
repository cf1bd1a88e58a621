"""retry_after() returns a negative wait when the bucket already holds more tokens than the cost."""

REPLACE = [
    ("return max(0.0, (cost - self._tokens) / self._rate)",
     "return (cost - self._tokens) / self._rate"),
]
