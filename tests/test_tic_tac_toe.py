"""Grades tic-tac-toe on an n x n board, k in a row (katas/tic_tac_toe.py): run with --impl to grade
your copy."""

from __future__ import annotations

import random

import pytest


def play(game, *cells: tuple[int, int]) -> list:
    """Play `cells` in order; what each move returned."""
    return [game.move(row, col) for row, col in cells]


def brute_force_winner(board: list[str], k: int) -> set[str]:
    """Every mark with k or more in a row anywhere on `board`, by scanning all of it."""
    n, found = len(board), set()
    for row in range(n):
        for col in range(n):
            mark = board[row][col]
            if mark == ".":
                continue
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                run = 0
                while 0 <= row + dr * run < n and 0 <= col + dc * run < n and \
                        board[row + dr * run][col + dc * run] == mark:
                    run += 1
                if run >= k:
                    found.add(mark)
    return found


# --- core ---------------------------------------------------------------------------------------


@pytest.mark.core
def test_x_moves_first_and_the_players_alternate(impl):
    game = impl.Game()
    assert game.turn == "X", f"turn of a new Game() is {game.turn!r}, expected 'X'"
    results = play(game, (0, 0), (1, 1))
    assert results == [None, None], f"move(0, 0), move(1, 1) returned {results}, expected None x2"
    assert game.turn == "X", f"turn after two moves is {game.turn!r}, expected 'X'"
    game.move(2, 2)
    assert game.turn == "O", f"turn after three moves is {game.turn!r}, expected 'O'"
    assert game.board() == ["X..", ".O.", "..X"], f"board() is {game.board()}"
    assert game.winner is None, f"winner of an ongoing game is {game.winner!r}, expected None"


@pytest.mark.core
@pytest.mark.parametrize("line, name", [
    ([(0, 0), (0, 1), (0, 2)], "a row"),
    ([(0, 2), (1, 2), (2, 2)], "a column"),
    ([(0, 0), (1, 1), (2, 2)], "the diagonal"),
    ([(0, 2), (1, 1), (2, 0)], "the anti-diagonal"),
])
def test_three_in_a_line_wins_for_the_player_who_made_it(impl, line, name):
    others = [cell for cell in [(r, c) for r in range(3) for c in range(3)]
              if cell not in line and cell not in ((1, 0), (2, 1))][:2]
    game = impl.Game()
    results = play(game, line[0], others[0], line[1], others[1])
    assert results == [None] * 4, f"the opening moves returned {results}, expected None x4"
    result = game.move(*line[2])
    assert result == "X", f"move{line[2]} completing {name} returned {result!r}, expected 'X'"
    assert game.winner == "X" and game.turn is None, \
        f"after X won: winner {game.winner!r}, turn {game.turn!r}; expected 'X', None"


@pytest.mark.core
def test_o_wins_too(impl):
    game = impl.Game()
    results = play(game, (0, 0), (1, 0), (0, 1), (1, 1), (2, 2), (1, 2))
    assert results[-1] == "O", f"move(1, 2) completing O's row returned {results[-1]!r}"
    assert game.winner == "O", f"winner is {game.winner!r}, expected 'O'"


@pytest.mark.core
def test_filling_the_board_without_a_winner_is_a_draw(impl):
    game = impl.Game()
    results = play(game, (0, 0), (0, 1), (0, 2), (1, 1), (1, 0), (1, 2), (2, 1), (2, 0), (2, 2))
    assert results == [None] * 8 + ["draw"], f"a drawn game's moves returned {results}"
    assert game.winner == "draw" and game.turn is None, \
        f"after a draw: winner {game.winner!r}, turn {game.turn!r}; expected 'draw', None"


@pytest.mark.core
def test_k_in_a_row_on_a_bigger_board_wins_anywhere(impl):
    game = impl.Game(7, 4)
    x_cells = [(3, 2), (4, 3), (5, 4), (6, 5)]  # a diagonal away from every edge but the last
    o_cells = [(0, 0), (0, 1), (0, 2)]
    results = play(game, x_cells[0], o_cells[0], x_cells[1], o_cells[1], x_cells[2], o_cells[2])
    assert results == [None] * 6, f"the opening moves returned {results}"
    result = game.move(*x_cells[3])
    assert result == "X", f"move(6, 5) making 4 on a diagonal of Game(7, 4) returned {result!r}"


