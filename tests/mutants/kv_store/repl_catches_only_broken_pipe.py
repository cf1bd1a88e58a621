"""main() catches BrokenPipeError but not the other OSErrors of a print: a full disk under stdout
ends the REPL with a traceback."""

CAUGHT_BY = ["test_repl_exits_1_with_one_line_when_stdout_is_a_full_disk"]

REPLACE = [
    ("    except OSError as exc:", "    except BrokenPipeError as exc:"),
]
