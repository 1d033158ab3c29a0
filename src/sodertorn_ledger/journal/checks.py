"""Checks that need the whole books: balance assertions, the locks of closed years and
declared accounts."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from decimal import Decimal
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal, Transaction
from sodertorn_ledger.money import journal_amount
from sodertorn_ledger.problems import Problem


def in_date_order(transactions: list[Transaction]) -> list[Transaction]:
    """Transactions by date; on the same date in the order they were read (as hledger)."""
    return sorted(transactions, key=attrgetter("date"))


def check_assertions(journal: Journal) -> list[Problem]:
    """Every `= AMOUNT` holds for the account's running balance, in date order (as hledger)."""
    return _running(journal, [])[0]


def _running(
    journal: Journal, cuts: list[dt.date]
) -> tuple[list[Problem], list[dict[Account, Decimal]]]:
    """The failed balance assertions, and every account's balance at the end of each day
    of `cuts` (ascending): one pass over the books in date order."""
    problems: list[Problem] = []
    states: list[dict[Account, Decimal]] = []
    running: dict[Account, Decimal] = {}
    unit = f" {journal.commodity}" if journal.commodity else ""
    at = 0
    for txn in in_date_order(journal.transactions):
        while at < len(cuts) and txn.date > cuts[at]:
            states.append(dict(running))
            at += 1
        for posting in txn.postings:
            balance = running.get(posting.account, ZERO) + posting.amount
            running[posting.account] = balance
            if posting.assertion is not None and balance != posting.assertion:
                diff = posting.assertion - balance
                problems.append(
                    Problem(
                        txn.file,
                        posting.line,
                        f"balance assertion failed: {posting.account} is {balance}{unit} "
                        f"on {txn.date.isoformat()}, not {posting.assertion}{unit} "
                        f"(difference {diff}{unit})",
                        "find the missing or wrong transaction before this date, "
                        "or correct the asserted balance",
                    )
                )
    states += [dict(running) for _ in cuts[at:]]
    return problems, states


NEAR_WORK = 100_000
"""The most account names the suggestions of one check compare (undeclared accounts times
the names each is compared with, each comparison up to some microseconds): books of
thousands of undeclared accounts are checked in about a second at most, the first of
them with suggestions."""


MAX_NEAR_NAME = 200
"""The longest account name that gets, or is, a suggestion: a comparison takes time with
the square of the names' length."""


def check_declared(journal: Journal) -> list[Problem]:
    """Accounts used but not declared with an `account` directive (one problem per account),
    each with the nearest declared account, when one is near: a typo is not declared."""
    declared = journal.declarations
    first: dict[str, tuple[Transaction, int]] = {}  # each undeclared account's first posting
    uses: dict[str, int] = {}
    for txn in journal.transactions:
        for posting in txn.postings:
            account = posting.account
            if account in declared:
                continue
            if account not in uses:
                first[account] = (txn, posting.line)
                uses[account] = 0
            uses[account] += 1
    # Without declarations, an account is compared with those posted to more often (the
    # typo is the rarer one); with them, with the declared accounts.
    by_use = sorted(
        (a for a in uses if len(a) <= MAX_NEAR_NAME), key=uses.__getitem__, reverse=True
    )
    counts = [-uses[a] for a in by_use]
    work = NEAR_WORK
    named = [a for a in declared if len(a) <= MAX_NEAR_NAME]
    problems: list[Problem] = []
    for account, (txn, line) in first.items():
        size = len(named) if declared else bisect_left(counts, -uses[account])
        near = ""
        if 0 < size <= work and len(account) <= MAX_NEAR_NAME:
            work -= size
            near = nearest_account(account, named if declared else by_use[:size])
        problems.append(
            Problem(
                txn.file,
                line,
                f"undeclared account '{account}'",
                f"did you mean {near}?"
                if near
                else f"declare it in the main journal: `account {account}  ; what it is for`",
            )
        )
    return problems


# -- closed years ----------------------------------------------------------------------------
#
# The close of YEAR (close.py) is one transaction tagged ``bokslut:YEAR``. It records the
# year's end state as balance assertions: every account it moves and every other account
# with a balance at year end has an ``= BALANCE`` (the balance after the close), so hledger
# checks it too. Here the books are held to that state: summed over every transaction
# dated up to the close, each asserted account must hold its asserted balance and every
# other account nothing. That is stricter than hledger, which checks an assertion in date
# order and, within a day, in reading order: it misses a transaction dated 31 December
# that is read after the close, and one whose accounts the close did not assert.

