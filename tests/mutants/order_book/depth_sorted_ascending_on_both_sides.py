"""depth() sorts every side's prices ascending, so the bids come worst first."""

CAUGHT_BY = ["test_depth_returns_at_most_levels_pairs_best_first"]

REPLACE = [
    ("prices = itertools.islice(book.prices(), min(levels, len(book.levels)))",
     "prices = sorted(book.levels)[:levels]"),
]
