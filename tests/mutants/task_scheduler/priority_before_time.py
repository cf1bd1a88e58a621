"""The heap is ordered by priority before due time, so a future urgent task blocks due ones."""

CAUGHT_BY = ["test_a_future_high_priority_task_never_blocks_a_due_low_priority_one"]

REPLACE = [
    ("entry = (task.due, -task.priority, task.id)", "entry = (-task.priority, task.due, task.id)"),
]
