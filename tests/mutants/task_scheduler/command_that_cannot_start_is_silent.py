"""Only OSError counts as a command that cannot start: a NUL in an argument raises ValueError,
which fails the task silently, with no line printed."""

CAUGHT_BY = ["test_cli_main_reports_a_command_that_cannot_start_as_exit_127"]

REPLACE = [
    ("except (OSError, ValueError) as exc:  # not found, not executable, a NUL in an argument",
     "except OSError as exc:  # not found or not executable"),
]
