"""main() does not catch KeyboardInterrupt: Ctrl-C ends the REPL with a traceback."""

CAUGHT_BY = ["test_repl_exits_130_with_one_line_on_ctrl_c"]

REPLACE = [
    ("    except KeyboardInterrupt:\n"
     "        _error(\"interrupted\")\n"
     "        return _EXIT_INTERRUPTED\n", ""),
]
