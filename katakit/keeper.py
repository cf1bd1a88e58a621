"""Starting the deadline keeper: a small detached process per session that takes each snapshot at
its deadline whether or not a clock is attached (its loop is ``lifecycle.keep``).

Standard library only, no cron and no service manager: a child process in a session of its own,
so closing the terminal or Ctrl-C in it never reaches it. It exits when the session ends or is
aborted; a reboot ends it too, and the catch-up that follows marks a file changed after its
deadline as unverified.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from . import invocation
from .context import Context
from .session import RoleName, Session, inside

LOG = "keeper.log"


def launch(ctx: Context, session: Session) -> None:
    """Start the session's keeper in the background, unless one already looks after it."""
    if ctx.practice.holder(RoleName.KEEPER, session.id) is not None:
        return
    folder = ctx.folder(session)
    command = [sys.executable, "-m", "katakit", "keep", session.id, "--dir",
               str(ctx.practice.folder.resolve())]
    env = {**os.environ, "KATAKIT_PROG": json.dumps(invocation.as_argv())}
    with open(inside(folder / LOG, folder), "a", encoding="utf-8") as log:
        subprocess.Popen(command, cwd=ctx.kit.root, stdin=subprocess.DEVNULL, stdout=log,
                         stderr=log, env=env, close_fds=True, **_DETACHED)


if os.name == "posix":
    _DETACHED: dict = {"start_new_session": True}
else:  # pragma: no cover - Windows
    _DETACHED = {"creationflags": getattr(subprocess, "DETACHED_PROCESS", 0)
                 | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
