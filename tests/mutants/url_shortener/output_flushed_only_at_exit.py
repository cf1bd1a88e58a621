"""main prints without flushing: a closed pipe (`| head`) fails only in the interpreter's flush at
exit, which prints "Exception ignored ... BrokenPipeError" and exits 120."""

CAUGHT_BY = ["test_cli_output_into_a_closed_pipe_exits_1_with_one_line"]

REPLACE = [
    ("        sys.stdout.flush()  # a closed pipe or a full disk shows here rather than at exit\n",
     ""),
]
