"""The funds (ändamålsbestämda medel) and the Sammanställning: per fund IB, Intäkter,
Kostnader and UB for one year, computed exactly from the books.

How a year is read
------------------
- A fund is made of accounts (settings: ``[[funds]]``): its balance account (equity,
  ``fonder:…``), its income accounts and its cost accounts, each with subaccounts.
- The operating fund (Södertörnssamarbetet drift) has no balance account: it starts
  every year at zero. The year-end close moves its result into a new equity account
  ``fonder:drift från YEAR`` (the settings' ``result_account``); every such account in
  the books (declared or posted) is a fund of its own, shown after the listed funds,
  newest first, named by the ``fond:`` tag of its declaration.
- A closing transaction is tagged ``bokslut:YEAR`` (`CLOSING_TAG`). It is never income
  or costs, and it belongs to the year after the one it closes: it is left out of
  YEAR's balances and counted in every later year's. So the close may be dated
  31 December or 1 January.
- Intäkter and Kostnader are the year's postings on the fund's income and cost
  accounts. UB is the fund's balance (all its accounts) at 31 December. IB is what
  remains: UB − Intäkter − Kostnader, i.e. the balance brought in plus any posting on the
  fund's balance account during the year (the opening transaction on 1 January).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Literal, NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal, Posting, Transaction
from sodertorn_ledger.reports.trial_balance import sums_by_account
from sodertorn_ledger.settings import Fund, Settings, covers

CLOSING_TAG = "bokslut"
"""Tag of a year-end closing transaction; its value is the year closed (``bokslut:2020``)."""

AccountClass = Literal["A", "L", "E", "R", "X"]
"""Assets, liabilities, equity (the funds), revenue (income), expenses (costs)."""

_HLEDGER_TYPES: dict[str, AccountClass] = {
    "A": "A",
    "C": "A",  # cash is an asset
    "L": "L",
    "E": "E",
    "V": "E",  # conversion is equity
    "R": "R",
    "X": "X",
}
# Without a `type:` tag, the top-level name decides, as hledger guesses from English names.
_TOP_LEVEL_NAMES: dict[str, AccountClass] = {
    "tillgångar": "A",
    "assets": "A",
    "asset": "A",
    "skulder": "L",
    "liabilities": "L",
    "liability": "L",
    "fonder": "E",
    "eget kapital": "E",
    "equity": "E",
    "intäkter": "R",
    "income": "R",
    "revenue": "R",
    "revenues": "R",
    "kostnader": "X",
    "expenses": "X",
    "expense": "X",
}


def account_class(journal: Journal, account: Account) -> AccountClass | None:
    """The account's class: the `type:` tag of it or its nearest declared parent, else
    the top-level name; None when neither tells."""
    parts = account.split(":")
    for n in range(len(parts), 0, -1):
        declaration = journal.declarations.get(":".join(parts[:n]))
        if declaration is not None:
            kind = declaration.tags.get("type", "").strip()[:1].upper()
            if kind in _HLEDGER_TYPES:
                return _HLEDGER_TYPES[kind]
    return _TOP_LEVEL_NAMES.get(parts[0].casefold())


def is_closing(transaction: Transaction) -> bool:
    return CLOSING_TAG in transaction.tags


def closing_transactions(journal: Journal, year: int) -> list[Transaction]:
    """The transactions tagged ``bokslut:YEAR`` (there should be at most one)."""
    value = str(year)
    return [t for t in journal.transactions if t.tags.get(CLOSING_TAG, "").strip() == value]


def is_closed(journal: Journal, year: int) -> bool:
    return bool(closing_transactions(journal, year))


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _movement_transactions(journal: Journal, year: int) -> Iterator[Transaction]:
    start, end = year_bounds(year)
    return (t for t in journal.transactions if start <= t.date <= end and not is_closing(t))


def movements(journal: Journal, year: int) -> Iterator[tuple[Transaction, Posting]]:
    """The year's postings that are income or costs: dated in the year, no close."""
    for t in _movement_transactions(journal, year):
        for p in t.postings:
            yield t, p


