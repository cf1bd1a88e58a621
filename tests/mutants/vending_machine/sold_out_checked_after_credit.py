"""select() checks the credit before the count: a customer with no credit at an empty slot hears
"insert more" instead of "sold out"."""

CAUGHT_BY = ["test_sold_out_is_checked_before_the_credit_and_names_the_slot"]

REPLACE = [
    ("""            if count == 0:
                raise SoldOutError(f"slot {slot!r} ({name}) is sold out")
            if self._credit < price:
                raise InsufficientCreditError(f"{name} costs {price} cents, the credit is "
                                              f"{self._credit}")
""",
     """            if self._credit < price:
                raise InsufficientCreditError(f"{name} costs {price} cents, the credit is "
                                              f"{self._credit}")
            if count == 0:
                raise SoldOutError(f"slot {slot!r} ({name}) is sold out")
"""),
]
