"""The interviewer's follow-up questions from a model design, asked one at a time: the question,
Enter shows the model answer, then the candidate rates their own answer from 1 to 5."""

from __future__ import annotations

from collections.abc import Callable

from .design import FollowUp

RATINGS = range(1, 6)


def ask(follow_ups: list[FollowUp], read: Callable[[str], str], say: Callable[[str], None],
        bold: Callable[[str], str] = str) -> list[int | None]:
    """Ask each question on a terminal; a rating per question asked, None where the candidate
    skipped it (an empty answer). Ctrl-D (EOFError) or Ctrl-C ends the round early: the ratings
    so far are kept."""
    ratings: list[int | None] = []
    for number, follow_up in enumerate(follow_ups, 1):
        say("")
        say(bold(f"Follow-up {number} of {len(follow_ups)}: {follow_up.question}"))
        try:
            read("(answer it aloud or on paper; Enter shows the model answer) ")
        except (EOFError, KeyboardInterrupt):
            say("")
            break
        say(bold("The model answer:"))
        say(follow_up.answer)
        try:
            ratings.append(_rating(read, say))
        except (EOFError, KeyboardInterrupt):
            say("")
            ratings.append(None)
            break
    return ratings


def _rating(read: Callable[[str], str], say: Callable[[str], None]) -> int | None:
    while True:
        text = read("rate yourself 1-5 (Enter skips): ").strip()
        if not text:
            return None
        if text.isdigit() and int(text) in RATINGS:
            return int(text)
        say(f"{text!r} is not a rating: type a number from 1 to 5, or just Enter to skip")


def all_lines(follow_ups: list[FollowUp]) -> list[str]:
    """Every question with its model answer, for output that is not a terminal."""
    lines = []
    for number, follow_up in enumerate(follow_ups, 1):
        lines += [f"Follow-up {number} of {len(follow_ups)}: {follow_up.question}",
                  *follow_up.answer.splitlines(), ""]
    return lines
