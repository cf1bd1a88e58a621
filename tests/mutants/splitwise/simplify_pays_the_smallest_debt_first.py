"""simplify's debtor heap is keyed the wrong way round: the smallest debtor pays first."""

CAUGHT_BY = ["test_simplify_has_the_largest_debtor_pay_the_largest_creditor"]

REPLACE = [
    ("debtors = [(net, rank[user], user)", "debtors = [(-net, rank[user], user)"),
    ("        debt, debtor_rank, debtor = heapq.heappop(debtors)\n",
     "        debt, debtor_rank, debtor = heapq.heappop(debtors)\n"
     "        debt = -debt\n"),
    ("heapq.heappush(debtors, (debt + paid, debtor_rank, debtor))",
     "heapq.heappush(debtors, (-(debt + paid), debtor_rank, debtor))"),
]