def year_movements(journal: Journal, year: int) -> dict[Account, Decimal]:
    """Each account's sum of the year's postings that are income or costs (`movements`)."""
    return sums_by_account(_movement_transactions(journal, year))


def _balance_transactions(journal: Journal, year: int) -> Iterator[Transaction]:
    """The transactions that make up the balances at 31 December of `year`.

    Every transaction dated up to then, except the close of `year` itself, which belongs
    to the next year's opening balances.
    """
    end = year_bounds(year)[1]
    closes_this_year = str(year)
    return (
        t
        for t in journal.transactions
        if t.date <= end and t.tags.get(CLOSING_TAG, "").strip() != closes_this_year
    )


def year_end_balances(journal: Journal, year: int) -> dict[Account, Decimal]:
    """Every account's balance at 31 December of `year`, leaving out that year's close;
    accounts that net to zero are kept (as 0)."""
    return sums_by_account(_balance_transactions(journal, year))


def has_transactions(journal: Journal, year: int) -> bool:
    """True when the books have any transaction dated in `year`."""
    start, end = year_bounds(year)
    return any(start <= t.date <= end for t in journal.transactions)


def years_in(journal: Journal) -> list[int]:
    """The years the books have transactions in, ascending."""
    return sorted({t.date.year for t in journal.transactions})


class FundAccounts(NamedTuple):
    """A fund as found in the books for one year: its name and the accounts it is made of."""

    name: str
    note: str | None
    balance: tuple[Account, ...]
    """Equity accounts holding the fund's balance (none for the operating fund)."""
    income: tuple[Account, ...]
    costs: tuple[Account, ...]
    operating: bool = False
    """The fund that starts every year at zero (Södertörnssamarbetet drift)."""
    result_of: int | None = None
    """For a fund holding an earlier year's operating result ("drift från 2019"): that year."""

    def owns(self, account: Account) -> bool:
        return any(covers(p, account) for p in (*self.balance, *self.income, *self.costs))


def _all_accounts(journal: Journal) -> set[Account]:
    accounts = set(journal.declarations)
    accounts.update(p.account for t in journal.transactions for p in t.postings)
    return accounts


def result_funds(
    journal: Journal, settings: Settings, year: int, balances: dict[Account, Decimal]
) -> list[FundAccounts]:
    """The funds holding earlier years' operating results, newest first.

    Every ``fonder:drift från YYYY`` account in the books (declared or posted) with YYYY
    before `year`, or with a balance counted in `year` (so no money goes unshown);
    `balances` are the year's `year_end_balances`.
    """
    operating = settings.operating_fund
    if operating is None:
        return []
    counted = balances.keys()
    found: list[tuple[int, Account]] = []
    for account in _all_accounts(journal):
        of_year = operating.result_account_year(account)
        if of_year is not None and (of_year < year or account in counted):
            found.append((of_year, account))
    funds = []
    for of_year, account in sorted(found, reverse=True):
        declaration = journal.declarations.get(account)
        name = declaration.tags.get("fond", "").strip() if declaration else ""
        funds.append(
            FundAccounts(
                name=name or f"{operating.name} från {of_year}",
                note=None,
                balance=(account,),
                income=(),
                costs=(),
                result_of=of_year,
            )
        )
    return funds


def _from_settings(fund: Fund) -> FundAccounts:
    return FundAccounts(
        name=fund.name,
        note=fund.note,
        balance=(fund.account,) if fund.account else (),
        income=tuple(fund.income),
        costs=tuple(fund.costs),
        operating=fund.is_operating,
    )


