"""The trial balance: each account's balance, whole books or one year's movement."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sodertorn_ledger.journal.model import Account, Journal


def trial_balance(journal: Journal, year: int | None = None) -> list[tuple[Account, Decimal]]:
    """(account, balance) sorted by account; accounts that net to zero are kept (as 0)."""
    # Amounts are gathered per account and added at the end: appending is cheaper than
    # a lookup, an addition and a store per posting, and big books have many postings.
    amounts: defaultdict[Account, list[Decimal]] = defaultdict(list)
    for txn in journal.transactions:
        if year is not None and txn.date.year != year:
            continue
        for posting in txn.postings:
            amounts[posting.account].append(posting.amount)
    return sorted((account, sum(values, Decimal(0))) for account, values in amounts.items())
