"""'*' is treated like '#', so it matches several words (and none) instead of exactly one."""

REPLACE = [
    ('if part == "#":', 'if part in ("#", "*"):'),
]
