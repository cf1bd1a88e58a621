"""Tic-tac-toe on an n x n board, k in a row wins: the model answer."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

_EMPTY = "."
# Each line through a cell: one step along it (the step back is its negation).
_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


class GameError(Exception):
    """Base class of the game's own errors."""


class InvalidMoveError(GameError):
    """A move off the board or onto an occupied cell."""


class GameOverError(GameError):
    """A move after the game has been won or drawn."""


def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")


def _check_players(players: object) -> tuple[str, ...]:
    if isinstance(players, str) or not isinstance(players, Sequence):
        raise TypeError(f"players must be a sequence of marks, got {players!r}")
    marks = tuple(players)
    for mark in marks:
        if not isinstance(mark, str):
            raise TypeError(f"a player's mark must be a str, got {type(mark).__name__}: {mark!r}")
        if len(mark) != 1 or mark == _EMPTY or mark.isspace():
            raise ValueError(f"a player's mark must be one visible character other than "
                             f"{_EMPTY!r}, got {mark!r}")
    if len(marks) < 2 or len(set(marks)) != len(marks):
        raise ValueError(f"players must be at least two distinct marks, got {players!r}")
    return marks


class Game:
    """One game. Only the played cells are stored, so a move costs O(k) however big the board: it
    looks along the four lines through its cell, and a draw is known by counting moves."""

    def __init__(self, n: int = 3, k: int | None = None, *,
                 players: Sequence[str] = ("X", "O")) -> None:
        _check_int("n", n)
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n!r}")
        if k is None:
            k = n
        _check_int("k", k)
        if not 1 <= k <= n:
            raise ValueError(f"k must be between 1 and n={n}, got {k!r}")
        self._players = _check_players(players)
        self._n, self._k = n, k
        self._cells: dict[tuple[int, int], str] = {}
        self._moves: list[tuple[int, int]] = []
        self._winner: str | None = None
        self._lock = threading.Lock()

    @property
    def turn(self) -> str | None:
        """The mark that plays next, None once the game is over."""
        with self._lock:
            return None if self._winner else self._players[len(self._moves) % len(self._players)]

    @property
    def winner(self) -> str | None:
        """The winning mark, "draw", or None while the game goes on."""
        with self._lock:
            return self._winner

    def move(self, row: int, col: int) -> str | None:
        """Play the current mark at (row, col): the mark if this move wins, "draw" if it fills the
        board without a winner, else None."""
        _check_int("row", row)
        _check_int("col", col)
        with self._lock:
            if self._winner:
                raise GameOverError(f"the game is over ({self._winner}): no move at "
                                    f"({row}, {col})")
            if not (0 <= row < self._n and 0 <= col < self._n):
                raise InvalidMoveError(f"({row}, {col}) is off the {self._n} x {self._n} board")
            if (row, col) in self._cells:
                raise InvalidMoveError(f"({row}, {col}) is taken by {self._cells[row, col]}")
            mark = self._players[len(self._moves) % len(self._players)]
            self._cells[row, col] = mark
            self._moves.append((row, col))
            if self._wins(row, col, mark):
                self._winner = mark
            elif len(self._moves) == self._n * self._n:
                self._winner = "draw"
            return self._winner

    def _wins(self, row: int, col: int, mark: str) -> bool:
        """Whether `mark` at (row, col) makes k in a row along one of the lines through it."""
        for dr, dc in _DIRECTIONS:
            run = 1 + self._count(row, col, dr, dc, mark) + self._count(row, col, -dr, -dc, mark)
            if run >= self._k:
                return True
        return False

    def _count(self, row: int, col: int, dr: int, dc: int, mark: str) -> int:
        """Marks equal to `mark` next to (row, col) going one way, at most k - 1 of them."""
        count = 0
        while count < self._k - 1 and self._cells.get((row + dr * (count + 1),
                                                        col + dc * (count + 1))) == mark:
            count += 1
        return count

    def board(self) -> list[str]:
        """The board as n strings of n characters, _EMPTY for a free cell (a new list)."""
        with self._lock:
            return ["".join(self._cells.get((r, c), _EMPTY) for c in range(self._n))
                    for r in range(self._n)]

    def moves(self) -> list[tuple[int, int]]:
        """Every move so far, in play order (a new list)."""
        with self._lock:
            return list(self._moves)

    def undo(self) -> tuple[int, int]:
        """Take back the last move and return its cell; the game goes on even if it had ended."""
        with self._lock:
            if not self._moves:
                raise GameError("there is no move to undo")
            cell = self._moves.pop()
            del self._cells[cell]
            self._winner = None  # a game ends only on its last move
            return cell

    @classmethod
    def replay(cls, n: int, k: int | None, moves: Iterable[tuple[int, int]], *,
               players: Sequence[str] = ("X", "O")) -> Game:
        """A game with `moves` played in order; the first move that cannot be played raises what
        move() raises, its 0-based index named in the message."""
        game = cls(n, k, players=players)
        for index, cell in enumerate(moves):
            if not isinstance(cell, (tuple, list)) or len(cell) != 2:
                raise TypeError(f"move {index} must be a (row, col) pair, got {cell!r}")
            try:
                game.move(*cell)
            except (GameError, TypeError) as exc:
                raise type(exc)(f"move {index}: {exc}") from None
        return game
