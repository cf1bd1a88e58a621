"""A currency in lowercase ("usd") is accepted as a new currency instead of rejected."""

CAUGHT_BY = ["test_change_a_currency_is_three_uppercase_letters"]

REPLACE = [
    ('_CURRENCY = re.compile(r"[A-Z]{3}")', '_CURRENCY = re.compile(r"[A-Za-z]{3}")'),
]
