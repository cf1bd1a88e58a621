"""Each key's class is looked up once and remembered, so a key that moves to another class keeps
the old class's limit."""

CAUGHT_BY = ["test_a_key_that_changes_class_keeps_its_requests"]

REPLACE = [
    ("        return _NO_CLASS if self._key_class is None else self._key_class(key)\n",
     "        if self._key_class is None:\n"
     "            return _NO_CLASS\n"
     "        return self._seen.setdefault(key, self._key_class(key))\n"),
    ("        self._class_limits: dict[Hashable, int] = {}\n",
     "        self._class_limits: dict[Hashable, int] = {}\n        self._seen: dict = {}\n"),
]
