"""`ledger balance`: the balance sheet (balansräkning) at 31 December.

Assets and liabilities are the accounts of those classes (the journal's ``type:`` tags);
the funds are the Sammanställning's closing balances, so each fund here equals its UB
there. Assets = liabilities + funds holds whenever every account is an asset, a
liability or part of a fund; otherwise the difference is shown, and every account that
makes it is named with its share (`unbalanced_by`): an equity, income or cost account in
no fund, or an account of no class at all (a misspelt ``tilgångar:bank``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal
from sodertorn_ledger.reports.compare import with_previous_amounts
from sodertorn_ledger.reports.funds import (
    Summary,
    account_class,
    compute_summary,
    year_end_balances,
)
from sodertorn_ledger.settings import Settings


class BalanceLine(NamedTuple):
    """An account, or a fund, and its balance shown positive (a credit for liabilities)."""

    name: str
    amount: Decimal
    previous: Decimal | None = None
    """In a comparison (`compare_balance`): the balance at the end of the year before;
    None when the balance sheet had no such line then."""


class BalanceSheet(NamedTuple):
    year: int
    date: dt.date
    assets: tuple[BalanceLine, ...]
    liabilities: tuple[BalanceLine, ...]
    funds: tuple[BalanceLine, ...]
    unassigned: tuple[Account, ...]
    """Equity, income or cost accounts in no fund (`funds.Summary.unassigned`)."""
    unbalanced_by: tuple[BalanceLine, ...] = ()
    """Every account that is neither an asset, a liability nor part of a fund, with its
    share of the `difference` (its balance with the sign turned): they add up to it."""
    provisional: bool = False
    """The year before has transactions but is not closed (`funds.is_provisional`)."""
    previous: BalanceSheet | None = None
    """In a comparison (`compare_balance`): the balance sheet of the year before."""

    @property
    def total_assets(self) -> Decimal:
        return sum((line.amount for line in self.assets), ZERO)

    @property
    def total_liabilities(self) -> Decimal:
        return sum((line.amount for line in self.liabilities), ZERO)

    @property
    def total_funds(self) -> Decimal:
        return sum((line.amount for line in self.funds), ZERO)

    @property
    def difference(self) -> Decimal:
        """Assets − (liabilities + funds): zero when the balance sheet balances."""
        return self.total_assets - self.total_liabilities - self.total_funds

    @property
    def balanced(self) -> bool:
        return self.difference == ZERO


def compute_balance(
    journal: Journal, settings: Settings, year: int, summary: Summary | None = None
) -> BalanceSheet:
    """The balance sheet at 31 December of `year`, exact; the funds are the Sammanställning's
    UB (`summary`, when the caller has it already)."""
    balances = year_end_balances(journal, year)
    if summary is None:
        summary = compute_summary(journal, settings, year, balances)
    outside = {*summary.unassigned, *summary.unclassified}  # in no fund
    assets = []
    liabilities = []
    unbalanced_by = []
    for account in sorted(balances, key=_declared_order(journal)):
        amount = balances[account]
        if not amount:
            continue
        kind = account_class(journal, account)
        if kind == "A":
            assets.append(BalanceLine(account, amount))
        elif kind == "L":
            liabilities.append(BalanceLine(account, -amount))
        elif account in outside:
            unbalanced_by.append(BalanceLine(account, -amount))
    return BalanceSheet(
        year=year,
        date=dt.date(year, 12, 31),
        assets=tuple(assets),
        liabilities=tuple(liabilities),
        funds=tuple(BalanceLine(row.name, row.closing) for row in summary.funds),
        unassigned=summary.unassigned,
        unbalanced_by=tuple(unbalanced_by),
        provisional=summary.provisional,
    )


def compare_balance(sheet: BalanceSheet, previous: BalanceSheet) -> BalanceSheet:
    """`sheet` with the year before beside it: each asset, liability (paired by account)
    and fund (by name) gets its balance at the end of the year before (`compare.pair_rows`);
    a line only the year before has comes last in its section, at 0 for the year."""

    def lines(
        these: tuple[BalanceLine, ...], before: tuple[BalanceLine, ...]
    ) -> tuple[BalanceLine, ...]:
        return with_previous_amounts(
            these, before, lambda x: x.name, lambda earlier: BalanceLine(earlier.name, ZERO)
        )

    return sheet._replace(
        assets=lines(sheet.assets, previous.assets),
        liabilities=lines(sheet.liabilities, previous.liabilities),
        funds=lines(sheet.funds, previous.funds),
        previous=previous,
    )


def _declared_order(journal: Journal) -> Callable[[Account], tuple[int, str]]:
    """Sort key: declared accounts in the order of their declarations, then the rest by name."""
    order = {account: i for i, account in enumerate(journal.declarations)}

    def key(account: Account) -> tuple[int, str]:
        return (order.get(account, len(order)), account)

    return key
