"""Idempotence searches every link for the URL: each shorten is O(n) instead of a dict lookup."""

CAUGHT_BY = ["test_shorten_and_resolve_stay_constant_time_from_1k_to_10k_links"]

REPLACE = [
    ("                existing = self._generated.get((owner, url))\n",
     "                existing = next((code for code, link in reversed(self._links.items())\n"
     "                                 if (link.owner, link.url) == (owner, url)\n"
     "                                 and code not in self._aliases), None)\n"),
]
