"""The trial balance: each account's balance, whole books or one year's movement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal, Transaction


def sums_by_account(transactions: Iterable[Transaction]) -> dict[Account, Decimal]:
    """Each account's sum over the postings of `transactions`; accounts that net to zero
    are kept (as 0)."""
    # Amounts are gathered per account and added at the end: appending is cheaper than
    # a lookup, an addition and a store per posting, and big books have many postings.
    amounts: defaultdict[Account, list[Decimal]] = defaultdict(list)
    for txn in transactions:
        for posting in txn.postings:
            amounts[posting.account].append(posting.amount)
    return {account: sum(values, ZERO) for account, values in amounts.items()}


class TrialBalance(NamedTuple):
    """Every account's balance (or movement within `year`), sorted by account."""

    year: int | None
    rows: tuple[tuple[Account, Decimal], ...]
    """(account, balance); an account that nets to zero is kept (as 0)."""
    total: Decimal
    """Zero when the books balance, as every transaction must."""


def trial_balance(journal: Journal, year: int | None = None) -> TrialBalance:
    """The whole books' balances, or the movements within `year`."""
    transactions = (
        journal.transactions
        if year is None
        else (t for t in journal.transactions if t.date.year == year)
    )
    rows = tuple(sorted(sums_by_account(transactions).items()))
    return TrialBalance(year, rows, sum((b for _, b in rows), ZERO))
