"""An unreadable store loads as an empty shortener, so the next save overwrites every link."""

CAUGHT_BY = ["test_a_corrupt_store_raises_store_error_and_is_left_untouched"]

REPLACE = [
    ("        except FileNotFoundError:\n",
     "        except (FileNotFoundError, ValueError):\n"),
]
