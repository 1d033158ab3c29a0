"""Checks that need the whole books: balance assertions and declared accounts."""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from operator import attrgetter

from sodertorn_ledger.journal.model import Journal, Transaction
from sodertorn_ledger.problems import Problem


def in_date_order(transactions: list[Transaction]) -> list[Transaction]:
    """Transactions by date; on the same date in the order they were read (as hledger)."""
    return sorted(transactions, key=attrgetter("date"))


def check_assertions(journal: Journal) -> list[Problem]:
    """Every `= AMOUNT` holds for the account's running balance, in date order (as hledger)."""
    asserted = {
        p.account for t in journal.transactions for p in t.postings if p.assertion is not None
    }
    if not asserted:
        return []
    problems: list[Problem] = []
    # Running balances of the asserted accounts only: big books have few of them.
    running = dict.fromkeys(asserted, Decimal(0))
    unit = f" {journal.commodity}" if journal.commodity else ""
    for txn in in_date_order(journal.transactions):
        for posting in txn.postings:
            if posting.account not in running:
                continue
            balance = running[posting.account] + posting.amount
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
    return problems


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
