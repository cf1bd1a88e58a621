"""Plates are stripped but not upper-cased, so "ab 12" and "AB 12" are two vehicles."""

CAUGHT_BY = ["test_locate_finds_the_ticket_by_normalised_plate_until_the_vehicle_leaves",
             "test_a_plate_inside_raises_already_parked_error_naming_it"]

REPLACE = [
    ("    normal = plate.strip().upper()", "    normal = plate.strip()"),
]
