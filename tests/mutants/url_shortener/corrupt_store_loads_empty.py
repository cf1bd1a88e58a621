"""An unreadable store loads as an empty shortener, so the next save overwrites every link."""

REPLACE = [
    ("        except FileNotFoundError:\n",
     "        except (FileNotFoundError, ValueError):\n"),
]
