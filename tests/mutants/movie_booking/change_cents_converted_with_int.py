"""set_price converts cents with int(), so True and 9.5 are taken as prices."""

CAUGHT_BY = ["test_change_set_price_rejects_bad_cents_and_unknown_categories"]

REPLACE = [
    ('_check_int("cents", cents, 0)',
     'cents = _check_int("cents", int(cents), 0)'),
]
