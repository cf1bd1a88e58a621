"""Change-making treats every coin as unlimited: it pays change with coins the machine does not
have."""

CAUGHT_BY = ["test_change_uses_only_the_coins_the_machine_has"]

REPLACE = [
    ("tables.append(_with_value(tables[-1], value, available[value]))",
     "tables.append(_with_value(tables[-1], value, amount // value))"),
    ("count = min(available[value], amount // value)", "count = amount // value"),
]
