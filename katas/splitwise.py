"""Shared expenses ledger

Size: full

Friends share costs: one pays for dinner, the others owe their part, and later someone pays
someone back. Build the ledger behind an app like Splitwise: who paid what, who owes whom, and a
short list of payments that would settle everyone. Money is an int number of cents everywhere,
never a float.

Core (the 60-minute part):
- Ledger(). add_user(user_id, name): both non-empty str. users() lists the ids in the order added.
- add_expense(paid_by, amount, split, *, description="") records that paid_by paid amount (int
  cents > 0) for the users of split; the payer may or may not be one of them. It returns the
  expense id: an int counting from 1, one counter shared with settle's payments, never reused.
- split is one of three frozen dataclasses; every user id in a split is a str:
    EqualSplit(users): a list or tuple of ids. Each share is amount // n; the remainder cents go
      one each to the first users in the given order: 1000 among 3 -> 334, 333, 333.
    ExactSplit(shares): a dict id -> cents, each an int >= 0, summing to amount.
    PercentSplit(percents): a dict id -> percent, each an int or a decimal.Decimal from 0 to 100,
      summing exactly to 100. A share is floor(amount * percent / 100), computed exactly (no
      float); the leftover cents go one each to the users with a non-zero percent, in the given
      order: 1001 at 33/33/34 is 330.33, 330.33, 340.34, floored to 330, 330, 340, and the
      leftover cent goes to the first: 331, 330, 340.
  The ledger keeps its own copy of the split: changing the caller's list or dict afterwards
  changes nothing.
- balance(user_id): net cents, positive when others owe this user. An expense adds its amount to
  the payer's balance and takes each share off its user's; the balances always sum to 0.
  balances(): a dict id -> balance of every user, 0 included.
- owes(debtor, creditor): what debtor owes creditor from their dealings with each other only:
  debtor's shares of the expenses creditor paid, plus what creditor paid debtor with settle,
  minus the same two the other way round; 0 when that is negative. owes(x, x) is 0.
- settle(from_user, to_user, amount): from_user pays to_user amount (int cents > 0): from_user's
  balance rises by amount, to_user's falls, and what from_user owes to_user drops by amount. A
  payment may exceed what was owed: the debt then reverses. Returns the payment's id.
- simplify(): payments (debtor, creditor, cents) that would bring every balance to 0, made by one
  rule: while a balance is not 0, the user with the largest debt pays the user with the largest
  credit min(debt, credit); ties go to the user added first. The list is in that order, so it has
  at most (users with a non-zero balance - 1) payments. It records nothing.
- expenses(user_id=None): the expenses not deleted, in id order, as Expense records (shares names
  every user of the split, in the split's order, 0 included); with a user id, only those the user
  paid or is named in (with any share, 0 included). Payments are not expenses. Every call returns
  new records: changing one changes nothing in the ledger.
- delete_expense(expense_id) undoes an expense exactly: balances, owes, simplify and expenses are
  as if it had never been added. Its id is not reused.
- Thread-safe: every method may be called from any thread, and each call is atomic.

Extensions (the stretch part, tests marked extension):
- add_group(name, members): name a non-empty str; members a non-empty list or tuple of users
  already added, none named twice.
- add_expense(..., group=name) and settle(..., group=name) record in that group: the payer and
  every user of the split, or both users of the payment, must be members (else ValueError naming
  the outsider).
- group_balances(name): a dict member -> balance from that group's own expenses and payments.
  simplify(group=name): the same rule on those balances (ties still by the order users were
  added to the ledger).
- Group expenses and payments count everywhere else too: balance, balances, owes, simplify() and
  expenses. delete_expense of a group expense undoes it in its group as well.

Errors:
- TypeError for a wrong type: a user id, name, description or group name that is not a str; an
  amount, share or expense_id that is not an int; a percent that is neither an int nor a Decimal
  (a float is not accepted); a split that is none of the three classes; EqualSplit users or group
  members that are not a list or tuple (a str is neither); shares or percents not a dict. bool is
  never accepted where an int is wanted: True is not 1 cent, nor an id.
- ValueError for a bad value: add_user with an empty id or name, add_group with an empty name;
  an amount <= 0; an empty split or member list; a user named twice in one split or group; a
  negative share; a percent below 0 or above 100, or a Decimal NaN or infinity; exact shares
  that do not sum to the amount (the message names both sums); percents that do not sum to 100
  (the message names the sum); settle from a user to themselves; a non-member in a group
  expense or payment.
- The ledger's own errors, all subclasses of LedgerError: UnknownUserError for a user id never
  added, anywhere (a split, a payer, a query, a group's members); DuplicateUserError for an id
  added twice; ExpenseNotFoundError for an id that is unknown, already deleted, or a payment's;
  GroupExistsError for a group name used twice; GroupNotFoundError for a group name never added,
  anywhere.
- Every message names the offending value. A rejected call changes nothing and uses up no id.

Example:
    >>> ledger = Ledger()
    >>> for user_id, name in [("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy")]:
    ...     ledger.add_user(user_id, name)
    >>> ledger.add_expense("ann", 1000, EqualSplit(["ann", "bob", "cy"]), description="dinner")
    1
    >>> ledger.balances()
    {'ann': 666, 'bob': -333, 'cy': -333}
    >>> ledger.add_expense("bob", 1001, PercentSplit({"ann": 33, "bob": 33, "cy": 34}))
    2
    >>> ledger.expenses()[1].shares
    {'ann': 331, 'bob': 330, 'cy': 340}
    >>> ledger.owes("cy", "ann"), ledger.owes("bob", "ann"), ledger.owes("ann", "bob")
    (333, 2, 0)
    >>> ledger.simplify()
    [('cy', 'bob', 338), ('cy', 'ann', 335)]
    >>> ledger.settle("cy", "ann", 333)
    3
    >>> ledger.balance("cy"), ledger.owes("cy", "ann")
    (-340, 0)

Complexity:
- balance and owes O(1): kept up to date as expenses and payments arrive, never recomputed from
  the history. With 10,000 users and 100,000 expenses, balance() and owes() are as fast as with
  10. add_expense and delete_expense O(users in the split). simplify O(n log n) for n users with
  a non-zero balance.

Hints:
1. An expense is a bundle of debts: each user of the split other than the payer owes the payer
   their share. A payment is one debt too, the other way round. Turn both into a list of
   (debtor, creditor, cents) and write one function that applies such a list with a sign:
   delete_expense applies the expense's list again with -1.
2. That function keeps two dicts up to date: user -> balance, and (debtor, creditor) -> what
   debtor owes creditor, written for both orders with opposite signs so that owes is one lookup.
3. simplify: one heap of debtors and one of creditors, each keyed by (-amount, position added).
   Pop the top of each, record the payment, and push back whoever still has something left.

Change request:
    Several currencies. Ledger(currency="USD") takes the ledger's own currency, and
    add_expense(..., currency=None) and settle(..., currency=None) record an expense or a payment
    in a given currency (None: the ledger's). A currency is three uppercase letters A-Z, such as
    "EUR": TypeError for a non-str, ValueError for any other str, naming it. There is no
    conversion: money in one currency never offsets money in another. balance(user_id,
    currency=None), balances(currency=None), owes(debtor, creditor, currency=None) and
    simplify(group=None, *, currency=None) answer for one currency (None: the ledger's), and
    simplify's payments settle that currency only; with groups, group_balances(name,
    currency=None) too. In a currency nothing was recorded in, every balance is 0 and simplify
    returns []. Expense gains a last field, currency: str, and delete_expense undoes an expense in
    its own currency. Calls that pass no currency behave exactly as before, in the ledger's
    currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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


class Ledger:
    """Users, their shared expenses and payments, and who owes whom."""

    def __init__(self) -> None:
        """An empty ledger."""
        raise NotImplementedError

    def add_user(self, user_id: str, name: str) -> None:
        """Add a user (both arguments non-empty str); DuplicateUserError if the id is taken."""
        raise NotImplementedError

    def users(self) -> list[str]:
        """The user ids in the order added."""
        raise NotImplementedError

    def add_expense(self, paid_by: str, amount: int, split: EqualSplit | ExactSplit | PercentSplit,
                    *, description: str = "", group: str | None = None) -> int:
        """Record that `paid_by` paid `amount` cents (> 0) shared as `split` says; its id.

        With `group`, the payer and every user of the split must be its members (ValueError).
        Nothing changes and no id is used if the call is rejected.
        """
        raise NotImplementedError

    def settle(self, from_user: str, to_user: str, amount: int, *,
               group: str | None = None) -> int:
        """Record that `from_user` paid `to_user` `amount` cents (> 0); the payment's id.

        ValueError if from_user == to_user; with `group`, both must be its members.
        """
        raise NotImplementedError

    def delete_expense(self, expense_id: int) -> None:
        """Undo an expense exactly; ExpenseNotFoundError if it is unknown, deleted or a payment."""
        raise NotImplementedError

    def balance(self, user_id: str) -> int:
        """Net cents: positive when others owe this user."""
        raise NotImplementedError

    def balances(self) -> dict[str, int]:
        """Every user's balance, 0 included."""
        raise NotImplementedError

    def owes(self, debtor: str, creditor: str) -> int:
        """What `debtor` owes `creditor` from their dealings with each other; never negative."""
        raise NotImplementedError

    def simplify(self, group: str | None = None) -> list[tuple[str, str, int]]:
        """Payments (debtor, creditor, cents) that bring every balance to 0; records nothing.

        The largest debtor pays the largest creditor, ties to the user added first, until every
        balance is 0. With `group`, the same on that group's balances.
        """
        raise NotImplementedError

    def expenses(self, user_id: str | None = None) -> list[Expense]:
        """Copies of the expenses not deleted, in id order; with a user id, those it paid or is
        named in."""
        raise NotImplementedError

    def add_group(self, name: str, members: list[str] | tuple[str, ...]) -> None:
        """A named group of users already added; GroupExistsError if the name is taken."""
        raise NotImplementedError

    def group_balances(self, name: str) -> dict[str, int]:
        """Every member's balance from the group's own expenses and payments."""
        raise NotImplementedError
