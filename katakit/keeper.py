"""The deadline keeper: a small detached process per session that takes each snapshot at its
deadline whether or not a clock is attached, and grades the session at its end when no clock is
there to.

Standard library only, no cron and no service manager: a child process in a session of its own,
so closing the terminal or Ctrl-C in it never reaches it. It exits when the session ends or is
aborted; a reboot ends it too, and the catch-up that follows marks a file changed after its
deadline as unverified.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

from . import change_request, invocation
from .clock import clock_time
from .context import Context
from .errors import StateError
from .lifecycle import claim_grading, finalize, refresh, say_events
from .session import Role, RoleName, Session, Status, inside

LOG = "keeper.log"
POLL = 1.0  # seconds between the keeper's looks at the session between deadlines


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


def keep(ctx: Context, session_id: str) -> int:
    """Take each snapshot of `session_id` at its deadline, whether or not a clock is attached,
    until the session ends or is aborted; grade it at the end when no clock is there to (or
    when the clock that was is detached before it has graded). The loop of the keeper's own
    process (``python -m katakit keep SESSION``), one per session.
    """
    role = Role(ctx.practice, RoleName.KEEPER)
    try:
        if not role.take(session_id):
            return 0  # another keeper looks after it
        ctx.say(f"{clock_time(ctx.now())} keeping the deadlines of {session_id}")
        while True:
            pause = _keep_once(ctx, session_id)
            if pause is None:
                return 0
            ctx.wait(pause)
    except KeyboardInterrupt:
        return 0
    finally:
        role.release()


def _keep_once(ctx: Context, session_id: str) -> float | None:
    """One look at the session: seconds to sleep before the next, None once the keeper is done."""
    with ctx.practice.locked():
        session = _still_kept(ctx, session_id)
        if session is None:
            return None
        try:
            say_events(ctx, session, refresh(ctx, session))
        except (StateError, OSError) as exc:
            ctx.warn(f"{exc}; trying again in {POLL:g} s")
            return POLL
        if session.current is not None:
            wake = min(session.current.deadline, change_request.due(session) or math.inf)
            return max(0.0, min(wake - ctx.now(), POLL))
        # The attached clock grades, unless it is detached before; so does any other process
        # that claimed the grading first, unless it dies before.
        clock = ctx.practice.holder(RoleName.CLOCK, session.id)
        grader = claim_grading(ctx, session) if clock is None else None
        if grader is None:
            return POLL
    finalize(ctx, session, grader)
    return None


def _still_kept(ctx: Context, session_id: str) -> Session | None:
    """The active session, while it is `session_id` and running; None (said why) after."""
    try:
        session = ctx.practice.active()
    except StateError as exc:
        ctx.warn(str(exc))
        return None
    if session is None or session.id != session_id or session.status is not Status.ACTIVE:
        ctx.say(f"{clock_time(ctx.now())} {session_id} is over: the keeper stops")
        return None
    return session
