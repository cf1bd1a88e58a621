"""insert() takes True for a coin: bool is an int subclass, and True == 1 is a denomination."""

CAUGHT_BY = ["test_insert_refuses_a_coin_that_is_not_an_int"]

REPLACE = [
    ("""        if isinstance(coin, bool) or not isinstance(coin, int):
            raise TypeError(f"a coin must be an int""",
     """        if not isinstance(coin, int):
            raise TypeError(f"a coin must be an int"""),
]