CLOSING_TAG = "bokslut"
"""Tag of a year-end closing transaction; its value is the year closed (``bokslut:2020``)."""
_YEARS = range(1000, 9999)
"""Years a closing tag may name (a date a year later must exist)."""
_LISTED = 8
"""At most this many transactions are named where a change cannot be pinned down."""


def closed_year(transaction: Transaction) -> int | None:
    """The year `transaction` closes (its ``bokslut:YEAR`` tag), None for any other."""
    tags = transaction.tags
    if not tags or CLOSING_TAG not in tags:
        return None
    value = tags[CLOSING_TAG].strip()
    if not (value.isascii() and value.isdigit()) or value != str(int(value)):
        return None  # as reports.funds reads it: the year written plainly
    return int(value) if int(value) in _YEARS else None


def closing_transactions(journal: Journal) -> dict[int, Transaction]:
    """The first closing transaction of each closed year, by year (ascending)."""
    found: dict[int, Transaction] = {}
    for txn in journal.transactions:
        if txn.tags:
            year = closed_year(txn)
            if year is not None and year not in found:
                found[year] = txn
    return dict(sorted(found.items()))


def is_lock(transaction: Transaction) -> bool:
    """A closing transaction that records its year's end state (balance assertions); the
    close of earlier versions did not."""
    return any(p.assertion is not None for p in transaction.postings)


def years_of(journal: Journal) -> list[int]:
    """The years the books have transactions in, ascending."""
    return sorted({t.date.year for t in journal.transactions})


def books_start(journal: Journal) -> int | None:
    """The first year of the books: the first closed year (years are closed oldest first,
    so a year before it that has transactions got them after that close); without a close,
    the first year with transactions that is not followed by two or more empty years."""
    return _start(closing_transactions(journal), years_of(journal))


def _start(closes: dict[int, Transaction], years: list[int]) -> int | None:
    if closes:
        return min(closes)
    for year, following in pairwise(years):
        if following - year <= 2:
            return year
    return years[-1] if years else None


def _distance(a: str, b: str) -> int:
    """Edits (a character changed, added, removed, or two neighbours swapped) from a to b."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            best = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                best = min(best, rows[-2][j - 2] + 1)
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def open_years(journal: Journal) -> list[int]:
    """The years a transaction may still be booked in: the year after the last closed year
    and any later year with transactions; without a close, the books' years from their
    start."""
    return _open_years(closing_transactions(journal), years_of(journal))


def _open_years(closes: dict[int, Transaction], years: list[int]) -> list[int]:
    if closes:
        last = max(closes)
        return sorted({last + 1, *(y for y in years if y > last)})
    start = _start(closes, years)
    return [y for y in years if start is not None and y >= start]


def meant_date(date: dt.date, open_years: list[int]) -> dt.date | None:
    """The date a typo'd `date` most likely meant: the same day in the open year whose
    number is fewest keystrokes away (the latest of equals); None when there is none."""
    candidates = [y for y in open_years if y != date.year]
    if not candidates:
        return None
    text = f"{date.year:04d}"
    year = min(candidates, key=lambda y: (_distance(text, f"{y:04d}"), -y))
    try:
        return date.replace(year=year)
    except ValueError:  # 29 February
        return date.replace(year=year, day=28)


class Years(NamedTuple):
    """What the books' years are: for the messages about a date in a closed year."""

    closes: dict[int, Transaction]
    """The first closing transaction of each closed year, ascending."""
    start: int | None
    """The first year of the books (`books_start`)."""
    open: list[int]
    """The years that may still be booked in (`open_years`)."""

    @property
    def closed_through(self) -> int | None:
        """The last closed year: every date up to its end is closed."""
        return max(self.closes) if self.closes else None

    def is_typo(self, year: int) -> bool:
        """A year before the books start: a date in it is most likely a typo."""
        return self.start is not None and year < self.start

    def typo_hint(self, date: dt.date) -> str:
        """What to say about a date before the books start."""
        meant = meant_date(date, self.open)
        return (f"did you mean {meant.isoformat()}? " if meant else "") + "correct the date"


