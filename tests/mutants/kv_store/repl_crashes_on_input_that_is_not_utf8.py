"""main() lets the UnicodeDecodeError of a non-UTF-8 stdin escape as a traceback."""

CAUGHT_BY = ["test_repl_exits_1_with_one_line_when_stdin_is_not_utf8"]

REPLACE = [
    ("    except UnicodeDecodeError as exc:\n"
     "        _error(f\"the input is not UTF-8 text: {exc}\")\n"
     "        return _EXIT_IO\n", ""),
]
