"""An indexed $gte cuts the sorted keys after the bound, so a value equal to it is missed."""

CAUGHT_BY = ["test_range_operators_compare_numbers_with_every_bound"]

REPLACE = [
    ('"$gte": _Operator(operator.ge, bisect.bisect_left, True)',
     '"$gte": _Operator(operator.ge, bisect.bisect_right, True)'),
]
