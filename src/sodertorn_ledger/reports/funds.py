"""The funds (ändamålsbestämda medel) and the Sammanställning: per fund IB, Intäkter,
Kostnader, Överföringar and UB for one year, computed exactly from the books.

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
- The books' opening transaction (`is_books_opening`) is the one that brings the money
  in when the books start: dated 1 January of the books' first year, every posting on an
  asset, liability or equity account and at least one on an asset or liability (the
  bundled books' "Ingående balans 2020"). A later year needs none: it opens with the
  balances after the close of the year before.
- A year's own transactions (`year_transactions`) are those dated in it, less the closing
  transactions and the books' opening transaction. Everything else up to 31 December,
  but the year's own close, is its opening: every transaction dated earlier, the close
  of an earlier year however dated, the books' opening transaction. So the opening
  balances (`opening_balances`) are the balances at 31 December less the year's own
  postings.
- IB is the fund's balance (all its accounts) over the opening, so IB = UB of the year
  before by construction (the drift fund's result having moved to "drift från YEAR" at
  the close). Intäkter and Kostnader are the year's postings on the fund's income and
  cost accounts; Överföringar the year's postings on its balance account (a movement
  between funds, decided by the samarbetskommitté, is neither income nor cost). UB is the
  balance at 31 December, and IB + Intäkter + Kostnader + Överföringar = UB, exactly.
- A year whose previous year has transactions but no close is `provisional`: its
  opening balances still hold the previous year's income and costs (the drift result
  sits in the drift fund) until ``ledger close`` runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from sodertorn_ledger.journal.checks import CLOSING_TAG as CLOSING_TAG  # the one tag, re-exported
from sodertorn_ledger.journal.model import ZERO, Account, Journal, Posting, Transaction
from sodertorn_ledger.reports.compare import pair_rows
from sodertorn_ledger.reports.trial_balance import sums_by_account
from sodertorn_ledger.settings import Fund, Settings, covers

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
    value = str(year)
    # From the end: the years reports ask about are the last ones in the books.
    return any(
        CLOSING_TAG in t.tags and t.tags[CLOSING_TAG].strip() == value
        for t in reversed(journal.transactions)
    )


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def year_transactions(journal: Journal, year: int) -> Iterator[Transaction]:
    """The year's own transactions: dated in it, no close, not the books' opening."""
    start, end = year_bounds(year)
    opens_the_books = _books_opening(journal, year)
    return (
        t
        for t in journal.transactions
        if start <= t.date <= end and CLOSING_TAG not in t.tags and not opens_the_books(t)
    )


def _books_opening(journal: Journal, year: int) -> Callable[[Transaction], bool]:
    """Tells the books' opening transaction among `year`'s (`is_books_opening`)."""
    new_year = dt.date(year, 1, 1)
    if any(t.date < new_year for t in journal.transactions):
        return lambda _: False
    kinds: dict[Account, AccountClass | None] = {}

    def opens_the_books(transaction: Transaction) -> bool:
        if transaction.date != new_year or is_closing(transaction):
            return False
        for posting in transaction.postings:
            if posting.account not in kinds:
                kinds[posting.account] = account_class(journal, posting.account)
        found = {kinds[p.account] for p in transaction.postings}
        return found <= {"A", "L", "E"} and not found.isdisjoint({"A", "L"})

    return opens_the_books


def is_books_opening(journal: Journal, transaction: Transaction) -> bool:
    """True for the transaction that brings the money in when the books start: dated
    1 January of their first year, on assets, liabilities and equity only, at least one of
    them an asset or a liability."""
    return _books_opening(journal, transaction.date.year)(transaction)


class YearBalances(NamedTuple):
    """A year's balances, each as one pass over the books gives them."""

    opening: dict[Account, Decimal]
    """At the start of the year (`opening_balances`)."""
    moved: dict[Account, Decimal]
    """The year's own postings (`year_movements`)."""
    closing: dict[Account, Decimal]
    """At 31 December, without the year's close (`year_end_balances`)."""


def year_balances(journal: Journal, year: int) -> YearBalances:
    """The year's opening balances, own postings and balances at 31 December: opening +
    moved = closing, for every account."""
    closing = year_end_balances(journal, year)
    moved = year_movements(journal, year)
    return YearBalances(_less(closing, moved), moved, closing)


def opening_balances(journal: Journal, year: int) -> dict[Account, Decimal]:
    """Every account's balance at the start of `year`: after the close of the year before
    (and the books' opening transaction, in their first year)."""
    return year_balances(journal, year).opening


def _less(
    balances: dict[Account, Decimal], moved: dict[Account, Decimal]
) -> dict[Account, Decimal]:
    """The balances at 31 December less the year's own postings: the opening balances."""
    return {account: amount - moved.get(account, ZERO) for account, amount in balances.items()}


