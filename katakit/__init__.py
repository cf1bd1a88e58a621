"""The practice timer behind ``timer.py``: time-boxed sessions, grading, history and reports.
Standard library only: the timer runs before anything is installed. Each part is a module, and
each module owns one thing:

The kit and a session
    ``kit``            the problems (``katas/*.py``, their cards and files) and the categories
    ``session``        a session's state: its phases, snapshots, late edits; session.json, the
                       active session, the practice folder's lock and its processes' roles
    ``fields``         reading back the JSON the timer wrote, one kind of value at a time
    ``phases``         the design/code/tests machine: deadlines, snapshots, file permissions
    ``change_request`` the card's sealed change request: its reveal, its cost, what it says
    ``change``         what a change cost: lines and the functions it modified
    ``templates``      the files a new session starts with
    ``lifecycle``      every change to a session's state, under the lock: open, catch up, end a
                       phase, hint, abort, and the grading at its end
    ``attach``         the attached clock: the live line, the bells, Enter twice
    ``keeper``         the deadline keeper: a detached process per session

Grading
    ``grading``        pytest in bounded child processes: the strict suite, the user's tests
    ``results``        the JSON-lines report of a graded run (written by the kit's plugin)
    ``own_conftest``   the conftest.py under which the user's tests run
    ``quality``        the code-quality review (ruff), beside each grading
    ``scoring``        grading a session at its end into a ``verdict`` (``verdict``: the type)
    ``checking``       ``check`` and ``watch``: grading now

Looking back
    ``history``        the history file's records (one JSON line per session)
    ``report``         what the timer prints of a session: status, events, grades, scorecard
    ``review``         the report across sessions, the skill-gap sheet, a mock's summary
    ``compare``        a snapshot beside the reference: diff, missed tests, sizes
    ``comparing``      ``compare``: which session, the sealed model design, the missed tests
    ``design``         designs in markdown and the keyword check of their key decisions
    ``feedback``       the design's feedback: the check, the two designs side by side
    ``followups``      the interviewer's follow-up questions, asked and rated
    ``plan``           the week plan, marked from the history

Running
    ``commands``       the command line: the parser and one thin handler per command
    ``__main__``       ``python -m katakit``: how the deadline keeper's process starts
    ``context``        what a command works with (``Setup``: clock, terminal, environment)
    ``invocation``     how the timer was run, so that the commands it suggests can be pasted
    ``clock``          time: the clock, waiting for a key, how durations read
    ``terminal``       output: colour, tables, and the clock's live line (``Screen``)
    ``errors``         the failures a user can act on, each with its exit code
"""
