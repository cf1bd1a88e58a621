#!/usr/bin/env python3
"""Time-boxed practice sessions for the kata kit: ``python timer.py --help``.

Standard library only, so it runs before anything is installed; the parts live in ``katakit/``.
"""

import sys

if sys.version_info < (3, 11):
    sys.exit("timer.py needs Python 3.11 or newer")

from katakit.commands import main  # noqa: E402  (after the version check, on purpose)

if __name__ == "__main__":
    sys.exit(main(prog=getattr(sys, "orig_argv", None)))
