"""The cost of a change request: the code at the reveal against the code at the deadline."""

from __future__ import annotations

import pytest

from katakit.change import change_cost

BEFORE = '''"""A cache."""


class Cache:
    def __init__(self, capacity):
        """An empty cache."""
        self.capacity = capacity
        self.items = {}

    def put(self, key, value):
        self.items[key] = value
        if len(self.items) > self.capacity:
            self._evict()

    def _evict(self):
        self.items.pop(next(iter(self.items)))


def helper():
    return 1
'''


@pytest.mark.core
def test_counts_lines_added_and_removed_and_the_existing_functions_modified():
    after = BEFORE.replace("        self.items.pop(next(iter(self.items)))",
                           "        victim = self.policy.victim(self.items)\n"
                           "        self.items.pop(victim)") \
                  .replace("def __init__(self, capacity):",
                           "def __init__(self, capacity, policy=None):")
    cost = change_cost(BEFORE, after)
    assert (cost.added, cost.removed) == (3, 2), cost
    assert cost.functions_before == 4 and cost.modified == ["Cache.__init__", "Cache._evict"], cost
    assert cost.line() == ("+3 -2 lines; 2 of 4 existing functions modified "
                           "(Cache.__init__, Cache._evict)"), cost.line()


@pytest.mark.edge
def test_new_functions_docstrings_and_formatting_do_not_count_as_modifications():
    after = BEFORE.replace('"""An empty cache."""', '"""An empty cache, sized."""') \
                  .replace("def helper():\n    return 1", "def helper():\n    return (1)") \
        + "\n\ndef added():\n    return 2\n"
    cost = change_cost(BEFORE, after)
    assert cost.modified == [] and cost.functions_before == 4, cost
    assert cost.added > 0, cost


@pytest.mark.errors
def test_code_that_does_not_parse_still_gets_its_line_counts():
    cost = change_cost(BEFORE, BEFORE + "def broken(:\n")
    assert cost.added == 1 and cost.error == "SyntaxError", cost
    assert cost.line() == "+1 -0 lines (functions not compared: SyntaxError)", cost.line()
