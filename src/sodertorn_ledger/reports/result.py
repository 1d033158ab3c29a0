"""`ledger result`: the operating fund's year line by line (Södertörnssamarbetet drift).

The lines and their accounts are the settings' ``[result]``; an account of the operating
fund that no line names still gets a line of its own (named by the account), so the
sums always equal the fund's row in the Sammanställning.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal
from sodertorn_ledger.reports.compare import with_previous_amounts
from sodertorn_ledger.reports.funds import (
    LinePosting,
    in_date_order,
    is_provisional,
    line_posting,
    movements,
)
from sodertorn_ledger.settings import Fund, Line, Settings, covers


class ResultLine(NamedTuple):
    """A line and its amount, positive as published (income and costs alike)."""

    name: str
    amount: Decimal
    configured: bool = True
    """False for an account of the fund that no line in the settings names."""
    postings: tuple[LinePosting, ...] = ()
    """With ``detail``: the postings that make the line, in date order, in the line's
    sign; they add up to `amount`."""
    previous: Decimal | None = None
    """In a comparison (`compare_result`): the line's amount the year before; None when
    it had no such line."""


class OperatingResult(NamedTuple):
    year: int
    fund: str
    income: tuple[ResultLine, ...]
    costs: tuple[ResultLine, ...]
    total_income: Decimal
    total_costs: Decimal
    provisional: bool = False
    """The year before has transactions but is not closed (`funds.is_provisional`)."""
    previous: OperatingResult | None = None
    """In a comparison (`compare_result`): the operating fund of the year before."""

    @property
    def result(self) -> Decimal:
        """Årets överskott (positive) or underskott (negative)."""
        return self.total_income - self.total_costs

    @property
    def unconfigured(self) -> list[str]:
        """The year's lines of accounts that no line names (a line only the year before
        has, in a comparison, is not the year's)."""
        return [
            line.name for line in (*self.income, *self.costs) if not line.configured and line.amount
        ]


class LinePlace(NamedTuple):
    """The line of `ledger result` a posting counts on."""

    income: bool
    """An income line (else a cost line)."""
    name: str
    configured: bool = True
    """False for an account of the fund that no line names: a line of its own, named by
    the account."""


def result_places(fund: Fund, settings: Settings) -> Callable[[Account], LinePlace | None]:
    """The rule of which line of `ledger result` a posting counts on: an income account
    of the operating `fund` on the income line of ``[result]`` that names it, a cost
    account on the cost line that names it (lines do not overlap), else on a line of its
    own; None for an account outside the fund. The report, its ``--detail`` and the
    workbook's Underlag all place postings by it. Worked out once per account."""
    places: dict[Account, LinePlace | None] = {}

    def place(account: Account) -> LinePlace | None:
        if account not in places:
            places[account] = _place(fund, settings, account)
        return places[account]

    return place


def _place(fund: Fund, settings: Settings, account: Account) -> LinePlace | None:
    if any(covers(p, account) for p in fund.income):
        income, lines = True, settings.result.income
    elif any(covers(p, account) for p in fund.costs):
        income, lines = False, settings.result.costs
    else:
        return None
    for line in lines:
        if any(covers(p, account) for p in line.accounts):
            return LinePlace(income, line.name)
    return LinePlace(income, account, configured=False)


def _lines(
    lines: tuple[Line, ...],
    amounts: dict[LinePlace, Decimal],
    postings: dict[LinePlace, list[LinePosting]],
    income: bool,
) -> tuple[ResultLine, ...]:
    """The configured lines in the settings' order (each, even at zero), then the lines of
    their own, by account, when not zero."""
    sign = -1 if income else 1
    out = []
    for line in lines:
        key = LinePlace(income, line.name)
        amount = sign * amounts.get(key, ZERO)
        out.append(ResultLine(line.name, amount, postings=tuple(postings.get(key, ()))))
    own = sorted(
        (key for key in amounts if key.income == income and not key.configured),
        key=lambda key: key.name,
    )
    for key in own:
        if amounts[key]:
            amount = sign * amounts[key]
            out.append(ResultLine(key.name, amount, False, tuple(postings.get(key, ()))))
    return tuple(out)


def compute_result(
    journal: Journal, settings: Settings, year: int, *, detail: bool = False
) -> OperatingResult | None:
    """The operating fund of `year` by report line; None when the settings have none.
    With `detail`, each line has the postings that make it."""
    fund = settings.operating_fund
    if fund is None:
        return None
    place = result_places(fund, settings)
    # Summed per account first: big books have few accounts and many postings.
    by_account: dict[Account, Decimal] = {}
    postings: dict[LinePlace, list[LinePosting]] = {}
    for _, posting in movements(journal, year):
        account = posting.account
        if account in by_account:
            by_account[account] += posting.amount
        elif place(account) is not None:
            by_account[account] = posting.amount
    amounts: dict[LinePlace, Decimal] = {}
    for account, amount in by_account.items():
        key = place(account)
        if key is not None:
            amounts[key] = amounts.get(key, ZERO) + amount
    if detail:
        for transaction, posting in in_date_order(movements(journal, year)):
            key = place(posting.account)
            if key is not None:
                amount = -posting.amount if key.income else posting.amount
                postings.setdefault(key, []).append(line_posting(transaction, posting, amount))
    income_lines = _lines(settings.result.income, amounts, postings, True)
    cost_lines = _lines(settings.result.costs, amounts, postings, False)
    return OperatingResult(
        year=year,
        fund=fund.name,
        income=income_lines,
        costs=cost_lines,
        total_income=sum((line.amount for line in income_lines), ZERO),
        total_costs=sum((line.amount for line in cost_lines), ZERO),
        provisional=is_provisional(journal, year),
    )


def compare_result(result: OperatingResult, previous: OperatingResult) -> OperatingResult:
    """`result` with the year before beside it: each line gets its amount of `previous`
    (paired by name, `compare.pair_rows`); a line only the year before has comes after
    the year's lines of its kind, with the year's amount 0."""

    def lines(
        these: tuple[ResultLine, ...], before: tuple[ResultLine, ...]
    ) -> tuple[ResultLine, ...]:
        return with_previous_amounts(
            these,
            before,
            lambda x: x.name,
            lambda earlier: ResultLine(earlier.name, ZERO, earlier.configured),
        )

    return result._replace(
        income=lines(result.income, previous.income),
        costs=lines(result.costs, previous.costs),
        previous=previous,
    )