@pytest.mark.core
def test_board_and_moves_show_the_game_in_play_order(impl):
    game = impl.Game(4)
    play(game, (3, 0), (0, 3), (2, 1))
    assert game.board() == ["...O", "....", ".X..", "X..."], f"board() is {game.board()}"
    assert game.moves() == [(3, 0), (0, 3), (2, 1)], f"moves() is {game.moves()}"


@pytest.mark.core
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_games_agree_with_a_full_board_scan(impl, seed):
    rng = random.Random(seed)
    for _ in range(40):
        n = rng.randint(1, 6)
        k = rng.randint(1, n)
        game = impl.Game(n, k)
        free = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(free)
        for played, cell in enumerate(free, 1):
            mark = "XO"[(played - 1) % 2]
            result = game.move(*cell)
            board = game.board()
            winners = brute_force_winner(board, k)
            expected = mark if winners else ("draw" if played == n * n else None)
            assert result == expected, \
                f"Game({n}, {k}) move{cell} (move {played}) returned {result!r}, expected " \
                f"{expected!r}; board {board}"
            if expected is not None:
                break


# --- edge ---------------------------------------------------------------------------------------


@pytest.mark.edge
def test_a_move_that_wins_and_fills_the_board_is_a_win(impl):
    game = impl.Game()
    results = play(game, (0, 0), (0, 1), (0, 2), (1, 1), (1, 0), (1, 2), (2, 1), (2, 2))
    assert results == [None] * 8, f"the opening moves returned {results}"
    result = game.move(2, 0)
    assert result == "X", f"the last move, making X's column 0, returned {result!r}, expected 'X'"


@pytest.mark.edge
def test_one_by_one_board_the_first_move_wins(impl):
    game = impl.Game(1)
    result = game.move(0, 0)
    assert result == "X", f"Game(1).move(0, 0) returned {result!r}, expected 'X'"


@pytest.mark.edge
def test_k_of_1_means_every_first_move_wins(impl):
    game = impl.Game(5, 1)
    result = game.move(4, 4)
    assert result == "X", f"Game(5, 1).move(4, 4) returned {result!r}, expected 'X'"


@pytest.mark.edge
def test_more_than_k_in_a_row_wins(impl):
    game = impl.Game(7, 3)
    play(game, (0, 0), (6, 6), (0, 1), (6, 5), (0, 3), (5, 6), (0, 4), (6, 3))
    result = game.move(0, 2)  # joins two pairs into five
    assert result == "X", f"move(0, 2) joining XX.XX into five returned {result!r}, expected 'X'"


@pytest.mark.edge
def test_a_line_broken_by_the_other_player_does_not_win(impl):
    game = impl.Game(5, 3)
    play(game, (0, 0), (0, 1), (0, 2), (4, 4), (0, 3))
    assert game.winner is None, f"X.O.X.X (broken by O) made winner {game.winner!r}"


@pytest.mark.edge
def test_board_and_moves_return_new_lists(impl):
    game = impl.Game()
    game.move(0, 0)
    board, moves = game.board(), game.moves()
    board[0] = "OOO"
    moves.clear()
    assert game.board()[0] == "X..", f"editing board()'s list changed the game: {game.board()}"
    assert game.moves() == [(0, 0)], f"clearing moves()'s list changed the game: {game.moves()}"


@pytest.mark.edge
def test_the_default_k_is_the_board_size(impl):
    game = impl.Game(4)
    play(game, (0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2))
    assert game.winner is None, f"three in a row on Game(4) (k = 4) gave {game.winner!r}"
    result = game.move(0, 3)
    assert result == "X", f"four in a row on Game(4) returned {result!r}"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.errors
@pytest.mark.parametrize("cell", [(3, 0), (0, 3), (-1, 0), (0, -1), (10**9, 0)])
def test_a_cell_off_the_board_is_an_invalid_move(impl, call, cell):
    game = impl.Game()
    call.raises(impl.InvalidMoveError, game.move, *cell, naming=cell[0] if cell[0] else cell[1])
    assert game.moves() == [] and game.turn == "X", \
        f"a rejected move{cell} changed the game: moves {game.moves()}, turn {game.turn!r}"


@pytest.mark.errors
def test_an_occupied_cell_is_an_invalid_move_and_the_turn_stays(impl, call):
    game = impl.Game()
    game.move(1, 1)
    error = call.raises(impl.InvalidMoveError, game.move, 1, 1)
    assert isinstance(error, impl.GameError), f"{type(error).__name__} is not a GameError"
    assert game.turn == "O" and game.moves() == [(1, 1)], \
        f"a rejected move(1, 1) changed the game: turn {game.turn!r}, moves {game.moves()}"


