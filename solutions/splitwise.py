"""Shared expenses ledger: splits, balances and debts kept per currency, groups, simplify."""

from __future__ import annotations

import heapq
import itertools
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

_CURRENCY = re.compile(r"[A-Z]{3}")

# One debt a record creates: (debtor, creditor, cents). An expense is a list of them (each user of
# the split owes the payer their share); a payment is one (the payee owes the payer).
_Debt = tuple[str, str, int]


class LedgerError(Exception):
    """Base class of the ledger's domain errors."""


class UnknownUserError(LedgerError):
    """A user id that was never added."""


class DuplicateUserError(LedgerError):
    """add_user() with an id already in use."""


class ExpenseNotFoundError(LedgerError):
    """An expense id that is unknown, deleted, or a payment's."""


class GroupExistsError(LedgerError):
    """add_group() with a name already in use."""


class GroupNotFoundError(LedgerError):
    """A group name that was never added."""


@dataclass(frozen=True)
class EqualSplit:
    """Equal shares among `users`; the remainder cents go one each to the first users."""

    users: tuple[str, ...] | list[str]


@dataclass(frozen=True)
class ExactSplit:
    """The given cents per user; they must sum to the amount."""

    shares: dict[str, int]


@dataclass(frozen=True)
class PercentSplit:
    """Percents per user summing to 100; leftover cents go one each to non-zero percents."""

    percents: dict[str, int | Decimal]


@dataclass(frozen=True)
class Expense:
    """One recorded expense: who paid, how much, and each user's share (0 included)."""

    expense_id: int
    paid_by: str
    amount: int
    shares: dict[str, int]
    description: str
    currency: str


def _check_name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {value!r}")
    if not value:
        raise ValueError(f"{what} must be a non-empty str, got ''")
    return value


