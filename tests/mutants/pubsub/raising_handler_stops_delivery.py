"""Handlers are called without isolation, so one that raises stops delivery to the rest."""

REPLACE = [
    ("        try:\n"
     "            sub.handler(message)\n"
     "        except Exception as exc:\n"
     "            self._report(sub.id, message, exc)\n",
     "        sub.handler(message)\n"),
]
