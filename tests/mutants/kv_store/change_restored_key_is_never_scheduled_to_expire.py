"""Only set() schedules an expiry, so a key rollback restores with a passed deadline lives on."""

CAUGHT_BY = ["test_change_a_key_restored_after_its_deadline_is_absent"]

REPLACE = [
    ("        if deadline is not None:\n"
     "            heapq.heappush(self._deadlines, (deadline, key))\n", ""),
    ("            self._write(key, (value, None if seconds is None else now + seconds))",
     "            deadline = None if seconds is None else now + seconds\n"
     "            self._write(key, (value, deadline))\n"
     "            if deadline is not None:\n"
     "                heapq.heappush(self._deadlines, (deadline, key))"),
]
