"""PercentSplit computes shares in float: a huge amount overflows (and large ones lose cents)."""

CAUGHT_BY = ["test_huge_amounts_are_exact_never_float"]

REPLACE = [
    ("shares = {user: amount * percent // 100 for user, percent in exact.items()}",
     "shares = {user: int(amount * float(percent) / 100) for user, percent in exact.items()}"),
]