def movements(journal: Journal, year: int) -> Iterator[tuple[Transaction, Posting]]:
    """The year's own postings (`year_transactions`): dated in the year, no close, not the
    books' opening."""
    for t in year_transactions(journal, year):
        for p in t.postings:
            yield t, p


def in_date_order(
    pairs: Iterable[tuple[Transaction, Posting]],
) -> list[tuple[Transaction, Posting]]:
    """Postings by date, those of one day in the order the books have them (as hledger)."""
    return sorted(pairs, key=lambda tp: tp[0].date)


Column = Literal["income", "costs", "transfers"]
"""The Sammanställning's column a posting counts in: Intäkter, Kostnader, Överföringar."""


class LinePosting(NamedTuple):
    """A posting behind a figure of a report (``--detail``): where it is in the books and
    what it adds to the figure, in the figure's sign."""

    date: dt.date
    description: str
    account: Account
    amount: Decimal
    """The posting's share of its line, in the line's sign: the Sammanställning's for a
    fund (income positive, costs negative), the published one for a line of the result
    (income and costs positive), costs positive for a project."""
    file: str
    line: int
    column: Column | None = None
    """In the Sammanställning: the column the posting counts in."""


def line_posting(
    transaction: Transaction, posting: Posting, amount: Decimal, column: Column | None = None
) -> LinePosting:
    return LinePosting(
        transaction.date,
        transaction.description,
        posting.account,
        amount,
        transaction.file,
        posting.line,
        column,
    )


def year_movements(journal: Journal, year: int) -> dict[Account, Decimal]:
    """Each account's sum of the year's own postings (`movements`)."""
    return sums_by_account(year_transactions(journal, year))


def is_provisional(journal: Journal, year: int) -> bool:
    """True when the year before `year` has transactions but is not closed: `year`'s
    opening balances are not final until it is."""
    return has_transactions(journal, year - 1) and not is_closed(journal, year - 1)


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
    accounts that net to zero are kept (as 0). Summed once per year and books; each
    caller gets its own copy."""
    kept = journal.year_ends.get(year)
    if kept is None:
        kept = journal.year_ends[year] = sums_by_account(_balance_transactions(journal, year))
    return dict(kept)


def has_transactions(journal: Journal, year: int) -> bool:
    """True when the books have any transaction dated in `year`."""
    start, end = year_bounds(year)
    # From the end, as `is_closed`.
    return any(start <= t.date <= end for t in reversed(journal.transactions))


def holds_year(journal: Journal, year: int) -> bool:
    """True when the books have own transactions in `year` (`year_transactions`): an
    opening transaction or a close alone is no year of the books. A report compares with
    the year before when the books hold it."""
    return next(year_transactions(journal, year), None) is not None


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


def _all_accounts(journal: Journal) -> frozenset[Account]:
    if journal.posted_accounts is None:
        journal.posted_accounts = frozenset(
            p.account for t in journal.transactions for p in t.postings
        )
    return journal.posted_accounts.union(journal.declarations)


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


class FundPlace(NamedTuple):
    """Where a posting counts in the Sammanställning."""

    fund: int
    """The index of its fund among the year's funds (`resolve_funds`)."""
    column: Column


def fund_places(funds: Sequence[FundAccounts]) -> Callable[[Account], FundPlace | None]:
    """The rule of which fund a posting counts in, and in which column: the fund that owns
    its account; Intäkter for the fund's income accounts, Kostnader for its costs,
    Överföringar for its balance account. None for an account of no fund. The report, its
    ``--detail`` and the workbook's Underlag all place postings by it.

    Worked out once per account: big books have few accounts and many postings.
    """
    places: dict[Account, FundPlace | None] = {}

    def place(account: Account) -> FundPlace | None:
        if account not in places:
            places[account] = _place(funds, account)
        return places[account]

    return place


def _place(funds: Sequence[FundAccounts], account: Account) -> FundPlace | None:
    for i, fund in enumerate(funds):
        if not fund.owns(account):
            continue
        if any(covers(p, account) for p in fund.income):
            return FundPlace(i, "income")
        if any(covers(p, account) for p in fund.costs):
            return FundPlace(i, "costs")
        return FundPlace(i, "transfers")
    return None


class FundRow(NamedTuple):
    """One row of the Sammanställning. Signs as the report shows them: balances and
    income positive, costs negative; closing = opening + income + costs + transfers,
    exactly."""

    name: str
    note: str | None
    marker: int | None
    """Footnote number (¹⁾, ²⁾ …) when the fund has a note."""
    opening: Decimal
    """IB: the fund's balance after the close of the year before."""
    income: Decimal
    costs: Decimal
    transfers: Decimal
    """Överföringar: the year's postings on the fund's balance account (money moved
    between funds, positive into this one)."""
    closing: Decimal
    postings: tuple[LinePosting, ...] = ()
    """With ``detail``: the year's postings that make Intäkter, Kostnader and
    Överföringar, each with its column, in date order; per column they add up to it."""
    previous: Totals | None = None
    """In a comparison (`compare_summary`): the fund's figures of the year before; None
    when the fund had no row that year."""