@pytest.mark.errors
def test_every_move_after_a_win_or_a_draw_is_game_over(impl, call):
    won = impl.Game(2)
    play(won, (0, 0), (1, 0), (0, 1))
    for cell in [(1, 1), (0, 0), (5, 5)]:
        error = call.raises(impl.GameOverError, won.move, *cell)
        assert isinstance(error, impl.GameError), f"{type(error).__name__} is not a GameError"
    drawn = impl.Game(1, 1)
    drawn.move(0, 0)
    call.raises(impl.GameOverError, drawn.move, 0, 0)


@pytest.mark.errors
@pytest.mark.parametrize("cell", [(True, 0), (0, 1.0), ("1", 1), (None, 0)])
def test_coordinates_must_be_ints(impl, call, cell):
    game = impl.Game()
    bad = cell[0] if not isinstance(cell[0], int) or isinstance(cell[0], bool) else cell[1]
    call.raises(TypeError, game.move, *cell, naming=repr(bad) if isinstance(bad, str) else bad)
    assert game.moves() == [], f"a rejected move{cell} was played: {game.moves()}"


@pytest.mark.errors
def test_the_type_of_a_coordinate_is_checked_before_the_game_over(impl, call):
    game = impl.Game(1)
    game.move(0, 0)
    call.raises(TypeError, game.move, "a", 0, naming="a")


@pytest.mark.errors
@pytest.mark.parametrize("args, error", [
    ((0,), ValueError), ((-3,), ValueError), ((3, 0), ValueError), ((3, 4), ValueError),
    ((True,), TypeError), ((3.0,), TypeError), ((3, "2"), TypeError), ((3, False), TypeError),
])
def test_n_and_k_are_checked(impl, call, args, error):
    call.raises(error, impl.Game, *args, naming=args[-1])


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.concurrency
def test_concurrent_moves_are_each_played_whole_with_alternating_marks(
        impl, run_threads, thread_switches_inside):
    game = impl.Game(40, 40)
    cells = [(r, c) for r in range(40) for c in range(0, 40, 2)]  # no line of 40: no winner

    def work(n: int) -> int:
        played = 0
        for cell in cells[n::8]:
            game.move(*cell)
            played += 1
        return played

    with thread_switches_inside(impl):
        played = sum(run_threads(8, work))
    moves, board = game.moves(), game.board()
    assert played == len(cells) == len(moves) == len(set(moves)), \
        f"{played} moves made by 8 threads, {len(moves)} recorded ({len(set(moves))} distinct)"
    expected = {cell: "XO"[i % 2] for i, cell in enumerate(moves)}
    wrong = [cell for cell, mark in expected.items() if board[cell[0]][cell[1]] != mark]
    assert not wrong, f"cells whose mark does not follow the play order: {wrong[:5]}"


# --- extensions ---------------------------------------------------------------------------------


@pytest.mark.extension
def test_undo_takes_back_the_last_move_and_gives_the_turn_back(impl):
    game = impl.Game()
    play(game, (0, 0), (1, 1))
    undone = game.undo()
    assert undone == (1, 1), f"undo() returned {undone!r}, expected (1, 1)"
    assert game.turn == "O" and game.moves() == [(0, 0)] and game.board()[1] == "...", \
        f"after undo(): turn {game.turn!r}, moves {game.moves()}, board {game.board()}"
    assert game.move(1, 1) is None, "the freed cell (1, 1) can be played again"


@pytest.mark.extension
def test_undo_of_a_winning_move_makes_the_game_ongoing_again(impl):
    game = impl.Game()
    play(game, (0, 0), (1, 0), (0, 1), (1, 1), (0, 2))
    undone = game.undo()
    assert undone == (0, 2), f"undo() after X's winning move returned {undone!r}"
    assert game.winner is None and game.turn == "X", \
        f"after undoing the win: winner {game.winner!r}, turn {game.turn!r}; expected None, 'X'"
    assert game.move(2, 2) is None, "X plays again elsewhere without winning"


@pytest.mark.extension
def test_undo_with_no_moves_is_a_game_error(impl, call):
    game = impl.Game()
    call.raises(impl.GameError, game.undo)
    game.move(0, 0)
    game.undo()
    call.raises(impl.GameError, game.undo)


