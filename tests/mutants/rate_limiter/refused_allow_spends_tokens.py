"""allow() takes the tokens before checking there are enough, so a refused request still drains the bucket."""

REPLACE = [
    ("            if self._tokens < cost:\n                return False\n"
     "            self._tokens -= cost\n            return True\n",
     "            self._tokens -= cost\n            if self._tokens < 0:\n"
     "                self._tokens = 0.0\n                return False\n            return True\n"),
]