class Totals(NamedTuple):
    opening: Decimal
    income: Decimal
    costs: Decimal
    transfers: Decimal
    closing: Decimal


class Summary(NamedTuple):
    """The Sammanställning of one year."""

    year: int
    funds: tuple[FundRow, ...]
    total: Totals
    unassigned: tuple[Account, ...]
    """Equity, income or cost accounts with postings that belong to no fund: their money
    is missing from the table (the settings need them)."""
    unclassified: tuple[Account, ...] = ()
    """Accounts with a balance that are of no class (no ``type:`` tag, no known top-level
    name) and in no fund: neither in the table nor in the balance sheet."""
    provisional: bool = False
    """The year before has transactions but is not closed (`is_provisional`)."""
    previous: Summary | None = None
    """In a comparison (`compare_summary`): the Sammanställning of the year before."""

    @property
    def notes(self) -> list[tuple[int, str]]:
        """The footnotes in marker order."""
        return [(r.marker, r.note) for r in self.funds if r.marker is not None and r.note]

    @property
    def has_transfers(self) -> bool:
        """Whether any fund moved money to another this year (the Överföringar column),
        or, with ``detail``, has postings to show in that column."""
        return any(r.transfers for r in self.funds) or any(
            p.column == "transfers" for r in self.funds for p in r.postings
        )


def compute_summary(
    journal: Journal,
    settings: Settings,
    year: int,
    balances: dict[Account, Decimal] | None = None,
    *,
    detail: bool = False,
) -> Summary:
    """The Sammanställning of `year`: every fund's IB, Intäkter, Kostnader, Överföringar
    and UB, exact. `balances`: the year's `year_end_balances`, when the caller has them
    already. With `detail`, each row has the postings behind its figures."""
    if balances is None:
        balances = year_end_balances(journal, year)
    moved = year_movements(journal, year)
    before = _less(balances, moved)
    funds = resolve_funds(journal, settings, year, balances)
    columns = ("opening", "income", "costs", "transfers", "closing")
    sums = {column: dict.fromkeys(range(len(funds)), ZERO) for column in columns}
    place = fund_places(funds)

    unassigned: set[Account] = set()
    unclassified: set[Account] = set()
    for account, amount in balances.items():
        found = place(account)
        if found is not None:
            sums["closing"][found.fund] -= amount
            continue
        kind = account_class(journal, account)
        if kind in ("E", "R", "X"):
            unassigned.add(account)
        elif kind is None and amount:
            unclassified.add(account)
    for account, amount in before.items():
        found = place(account)
        if found is not None:
            sums["opening"][found.fund] -= amount
    for account, amount in moved.items():
        found = place(account)
        if found is not None:
            sums[found.column][found.fund] -= amount
    postings: list[list[LinePosting]] = [[] for _ in funds]
    if detail:
        for transaction, posting in in_date_order(movements(journal, year)):
            found = place(posting.account)
            if found is not None:
                postings[found.fund].append(
                    line_posting(transaction, posting, -posting.amount, found.column)
                )

    rows = []
    marker = 0
    for i, fund in enumerate(funds):
        number = None
        if fund.note:
            marker += 1
            number = marker
        opening, income, costs, transfers, closing = (sums[column][i] for column in columns)
        rows.append(
            FundRow(
                fund.name,
                fund.note,
                number,
                opening,
                income,
                costs,
                transfers,
                closing,
                postings=tuple(postings[i]),
            )
        )
    total = Totals(*(sum((getattr(r, c) for r in rows), ZERO) for c in columns))
    return Summary(
        year=year,
        funds=tuple(rows),
        total=total,
        unassigned=tuple(sorted(unassigned)),
        unclassified=tuple(sorted(unclassified)),
        provisional=is_provisional(journal, year),
    )


def figures(row: FundRow) -> Totals:
    """A fund's figures: IB, Intäkter, Kostnader, Överföringar and UB."""
    return Totals(row.opening, row.income, row.costs, row.transfers, row.closing)


def compare_summary(summary: Summary, previous: Summary) -> Summary:
    """`summary` with the year before beside it: each fund gets its figures of
    `previous` (paired by name, `compare.pair_rows`); a fund only the year before has
    comes last, with the year's figures 0 (and its footnote numbered after the year's)."""
    rows = []
    marker = max((r.marker or 0 for r in summary.funds), default=0)
    for row, before in pair_rows(summary.funds, previous.funds, lambda r: r.name):
        if row is None:
            assert before is not None
            number = None
            if before.note:
                marker += 1
                number = marker
            row = FundRow(before.name, before.note, number, ZERO, ZERO, ZERO, ZERO, ZERO)
        rows.append(row._replace(previous=None if before is None else figures(before)))
    return summary._replace(funds=tuple(rows), previous=previous)
