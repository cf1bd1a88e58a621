"""Booking ids are numbered like hold ids, so confirm(a booking id) confirms a hold."""

CAUGHT_BY = ["test_a_hold_id_is_never_a_booking_id"]

REPLACE = [
    ('booking_id = f"B{next(self._booking_ids)}"',
     'booking_id = f"H{next(self._booking_ids)}"'),
]
