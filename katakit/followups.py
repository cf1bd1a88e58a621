"""The interviewer's follow-up questions from a model design, asked one at a time: the question,
Enter shows the model answer, then the candidate rates their own answer from 1 to 5; the ratings
go into the history."""

from __future__ import annotations

from collections.abc import Callable

from . import history, invocation
from .clock import local_time
from .context import Context
from .design import FollowUp
from .feedback import followups_round, round_summary
from .kit import Problem

RATINGS = range(1, 6)


def interview(ctx: Context, problem: Problem, follow_ups: list[FollowUp]) -> None:
    """A round of `problem`'s follow-ups on a terminal (``ctx.read`` reads the answers), its
    ratings recorded in the history when any was given."""
    ctx.say(ctx.style(f"{problem.name}: {len(follow_ups)} follow-up questions, as an "
                      f"interviewer asks them once the code works.", "bold"))
    ctx.say("Answer each aloud or on paper, then rate your answer against the model's, 1 to 5.")
    ctx.say("Ctrl-D or Ctrl-C ends the round; the ratings given are kept.")
    ratings = ask(follow_ups, ctx.read, ctx.say, lambda text: ctx.style(text, "bold"))
    ctx.say()
    ctx.say(f"{problem.name}: {round_summary(ratings, len(follow_ups))}")
    if all(rating is None for rating in ratings):
        ctx.say("nothing rated, so nothing recorded")
        return
    latest = next((r.session for r in reversed(ctx.records()) if r.kata == problem.name), None)
    with ctx.practice.locked():
        history.append(ctx.practice.own(ctx.practice.history), followups_round(
            problem, local_time(ctx.now()), latest, follow_ups, ratings))
    ctx.say(f"ratings saved in {ctx.practice.shown(ctx.practice.history)}; "
            f"{invocation.command('report')} sums them up")


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
