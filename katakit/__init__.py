"""The practice timer behind ``timer.py``: time-boxed sessions, grading, history and reports.

Parts, each a module: ``kit`` (the problems), ``clock`` (time and the live display), ``session``
(state on disk), ``phases`` (the design/code/tests machine), ``grading`` (pytest runs), ``history``
(one JSON line per session), ``report`` (what is printed) and ``commands`` (the command line).
Standard library only: the timer runs before anything is installed.
"""
