"""simplify breaks ties by user id instead of by the order users were added."""

CAUGHT_BY = ["test_simplify_breaks_ties_by_the_order_users_were_added"]

REPLACE = [
    ("debtors = [(net, rank[user], user)", "debtors = [(net, user, user)"),
    ("creditors = [(-net, rank[user], user)", "creditors = [(-net, user, user)"),
]
