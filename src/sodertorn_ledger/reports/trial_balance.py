"""The trial balance: each account's balance, whole books or one year's movement."""

from __future__ import annotations

from decimal import Decimal

from sodertorn_ledger.journal.model import Account, Journal


def trial_balance(journal: Journal, year: int | None = None) -> list[tuple[Account, Decimal]]:
    """(account, balance) sorted by account; accounts that net to zero are kept (as 0)."""
    totals: dict[Account, Decimal] = {}
    get = totals.get
    for txn in journal.transactions:
        if year is not None and txn.date.year != year:
            continue
        for posting in txn.postings:
            totals[posting.account] = get(posting.account, Decimal(0)) + posting.amount
    return sorted(totals.items())
