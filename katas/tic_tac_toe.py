"""Tic-tac-toe, n x n, k in a row

Size: short

A games site wants tic-tac-toe on boards of any size: classic 3 x 3, gomoku-style 15 x 15 with five
in a row, and huge boards for bots. Build the game engine: it keeps the board, whose turn it is, and
decides after each move whether someone has won.

Core (the 40-minute part of a mock's second slot):
- Game(n=3, k=None): an n x n board (n an int >= 1); k in a row wins (an int, 1 <= k <= n; None
  means k = n). Players "X" and "O" alternate, X first.
- move(row, col) plays the current player's mark at (row, col), 0-based, and returns "X" or "O" if
  that move wins, "draw" if it fills the board without a winner, else None. A win is k or more
  consecutive marks of one player horizontally, vertically or diagonally in either direction,
  anywhere on the board. A move that both wins and fills the board is a win.
- turn (property): "X" or "O", whoever plays next; None once the game is over.
  winner (property): "X", "O", "draw", or None while the game goes on.
- board() returns n strings of n characters, "X", "O" or "." for a free cell, row 0 first; moves()
  returns the (row, col) tuples played so far, in play order. Both return a new list every call.
- Thread-safe: moves may come from several threads; each is played whole, in some order.

Extensions (the stretch part, tests marked extension):
- undo() takes back the last move and returns its (row, col); the player who made it plays again.
  A finished game becomes ongoing again (a game only ends on its last move). GameError if there is
  no move to undo.
- Game.replay(n, k, moves) (a classmethod) builds a game by playing `moves`, a list of (row, col)
  pairs, in order. The first move that cannot be played raises what move() would raise, with its
  0-based index in the message ("move 3: ..."); a move that is not a pair of two values raises
  TypeError naming its index.

Errors:
- GameError is the base of the game's own errors: InvalidMoveError (a cell off the board, negative
  coordinates included, or already taken) and GameOverError (any move once the game is over).
- n, k, row and col that are not ints raise TypeError (bool is not an int here); n < 1 or k outside
  1..n raises ValueError.
- move() checks in this order: the types of row and col, then whether the game is over, then the
  cell. Every message names the offending value; a rejected call changes nothing.

Example:
    >>> game = Game()
    >>> game.move(0, 1), game.move(0, 0), game.move(1, 1), game.move(2, 2)
    (None, None, None, None)
    >>> game.turn
    'X'
    >>> game.move(2, 1)
    'X'
    >>> game.board()
    ['OX.', '.X.', '.XO']
    >>> game.winner, game.turn, game.moves()[-1]
    ('X', None, (2, 1))

Complexity:
- A move is O(k): only the four lines through the new mark are looked at, and a draw is known by
  counting moves. On a 2,000 x 2,000 board with k = 5 a move costs about the same as on 10 x 10.
  board() may take O(n^2).

Hints:
1. Store only what was played: a dict from (row, col) to mark, not an n x n grid you scan.
2. After a move, walk away from the new mark in both directions of each of the four lines
   (row, column, two diagonals), counting equal marks; stop after k - 1 steps each way.
3. The winner can only be the player who just moved, and only on their last move: that is also
   why undo can simply forget the winner.

Change request:
More than two players. Game(n=3, k=None, *, players=("X", "O")) takes the marks of the players in
turn order: a sequence of at least two distinct one-character strings, none of them "." or
whitespace. Turns rotate through them in that order; move() returns the winning player's mark,
turn and winner report marks from `players`, board() shows them, and undo() gives the turn back to
the player who made the undone move. Game.replay(n, k, moves, *, players=("X", "O")) takes the same
option. A `players` that is not a sequence of str (a plain str included) raises TypeError; fewer
than two marks, a repeated mark, or a mark that is not one visible character other than "." raises
ValueError naming it.
"""

from __future__ import annotations

from collections.abc import Iterable


class GameError(Exception):
    """Base class of the game's own errors."""


class InvalidMoveError(GameError):
    """A move off the board or onto an occupied cell."""


class GameOverError(GameError):
    """A move after the game has been won or drawn."""


class Game:
    """One game of n x n tic-tac-toe where k in a row wins."""

    def __init__(self, n: int = 3, k: int | None = None) -> None:
        """An empty n x n board; k in a row wins (None: k = n). TypeError / ValueError."""
        raise NotImplementedError

    @property
    def turn(self) -> str | None:
        """"X" or "O", whoever plays next; None once the game is over."""
        raise NotImplementedError

    @property
    def winner(self) -> str | None:
        """"X", "O", "draw", or None while the game goes on."""
        raise NotImplementedError

    def move(self, row: int, col: int) -> str | None:
        """Play the current mark at (row, col), 0-based: the mark if it wins, "draw" if it fills
        the board without a winner, else None. TypeError, GameOverError, InvalidMoveError."""
        raise NotImplementedError

    def board(self) -> list[str]:
        """n strings of n characters: "X", "O" or "." (a new list)."""
        raise NotImplementedError

    def moves(self) -> list[tuple[int, int]]:
        """The (row, col) of every move so far, in play order (a new list)."""
        raise NotImplementedError

    def undo(self) -> tuple[int, int]:
        """Take back the last move and return its (row, col); GameError if there is none."""
        raise NotImplementedError

    @classmethod
    def replay(cls, n: int, k: int | None, moves: Iterable[tuple[int, int]]) -> Game:
        """A game with `moves` played in order; the first move that cannot be played raises what
        move() raises, with its 0-based index in the message."""
        raise NotImplementedError
