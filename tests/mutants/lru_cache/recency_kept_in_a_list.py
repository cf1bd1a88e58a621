"""The recency order is a plain list: every get, update and delete pays list.remove, O(n)."""

CAUGHT_BY = ["test_operations_cost_the_same_with_100k_entries_as_with_1k"]

REPLACE = [
    ("        self._order: OrderedDict[Hashable, None] = OrderedDict()\n"
     "\n"
     "    def add(self, key: Hashable) -> None:\n"
     "        self._order[key] = None\n"
     "\n"
     "    def touch(self, key: Hashable) -> None:\n"
     "        self._order.move_to_end(key)\n"
     "\n"
     "    def remove(self, key: Hashable) -> None:\n"
     "        del self._order[key]\n",
     "        self._order: list[Hashable] = []\n"
     "\n"
     "    def add(self, key: Hashable) -> None:\n"
     "        self._order.append(key)\n"
     "\n"
     "    def touch(self, key: Hashable) -> None:\n"
     "        self._order.remove(key)\n"
     "        self._order.append(key)\n"
     "\n"
     "    def remove(self, key: Hashable) -> None:\n"
     "        self._order.remove(key)\n"),
]
