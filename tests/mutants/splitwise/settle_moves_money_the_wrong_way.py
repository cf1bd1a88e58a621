"""settle records the payer as owing the payee more, instead of less."""

CAUGHT_BY = ["test_settle_moves_balances_and_reduces_what_is_owed"]

REPLACE = [
    ("[(to_user, from_user, amount)]", "[(from_user, to_user, amount)]"),
]
