"""main() iterates sys.stdin without checking it: a closed stdin (None) ends it with TypeError."""

CAUGHT_BY = ["test_repl_exits_1_with_one_line_when_stdin_is_closed"]

REPLACE = [
    ("    if sys.stdin is None or sys.stdin.closed:\n"
     "        _error(\"standard input is closed: nothing to read commands from\")\n"
     "        return _EXIT_IO\n", ""),
]
