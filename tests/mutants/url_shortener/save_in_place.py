"""save rewrites the target in place: after a crash, or to a reader mid-save, it is half a file."""

CAUGHT_BY = ["test_a_reader_holding_the_store_during_a_save_sees_the_whole_old_file"]

REPLACE = [
    ("            _write_atomically(target, text)\n",
     "            with open(target, \"w\", encoding=\"utf-8\") as file:\n"
     "                file.write(text)\n"),
]
