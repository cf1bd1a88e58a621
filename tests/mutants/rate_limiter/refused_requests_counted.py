"""Refused requests are recorded too, so a client that keeps retrying stays locked out for good."""

REPLACE = [
    ("            elif len(log) >= self._limit:\n                return False\n"
     "            log.append(now)\n",
     "            log.append(now)\n"
     "            if len(log) > self._limit:\n                return False\n"),
]
