"""'*' is treated like '#', so it matches several words (and none) instead of exactly one."""

CAUGHT_BY = ["test_wildcard_patterns_follow_amqp_rules"]

REPLACE = [
    ('if part == "#":', 'if part in ("#", "*"):'),
]
