"""Rendering copies the pieces rendered so far at every new piece: quadratic in the length."""

CAUGHT_BY = ["test_rendering_a_ten_times_longer_template_costs_ten_renders_not_a_hundred"]

REPLACE = [
    ("            parts.append(str(value))", "            parts = [*parts, str(value)]"),
]
