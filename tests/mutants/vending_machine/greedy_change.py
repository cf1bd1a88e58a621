"""Change is paid largest coin first: with 25s and 10s, change of 30 takes a 25 and gets stuck
(or pays more coins than needed with values like 1, 3 and 4)."""

CAUGHT_BY = ["test_change_is_the_fewest_coins_not_largest_coin_first"]

REPLACE = [
    ("""    tables = [[0] + [amount + 1] * amount]
    for value in values:
        tables.append(_with_value(tables[-1], value, available[value]))
    if tables[-1][amount] > amount:
        return None
    change: dict[int, int] = {}
    for i in range(len(values), 0, -1):  # largest value first: take as many as an optimum allows
        value, fewer = values[i - 1], tables[i - 1]
        coins = tables[i][amount]
        count = min(available[value], amount // value)
        while fewer[amount - count * value] + count != coins:
            count -= 1
        if count:
            change[value] = count
        amount -= count * value
    return change""",
     """    change: dict[int, int] = {}
    for value in reversed(values):
        count = min(available[value], amount // value)
        if count:
            change[value] = count
        amount -= count * value
    return change if amount == 0 else None"""),
]
