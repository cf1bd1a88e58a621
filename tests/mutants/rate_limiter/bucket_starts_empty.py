"""A new bucket starts with no tokens, so the first burst is refused."""

CAUGHT_BY = ["test_new_bucket_is_full_and_allows_a_burst_of_its_capacity"]

REPLACE = [
    ("self._tokens = self._capacity  # a new bucket is full", "self._tokens = 0.0  # a new bucket is full"),
]
