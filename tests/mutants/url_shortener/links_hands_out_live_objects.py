"""links() returns the stored Link objects themselves, so a caller can change the shortener."""

REPLACE = [
    ("            return [dataclasses.replace(link) for link in self._links.values()]",
     "            return list(self._links.values())"),
]
