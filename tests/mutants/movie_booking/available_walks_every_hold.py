"""available() gathers the taken seats from every hold and booking of the service: O(holds) per
call."""

CAUGHT_BY = ["test_available_cost_does_not_grow_with_other_shows"]

REPLACE = [
    ('                    if (seat := f"{letter}{number}") not in show.taken]',
     '                    if (seat := f"{letter}{number}") not in {\n'
     "                        s for owner in [*self._holds.values(), *self._bookings.values()]\n"
     "                        if owner.show_id == show_id for s in owner.seats}]"),
]
