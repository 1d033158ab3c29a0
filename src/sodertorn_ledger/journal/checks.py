"""Checks that need the whole books: balance assertions and declared accounts."""

from __future__ import annotations

from decimal import Decimal

from sodertorn_ledger.journal.model import Journal, Problem, Transaction


def in_date_order(transactions: list[Transaction]) -> list[Transaction]:
    """Transactions by date; on the same date in the order they were read (as hledger)."""
    return sorted(transactions, key=lambda t: t.date)


def check_assertions(journal: Journal) -> list[Problem]:
    """Every `= AMOUNT` holds for the account's running balance, in date order (as hledger)."""
    if not any(p.assertion is not None for t in journal.transactions for p in t.postings):
        return []
    problems: list[Problem] = []
    running: dict[str, Decimal] = {}
    unit = f" {journal.commodity}" if journal.commodity else ""
    for txn in in_date_order(journal.transactions):
        for posting in txn.postings:
            balance = running.get(posting.account, Decimal(0)) + posting.amount
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