def books_years(journal: Journal) -> Years:
    """The books' closed years, first year and open years, in one pass over the books."""
    closes = closing_transactions(journal)
    years = years_of(journal)
    return Years(closes, _start(closes, years), _open_years(closes, years))


class _Lock:
    """One closed year's recorded end state, and how the books now differ from it."""

    __slots__ = ("cut", "differences", "expected", "index", "transaction", "year")

    def __init__(self, year: int, index: int, transaction: Transaction) -> None:
        self.year = year
        self.index = index
        """Where the closing transaction is in reading order."""
        self.transaction = transaction
        self.cut = max(dt.date(year, 12, 31), transaction.date)
        """The transactions dated up to this day make up the state."""
        self.expected: dict[Account, Decimal] = {}
        for posting in transaction.postings:
            if posting.assertion is not None:
                self.expected[posting.account] = posting.assertion
        self.differences: dict[Account, Decimal] = {}


def _closes(journal: Journal) -> list[tuple[int, Transaction]]:
    """The closing transactions that record balances (a tag ``bokslut:``, a balance
    assertion), with their place in reading order."""
    return [
        (index, txn)
        for index, txn in enumerate(journal.transactions)
        if txn.tags and CLOSING_TAG in txn.tags and is_lock(txn)
    ]


def _locks(closes: list[tuple[int, Transaction]]) -> list[_Lock]:
    """The first close of each closed year, by year."""
    found: dict[int, _Lock] = {}
    for index, txn in closes:
        year = closed_year(txn)
        if year is not None and year not in found:
            found[year] = _Lock(year, index, txn)
    return [found[year] for year in sorted(found)]


def _cuts(locks: list[_Lock]) -> list[dt.date]:
    """The day each lock's state is taken at, never before an earlier lock's."""
    cuts: list[dt.date] = []
    for lock in locks:
        cuts.append(max(lock.cut, cuts[-1]) if cuts else lock.cut)
    return cuts


def _measure(locks: list[_Lock], states: list[dict[Account, Decimal]]) -> None:
    """Each lock's differences: the books' state at its day minus the recorded one."""
    for lock, state in zip(locks, states, strict=True):
        for account in state.keys() | lock.expected.keys():
            difference = state.get(account, ZERO) - lock.expected.get(account, ZERO)
            if difference:
                lock.differences[account] = difference


def _check_locks(journal: Journal, locks: list[_Lock]) -> tuple[list[Problem], list[Transaction]]:
    """The problems of measured locks, and the closing transactions whose recorded state
    no longer holds."""
    if not any(lock.differences for lock in locks):
        return [], []
    years = books_years(journal)
    problems: list[Problem] = []
    named: set[int] = set()
    explained: dict[Account, Decimal] = {}
    for lock in locks:
        # A change to an earlier closed year shows in every later year's state as well;
        # only what it does not explain is new.
        changed = {a for a, d in lock.differences.items() if explained.get(a, ZERO) != d}
        explained = lock.differences
        if not changed:
            continue
        # The suspects: what is read after the close (appended later, or in a later year's
        # file), and anything dated before the books start.
        culprits = [
            (index, txn)
            for index, txn in enumerate(journal.transactions)
            if (index > lock.index or years.is_typo(txn.date.year))
            and index not in named
            and txn.date <= lock.cut
            and closed_year(txn) is None
            and any(p.account in changed for p in txn.postings)
        ]
        for index, txn in culprits:
            named.add(index)
            problems.append(_late_transaction(journal, years, lock, txn, changed))
        if not culprits:
            problems.append(_changed_year(journal, years, lock, sorted(changed)))
    broken = [lock.transaction for lock in locks if lock.differences]
    return problems, broken


def _kr(journal: Journal, amount: Decimal) -> str:
    return journal_amount(amount, journal.commodity or "")


def _where(txn: Transaction) -> str:
    return f"{txn.file}:{txn.line}"


REOPEN = 'docs/close.md, "Correcting a closed year"'
"""Where the manual says how to reopen a closed year."""


