"""The URL -> generated code index ignores the owner: bob shortening ann's URL gets ann's code."""

CAUGHT_BY = ["test_change_idempotence_is_per_owner"]

REPLACE = [
    ("                existing = self._generated.get((owner, url))\n",
     "                existing = self._generated.get((None, url))\n"),
    ("            self._generated[(link.owner, link.url)] = link.code\n",
     "            self._generated[(None, link.url)] = link.code\n"),
    ("        if self._generated.get((link.owner, link.url)) == code:\n"
     "            del self._generated[(link.owner, link.url)]\n",
     "        if self._generated.get((None, link.url)) == code:\n"
     "            del self._generated[(None, link.url)]\n"),
]
