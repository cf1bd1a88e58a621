"""save renames its temporary file over the path itself: a symlinked store becomes a regular file
and the file it pointed to never changes again."""

CAUGHT_BY = ["test_save_writes_through_a_symlink_and_keeps_the_permission_bits"]

REPLACE = [
    ("        target = os.path.realpath(_check_path(path))\n",
     "        target = _check_path(path)\n"),
]
