"""Handlers are called without isolation, so one that raises stops delivery to the rest."""

CAUGHT_BY = ["test_handler_error_goes_to_on_error_and_the_other_handlers_still_run"]

REPLACE = [
    ("                try:\n"
     "                    sub.handler(message)\n"
     "                except self._isolated as exc:\n"
     "                    self._report(sub.id, message, exc)\n",
     "                sub.handler(message)\n"),
]
