"""The quota counts every link of the owner, so expired links keep holding places."""

CAUGHT_BY = ["test_change_expired_and_deleted_links_free_quota_places"]

REPLACE = [
    ("        live = sum(_is_live(self._links[code], now) for code in self._owned.get(owner, {}))"
     "\n",
     "        live = len(self._owned.get(owner, {}))\n"),
]