def _late_transaction(
    journal: Journal, years: Years, lock: _Lock, txn: Transaction, changed: set[Account]
) -> Problem:
    close = lock.transaction
    accounts = ", ".join(sorted({p.account for p in txn.postings if p.account in changed}))
    date = txn.date
    if years.is_typo(date.year):
        return Problem(
            txn.file,
            txn.line,
            f"this transaction is dated {date.isoformat()}, before the books start "
            f"({years.start}), so it changes the closed year {lock.year} (closed at "
            f"{_where(close)}): {accounts}",
            years.typo_hint(date),
        )
    return Problem(
        txn.file,
        txn.line,
        f"{date.year} is closed (bokslut:{lock.year} at {_where(close)}), but this "
        f"transaction dated {date.isoformat()}, booked after the close, changes it: "
        f"{accounts}",
        f"book the correction in {_open_year(years)}, the open year, and remove this "
        f"transaction; or reopen {date.year} ({REOPEN})",
    )


def _open_year(years: Years) -> int:
    last = years.closed_through
    assert last is not None  # a lock is a close
    return last + 1


def _changed_year(journal: Journal, years: Years, lock: _Lock, accounts: list[Account]) -> Problem:
    close = lock.transaction
    lines = []
    for account in accounts:
        recorded = lock.expected.get(account, ZERO)
        now = recorded + lock.differences.get(account, ZERO)
        lines.append(
            f"{account}: recorded {_kr(journal, recorded)}, now {_kr(journal, now)} "
            f"(difference {_kr(journal, now - recorded)})"
        )
    # The transactions of the year that post to the most of these accounts: an amount
    # changed in one of them moves each of its accounts.
    start = dt.date(lock.year, 1, 1)
    wanted = set(accounts)
    touching = [
        (len(wanted.intersection(p.account for p in txn.postings)), txn)
        for txn in journal.transactions
        if start <= txn.date <= lock.cut and closed_year(txn) is None
    ]
    most = max((n for n, _ in touching), default=0)
    found = [_where(txn) for n, txn in touching if n and n == most]
    listed = ", ".join(found[-_LISTED:])
    more = f" (the last {_LISTED} of {len(found)})" if len(found) > _LISTED else ""
    where = f"; the transactions of {lock.year} on them{more}: {listed}" if found else ""
    return Problem(
        close.file,
        close.line,
        f"{lock.year} is closed, but the books no longer end it with the balances this "
        "closing transaction recorded:\n  " + "\n  ".join(lines),
        f"a transaction of {lock.year} or before was changed or added before the close"
        f"{where}. Undo the change and book the correction in {_open_year(years)}, the "
        f"open year; or reopen {lock.year} ({REOPEN})",
    )


def check_balances(journal: Journal) -> list[Problem]:
    """Balance assertions as hledger checks them, and the locks of closed years. A failed
    assertion of a closing transaction whose year is reported changed is not reported
    again: the lock's message says more."""
    locks = _locks(_closes(journal))
    # One pass in date order over every account checks the assertions and takes each
    # closed year's state: cheaper on big books than finding the asserted accounts first
    # and then following only those (which took two passes).
    assertions, states = _running(journal, _cuts(locks))
    if not locks:
        return assertions
    _measure(locks, states)
    problems, broken = _check_locks(journal, locks)
    if not broken or not assertions:
        return assertions + problems
    covered = {(t.file, p.line) for t in broken for p in t.postings}
    return [p for p in assertions if (p.file, p.line) not in covered] + problems


def nearest_account(account: str, accounts: list[str]) -> str:
    """The account of `accounts` that `account` is most likely a typo of ('' when none is
    near): close as a whole (`difflib`), and in the components where they differ, so that
    a new sibling (kostnader:drift:resor) is not taken for a typo of another
    (kostnader:drift:personal) because they share a long parent. An account above or below
    it (kostnader:drift) is no typo of it either."""
    import difflib  # here: only books with an undeclared account need it

    for candidate in difflib.get_close_matches(account, accounts, n=3, cutoff=0.8):
        if account.startswith(candidate + ":") or candidate.startswith(account + ":"):
            continue
        ours, theirs = account.split(":"), candidate.split(":")
        same = 0
        while same < min(len(ours), len(theirs)) - 1 and ours[same] == theirs[same]:
            same += 1
        differing = difflib.SequenceMatcher(
            None, ":".join(ours[same:]), ":".join(theirs[same:])
        ).ratio()
        if differing >= 0.6:
            return candidate
    return ""
