"""leave() looks the ticket up without removing it: a used ticket frees its spot a second time."""

CAUGHT_BY = ["test_an_unknown_or_used_ticket_raises_ticket_not_found_error_naming_it"]

REPLACE = [
    ("            del self._stays[ticket_id]\n", ""),
    ("            del self._inside[ticket.plate]", "            self._inside.pop(ticket.plate, None)"),
]
