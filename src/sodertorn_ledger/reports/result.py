"""`ledger result`: the operating fund's year line by line (Södertörnssamarbetet drift).

The lines and their accounts are the settings' ``[result]``; an account of the operating
fund that no line names still gets a line of its own (named by the account), so the
sums always equal the fund's row in the Sammanställning.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal
from sodertorn_ledger.reports.funds import is_provisional, movements
from sodertorn_ledger.settings import Line, Settings, covers


class ResultLine(NamedTuple):
    """A line and its amount, positive as published (income and costs alike)."""

    name: str
    amount: Decimal
    configured: bool = True
    """False for an account of the fund that no line in the settings names."""


class OperatingResult(NamedTuple):
    year: int
    fund: str
    income: tuple[ResultLine, ...]
    costs: tuple[ResultLine, ...]
    total_income: Decimal
    total_costs: Decimal
    provisional: bool = False
    """The year before has transactions but is not closed (`funds.is_provisional`)."""

    @property
    def result(self) -> Decimal:
        """Årets överskott (positive) or underskott (negative)."""
        return self.total_income - self.total_costs

    @property
    def unconfigured(self) -> list[str]:
        return [line.name for line in (*self.income, *self.costs) if not line.configured]


def _lines(
    amounts: dict[Account, Decimal], lines: tuple[Line, ...], sign: int
) -> tuple[ResultLine, ...]:
    out = []
    used: set[Account] = set()
    for line in lines:
        mine = [a for a in amounts if any(covers(p, a) for p in line.accounts)]
        used.update(mine)
        out.append(ResultLine(line.name, sign * sum((amounts[a] for a in mine), ZERO)))
    for account in sorted(set(amounts) - used):
        if amounts[account]:
            out.append(ResultLine(account, sign * amounts[account], configured=False))
    return tuple(out)


def compute_result(journal: Journal, settings: Settings, year: int) -> OperatingResult | None:
    """The operating fund of `year` by report line; None when the settings have none."""
    fund = settings.operating_fund
    if fund is None:
        return None
    income: dict[Account, Decimal] = {}
    costs: dict[Account, Decimal] = {}
    for _, posting in movements(journal, year):
        account = posting.account
        if any(covers(p, account) for p in fund.income):
            income[account] = income.get(account, ZERO) + posting.amount
        elif any(covers(p, account) for p in fund.costs):
            costs[account] = costs.get(account, ZERO) + posting.amount
    income_lines = _lines(income, settings.result.income, -1)
    cost_lines = _lines(costs, settings.result.costs, 1)
    return OperatingResult(
        year=year,
        fund=fund.name,
        income=income_lines,
        costs=cost_lines,
        total_income=sum((line.amount for line in income_lines), ZERO),
        total_costs=sum((line.amount for line in cost_lines), ZERO),
        provisional=is_provisional(journal, year),
    )