@pytest.mark.extension
def test_replay_builds_the_game_from_its_moves(impl):
    game = impl.Game.replay(3, None, [(0, 0), (1, 0), (0, 1), (1, 1)])
    assert game.moves() == [(0, 0), (1, 0), (0, 1), (1, 1)], f"moves() is {game.moves()}"
    assert game.turn == "X" and game.move(0, 2) == "X", "the replayed game goes on as played"


@pytest.mark.extension
@pytest.mark.parametrize("moves, error, index", [
    ([(0, 0), (0, 0)], "InvalidMoveError", 1),
    ([(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (2, 2)], "GameOverError", 5),
    ([(0, 0), (1, 0), (9, 9)], "InvalidMoveError", 2),
    ([(0, 0), ("1", 0)], "TypeError", 1),
    ([(0, 0), (1, 1), (2,)], "TypeError", 2),
])
def test_replay_raises_what_move_raises_naming_the_index(impl, call, moves, error, index):
    exception = getattr(impl, error, None) or TypeError
    call.raises(exception, impl.Game.replay, 3, 3, moves, naming=f"move {index}")


# --- perf ---------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(30)
def test_a_move_on_a_2000_board_costs_about_the_same_as_on_10x10(impl, timed):
    def mover(n: int):
        game = impl.Game(n, 5)
        free = iter([(r, c) for r in range(0, 10, 3) for c in range(10)])
        return lambda: game.move(*next(free))

    big, small = mover(2000), mover(10)
    ratio = timed.ratio(big, small, at_most=4, repeats=9)
    assert ratio <= 4, f"a move on Game(2000, 5) takes {ratio:.1f}x one on Game(10, 5); " \
                       f"expected about the same (O(k), not O(n^2))"


# --- change request: more than two players ------------------------------------------------------


@pytest.mark.change
def test_turns_rotate_through_the_players_in_order(impl):
    game = impl.Game(4, players=("A", "B", "C"))
    seen = []
    for cell in [(0, 0), (1, 1), (2, 2), (3, 3), (0, 3)]:
        seen.append(game.turn)
        game.move(*cell)
    assert seen == ["A", "B", "C", "A", "B"], f"turns of Game(4, players=ABC) were {seen}"
    assert game.board() == ["A..B", ".B..", "..C.", "...A"], f"board() is {game.board()}"


@pytest.mark.change
def test_the_third_player_can_win(impl):
    game = impl.Game(5, 3, players=("X", "O", "Z"))
    cells = [(0, 0), (1, 0), (4, 0), (0, 4), (1, 4), (4, 1), (2, 2), (3, 3), (4, 2)]
    results = play(game, *cells)
    assert results == [None] * 8 + ["Z"], f"Z's third in row 4 returned {results[-1]!r}"
    assert game.winner == "Z" and game.turn is None, \
        f"winner {game.winner!r}, turn {game.turn!r}; expected 'Z', None"


@pytest.mark.change
def test_undo_gives_the_turn_back_to_the_player_who_moved(impl):
    game = impl.Game(3, players=("P", "Q", "R"))
    play(game, (0, 0), (0, 1), (0, 2))
    game.undo()
    assert game.turn == "R", f"turn after undoing R's move is {game.turn!r}, expected 'R'"
    game.undo()
    assert game.turn == "Q", f"turn after undoing Q's move too is {game.turn!r}, expected 'Q'"


@pytest.mark.change
def test_replay_takes_the_players_too(impl):
    game = impl.Game.replay(3, 3, [(0, 0), (1, 1), (2, 2)], players=("1", "2", "3"))
    assert game.board() == ["1..", ".2.", "..3"] and game.turn == "1", \
        f"replay with players 1, 2, 3: board {game.board()}, turn {game.turn!r}"


@pytest.mark.change
@pytest.mark.parametrize("players, error, named", [
    (("X",), ValueError, "X"), (("X", "X"), ValueError, "X"), (("X", "."), ValueError, "."),
    (("X", "OO"), ValueError, "OO"), (("X", " "), ValueError, "' '"), ("XO", TypeError, "XO"),
    (("X", 1), TypeError, "1"), (5, TypeError, "5"),
])
def test_players_must_be_two_or_more_distinct_single_marks(impl, call, players, error, named):
    call.raises(error, impl.Game, 3, players=players, naming=named)


@pytest.mark.change
def test_two_players_stay_the_default(impl):
    game = impl.Game(3, players=("X", "O"))
    play(game, (0, 0), (1, 1))
    assert game.turn == "X" and game.board() == ["X..", ".O.", "..."], \
        f"Game(players=('X', 'O')): turn {game.turn!r}, board {game.board()}"
