"""simplify finds the largest debtor by scanning the list each round: O(n^2), not O(n log n)."""

CAUGHT_BY = ["test_simplify_grows_as_n_log_n"]

REPLACE = [
    ("debt, debtor_rank, debtor = heapq.heappop(debtors)",
     "debt, debtor_rank, debtor = debtors.pop(debtors.index(min(debtors)))"),
    ("heapq.heappush(debtors, (debt + paid, debtor_rank, debtor))",
     "debtors.append((debt + paid, debtor_rank, debtor))"),
]