def _check_cents(value: object, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int number of cents, got {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum} cents, got {value}")
    return value


def _check_currency(currency: object, default: str | None) -> str:
    """`currency`, or `default` when it is None (and a default is given)."""
    if currency is None and default is not None:
        return default
    if not isinstance(currency, str):
        raise TypeError(f"currency must be a str, got {currency!r}")
    if not _CURRENCY.fullmatch(currency):
        raise ValueError(f"currency must be three uppercase letters A-Z, got {currency!r}")
    return currency


def _check_user_ids(users: object, kinds: tuple[type, ...], what: str) -> list[str]:
    """The ids of `users`, a non-empty list, tuple or dict (as `kinds` says) of distinct str."""
    if not isinstance(users, kinds):
        expected = " or ".join(kind.__name__ for kind in kinds)
        raise TypeError(f"{what} must be a {expected} of user ids, got {users!r}")
    ids = list(users)  # a dict's keys
    if not ids:
        raise ValueError(f"{what} is empty: name at least one user")
    for user in ids:
        if not isinstance(user, str):
            raise TypeError(f"{what}: a user id must be a str, got {user!r}")
    repeated = [user for user, times in Counter(ids).items() if times > 1]
    if repeated:
        raise ValueError(f"{what} names user {repeated[0]!r} twice")
    return ids


def _check_percent(percent: object, user: str) -> Fraction:
    if isinstance(percent, bool) or not isinstance(percent, (int, Decimal)):
        raise TypeError(f"percent of {user!r} must be an int or a Decimal, got {percent!r}")
    if isinstance(percent, Decimal) and not percent.is_finite():
        raise ValueError(f"percent of {user!r} must be finite, got {percent!r}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent of {user!r} must be between 0 and 100, got {percent}")
    return Fraction(percent)


def _exact_shares(shares: object, amount: int) -> dict[str, int]:
    _check_user_ids(shares, (dict,), "ExactSplit shares")
    result = {user: _check_cents(cents, f"share of {user!r}", 0)
              for user, cents in shares.items()}
    total = sum(result.values())
    if total != amount:
        raise ValueError(f"ExactSplit shares sum to {total} cents, but the amount is {amount}")
    return result


def _percent_shares(percents: object, amount: int) -> dict[str, int]:
    _check_user_ids(percents, (dict,), "PercentSplit percents")
    exact = {user: _check_percent(percent, user) for user, percent in percents.items()}
    if sum(exact.values()) != 100:
        raise ValueError(f"PercentSplit percents sum to {sum(percents.values())}, expected 100")
    shares = {user: amount * percent // 100 for user, percent in exact.items()}
    # Each floor drops less than a cent, so fewer cents are left than non-zero percents.
    leftover = amount - sum(shares.values())
    for user in [user for user, percent in exact.items() if percent][:leftover]:
        shares[user] += 1
    return shares


def _shares(split: object, amount: int) -> dict[str, int]:
    """Each user's share of `amount` under `split`, in the split's order."""
    if isinstance(split, EqualSplit):
        users = _check_user_ids(split.users, (list, tuple), "EqualSplit users")
        share, remainder = divmod(amount, len(users))
        return {user: share + 1 if i < remainder else share for i, user in enumerate(users)}
    if isinstance(split, ExactSplit):
        return _exact_shares(split.shares, amount)
    if isinstance(split, PercentSplit):
        return _percent_shares(split.percents, amount)
    raise TypeError(f"split must be an EqualSplit, ExactSplit or PercentSplit, got {split!r}")


def _debts(expense: Expense) -> list[_Debt]:
    return [(user, expense.paid_by, share) for user, share in expense.shares.items()
            if user != expense.paid_by and share]


def _greedy_payments(nets: dict[str, int], rank: dict[str, int]) -> list[_Debt]:
    """The largest debtor pays the largest creditor, ties to the lower rank, until all are 0."""
    debtors = [(net, rank[user], user) for user, net in nets.items() if net < 0]
    creditors = [(-net, rank[user], user) for user, net in nets.items() if net > 0]
    heapq.heapify(debtors)
    heapq.heapify(creditors)
    payments = []
    while debtors:  # the nets sum to 0: both heaps run out together
        debt, debtor_rank, debtor = heapq.heappop(debtors)
        credit, creditor_rank, creditor = heapq.heappop(creditors)
        paid = min(-debt, -credit)
        payments.append((debtor, creditor, paid))
        if debt + paid:
            heapq.heappush(debtors, (debt + paid, debtor_rank, debtor))
        if credit + paid:
            heapq.heappush(creditors, (credit + paid, creditor_rank, creditor))
    return payments


class Ledger:
    """Users, their shared expenses and payments, and who owes whom, per currency."""

    def __init__(self, currency: str = "USD") -> None:
        self._currency = _check_currency(currency, None)
        self._lock = threading.Lock()
        self._names: dict[str, str] = {}
        self._rank: dict[str, int] = {}  # user id -> position added (simplify's tie-break)
        self._ids = itertools.count(1)  # expense and payment ids; taken once a call is valid
        self._expenses: dict[int, tuple[Expense, str | None]] = {}  # live ones and their group
        # (book, currency, user) -> net cents; the book is None for the whole ledger, or the
        # name of the group whose own balances these are.
        self._nets: defaultdict[tuple[str | None, str, str], int] = defaultdict(int)
        # (currency, debtor, creditor) -> what debtor owes creditor from their own dealings, kept
        # for both orders: (c, a, b) is always -(c, b, a). Reads use .get: only writes add keys.
        self._pairs: defaultdict[tuple[str, str, str], int] = defaultdict(int)
        self._groups: dict[str, dict[str, None]] = {}  # name -> members, an ordered set

    def add_user(self, user_id: str, name: str) -> None:
        """Add a user; DuplicateUserError if the id is taken."""
        _check_name(user_id, "user_id")
        _check_name(name, "name")
        with self._lock:
            if user_id in self._names:
                raise DuplicateUserError(f"user {user_id!r} already exists")
            self._names[user_id] = name
            self._rank[user_id] = len(self._rank)

    def users(self) -> list[str]:
        """The user ids in the order added."""
        with self._lock:
            return list(self._names)

    def add_expense(  # noqa: PLR0913 - the card fixes these parameters, most of them keywords
            self, paid_by: str, amount: int, split: EqualSplit | ExactSplit | PercentSplit, *,
            description: str = "", group: str | None = None, currency: str | None = None) -> int:
        """Record an expense; its id."""
        _check_cents(amount, "amount", 1)
        shares = _shares(split, amount)
        if not isinstance(description, str):
            raise TypeError(f"description must be a str, got {description!r}")
        currency = _check_currency(currency, self._currency)
        with self._lock:
            self._check_users(paid_by, *shares)
            if group is not None:
                self._members(group, paid_by, *shares)
            expense = Expense(next(self._ids), paid_by, amount, shares, description, currency)
            self._expenses[expense.expense_id] = (expense, group)
            self._record(currency, group, _debts(expense), 1)
            return expense.expense_id

    def settle(self, from_user: str, to_user: str, amount: int, *, group: str | None = None,
               currency: str | None = None) -> int:
        """Record that from_user paid to_user `amount` cents; the payment's id."""
        _check_cents(amount, "amount", 1)
        currency = _check_currency(currency, self._currency)
        with self._lock:
            self._check_users(from_user, to_user)
            if from_user == to_user:
                raise ValueError(f"user {from_user!r} cannot settle with themselves")
            if group is not None:
                self._members(group, from_user, to_user)
            payment_id = next(self._ids)
            self._record(currency, group, [(to_user, from_user, amount)], 1)
            return payment_id

    def delete_expense(self, expense_id: int) -> None:
        """Undo an expense exactly; ExpenseNotFoundError if it is not a live expense."""
        if isinstance(expense_id, bool) or not isinstance(expense_id, int):
            raise TypeError(f"expense_id must be an int, got {expense_id!r}")
        with self._lock:
            if expense_id not in self._expenses:
                raise ExpenseNotFoundError(f"no expense with id {expense_id}")
            expense, group = self._expenses.pop(expense_id)
            self._record(expense.currency, group, _debts(expense), -1)

    def balance(self, user_id: str, currency: str | None = None) -> int:
        """Net cents: positive when others owe this user."""
        currency = _check_currency(currency, self._currency)
        with self._lock:
            self._check_users(user_id)
            return self._nets.get((None, currency, user_id), 0)

    def balances(self, currency: str | None = None) -> dict[str, int]:
        """Every user's balance, 0 included, in the order added."""
        currency = _check_currency(currency, self._currency)
        with self._lock:
            return {user: self._nets.get((None, currency, user), 0) for user in self._names}

    def owes(self, debtor: str, creditor: str, currency: str | None = None) -> int:
        """What debtor owes creditor from their dealings with each other; never negative."""
        currency = _check_currency(currency, self._currency)
        with self._lock:
            self._check_users(debtor, creditor)
            return max(0, self._pairs.get((currency, debtor, creditor), 0))

    def simplify(self, group: str | None = None, *,
                 currency: str | None = None) -> list[tuple[str, str, int]]:
        """Payments (debtor, creditor, cents) that bring every balance to 0; records nothing."""
        currency = _check_currency(currency, self._currency)
        with self._lock:
            users = self._names if group is None else self._members(group)
            nets = {user: self._nets.get((group, currency, user), 0) for user in users}
            return _greedy_payments(nets, self._rank)

    def expenses(self, user_id: str | None = None) -> list[Expense]:
        """The live expenses in id order; with a user id, those it paid or is named in."""
        with self._lock:
            if user_id is not None:
                self._check_users(user_id)
            return [replace(expense, shares=dict(expense.shares))
                    for expense, _ in self._expenses.values()
                    if user_id is None or user_id == expense.paid_by or user_id in expense.shares]

    def add_group(self, name: str, members: list[str] | tuple[str, ...]) -> None:
        """A named group of known users; GroupExistsError if the name is taken."""
        _check_name(name, "group name")
        ids = _check_user_ids(members, (list, tuple), f"members of group {name!r}")
        with self._lock:
            self._check_users(*ids)
            if name in self._groups:
                raise GroupExistsError(f"group {name!r} already exists")
            self._groups[name] = dict.fromkeys(ids)

    def group_balances(self, name: str, currency: str | None = None) -> dict[str, int]:
        """Every member's balance from the group's own expenses and payments."""
        currency = _check_currency(currency, self._currency)
        with self._lock:
            return {user: self._nets.get((name, currency, user), 0)
                    for user in self._members(name)}

    def _check_users(self, *users: object) -> None:
        for user in users:
            if not isinstance(user, str):
                raise TypeError(f"a user id must be a str, got {user!r}")
            if user not in self._names:
                raise UnknownUserError(f"unknown user {user!r}")

    def _members(self, name: object, *users: str) -> dict[str, None]:
        """The members of the group called `name`, who must include `users` (ValueError)."""
        if not isinstance(name, str):
            raise TypeError(f"group name must be a str, got {name!r}")
        if name not in self._groups:
            raise GroupNotFoundError(f"unknown group {name!r}")
        outsider = next((user for user in users if user not in self._groups[name]), None)
        if outsider is not None:
            raise ValueError(f"user {outsider!r} is not a member of group {name!r}")
        return self._groups[name]

    def _record(self, currency: str, group: str | None, debts: list[_Debt], sign: int) -> None:
        """Apply `debts` (sign 1) or take them back (sign -1) everywhere they count."""
        books = [None] if group is None else [None, group]
        for debtor, creditor, cents in debts:
            cents *= sign
            for book in books:
                self._nets[book, currency, debtor] -= cents
                self._nets[book, currency, creditor] += cents
            self._pairs[currency, debtor, creditor] += cents
            self._pairs[currency, creditor, debtor] -= cents
