"""A jobs file nested deeper than the JSON parser's stack raises RecursionError out of main
instead of a one-line error with exit 2."""

CAUGHT_BY = ["test_cli_main_rejects_a_bad_file_with_exit_2_and_runs_nothing"]

REPLACE = [
    ("except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, or nested past the stack",
     "except ValueError as exc:"),
]
