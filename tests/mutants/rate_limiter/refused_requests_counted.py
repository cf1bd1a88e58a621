"""Refused requests are recorded too, so a client that keeps retrying stays locked out for good."""

CAUGHT_BY = ["test_refused_requests_are_not_counted"]

REPLACE = [
    ("            elif len(log) >= self._limit_of(name):\n                return False\n"
     "            log.append(now)\n",
     "            log.append(now)\n"
     "            if len(log) > self._limit_of(name):\n                return False\n"),
]
