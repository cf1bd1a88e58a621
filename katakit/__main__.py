"""``python -m katakit COMMAND``: the timer's command line, the way the deadline keeper is started
(a detached process in the kit's folder, which need not hold timer.py)."""

import sys

from .commands import main

sys.exit(main())
