"""A failed dependency fails only the tasks waiting on it directly: the tasks waiting on those
stay pending forever."""

CAUGHT_BY = ["test_a_failed_dependency_fails_the_waiting_tasks_in_turn"]

REPLACE = [
    ("""                    over.append(child.task)
""",
     ""),
]
