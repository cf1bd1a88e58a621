"""Change-making tries every count of a coin at every amount: O(change^2 / value) per value, so
ten times the change costs a hundred times as much."""

CAUGHT_BY = ["test_change_making_grows_linearly_with_the_change"]

REPLACE = [
    ("""    result = [unreachable] * len(fewest)
    for start in range(value):
        window: deque[tuple[int, int]] = deque()
        for j, amount in enumerate(range(start, len(fewest), value)):
            score = fewest[amount] - j
            while window and window[-1][1] >= score:
                window.pop()
            window.append((j, score))
            if window[0][0] < j - limit:
                window.popleft()
            result[amount] = min(window[0][1] + j, unreachable)
    return result""",
     """    result = fewest[:]
    for amount in range(value, len(fewest)):
        for count in range(1, min(limit, amount // value) + 1):
            result[amount] = min(result[amount], fewest[amount - count * value] + count,
                                 unreachable)
    return result"""),
]
