"""Checks that need the whole books: balance assertions and declared accounts."""

from __future__ import annotations

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


def check_declared(journal: Journal) -> list[Problem]:
    """Accounts used but not declared with an `account` directive (one problem per account)."""
    declared = journal.declarations
    seen: set[str] = set()
    problems: list[Problem] = []
    for txn in journal.transactions:
        for posting in txn.postings:
            account = posting.account
            if account in declared or account in seen:
                continue
            seen.add(account)
            problems.append(
                Problem(
                    txn.file,
                    posting.line,
                    f"undeclared account '{account}'",
                    f"declare it in the main journal: `account {account}  ; what it is for`",
                )
            )
    return problems