def resolve_funds(
    journal: Journal, settings: Settings, year: int, balances: dict[Account, Decimal]
) -> list[FundAccounts]:
    """Every fund of `year` in the order of the Sammanställning: the settings' funds, then
    the earlier years' operating results, newest first."""
    return [_from_settings(f) for f in settings.funds] + result_funds(
        journal, settings, year, balances
    )


def fund_of(funds: Iterable[FundAccounts], account: Account) -> FundAccounts | None:
    return next((f for f in funds if f.owns(account)), None)


class FundRow(NamedTuple):
    """One row of the Sammanställning. Signs as the report shows them: balances and
    income positive, costs negative; closing = opening + income + costs, exactly."""

    name: str
    note: str | None
    marker: int | None
    """Footnote number (¹⁾, ²⁾ …) when the fund has a note."""
    opening: Decimal
    income: Decimal
    costs: Decimal
    closing: Decimal


class Totals(NamedTuple):
    opening: Decimal
    income: Decimal
    costs: Decimal
    closing: Decimal


class Summary(NamedTuple):
    """The Sammanställning of one year."""

    year: int
    funds: tuple[FundRow, ...]
    total: Totals
    unassigned: tuple[Account, ...]
    """Equity, income or cost accounts with postings that belong to no fund: their money
    is missing from the table (the settings need them)."""

    @property
    def notes(self) -> list[tuple[int, str]]:
        """The footnotes in marker order."""
        return [(r.marker, r.note) for r in self.funds if r.marker is not None and r.note]


def compute_summary(
    journal: Journal,
    settings: Settings,
    year: int,
    balances: dict[Account, Decimal] | None = None,
) -> Summary:
    """The Sammanställning of `year`: every fund's IB, Intäkter, Kostnader and UB, exact.
    `balances`: the year's `year_end_balances`, when the caller has them already."""
    if balances is None:
        balances = year_end_balances(journal, year)
    funds = resolve_funds(journal, settings, year, balances)
    income = dict.fromkeys(range(len(funds)), ZERO)
    costs = dict.fromkeys(range(len(funds)), ZERO)
    closing = dict.fromkeys(range(len(funds)), ZERO)
    # Which fund an account belongs to, and as what, is worked out once per account:
    # big books have few accounts and many postings.
    index: dict[Account, int | None] = {}
    roles: dict[Account, str] = {}

    def which(account: Account) -> int | None:
        if account not in index:
            index[account] = next((i for i, f in enumerate(funds) if f.owns(account)), None)
        return index[account]

    def role(account: Account, fund: FundAccounts) -> str:
        if account not in roles:
            if any(covers(p, account) for p in fund.income):
                roles[account] = "income"
            elif any(covers(p, account) for p in fund.costs):
                roles[account] = "costs"
            else:
                roles[account] = "balance"
        return roles[account]

    unassigned: set[Account] = set()
    for account, amount in balances.items():
        i = which(account)
        if i is not None:
            closing[i] -= amount
        elif account_class(journal, account) in ("E", "R", "X"):
            unassigned.add(account)
    for account, amount in year_movements(journal, year).items():
        i = which(account)
        if i is None:
            continue
        kind = role(account, funds[i])
        if kind == "income":
            income[i] -= amount
        elif kind == "costs":
            costs[i] -= amount

    rows = []
    marker = 0
    for i, fund in enumerate(funds):
        number = None
        if fund.note:
            marker += 1
            number = marker
        rows.append(
            FundRow(
                name=fund.name,
                note=fund.note,
                marker=number,
                opening=closing[i] - income[i] - costs[i],
                income=income[i],
                costs=costs[i],
                closing=closing[i],
            )
        )
    total = Totals(
        opening=sum((r.opening for r in rows), ZERO),
        income=sum((r.income for r in rows), ZERO),
        costs=sum((r.costs for r in rows), ZERO),
        closing=sum((r.closing for r in rows), ZERO),
    )
    return Summary(year=year, funds=tuple(rows), total=total, unassigned=tuple(sorted(unassigned)))
