"""get() returns the value but leaves the key where it was: a key just read is evicted first."""

REPLACE = [
    ("                return default\n"
     "            self._unlink(node)\n"
     "            self._link_last(node)\n",
     "                return default\n"),
]
