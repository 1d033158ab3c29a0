"""`ledger result YEAR --budget`: the operating fund's lines against the year's budget
(budgetuppföljning), and the funds the budget names.

The budget is ``[budget.YEAR]`` of the settings, by the name of a line of ``[result]`` or
of a fund (docs/budget.md says why it lives there). Up to a day of the year, the budget
counts with the share of the year's days that have passed, each line's share rounded to
whole öre, half up; the outcome (Utfall) counts the postings up to and including that day.
Avvikelse is positive when the outcome is better than the budget, as Swedish
municipalities report it: income above budget, costs below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from sodertorn_ledger.journal.model import ZERO, Journal
from sodertorn_ledger.reports.funds import FundRow
from sodertorn_ledger.reports.result import OperatingResult, ResultLine
from sodertorn_ledger.settings import Settings

Kind = Literal["income", "costs", "result", "fund"]
"""What a row is: income (more is better), costs and a fund's costs (less is better), or
Årets resultat (income − costs; more is better)."""


class BudgetPeriod(NamedTuple):
    """The part of the budget year a follow-up covers: 1 January up to and including
    `through`."""

    year: int
    through: dt.date

    @property
    def days(self) -> int:
        """Days of the year up to and including `through`."""
        return (self.through - dt.date(self.year, 1, 1)).days + 1

    @property
    def year_days(self) -> int:
        return (dt.date(self.year + 1, 1, 1) - dt.date(self.year, 1, 1)).days

    @property
    def whole_year(self) -> bool:
        return self.days == self.year_days

    def share(self, budget: Decimal) -> Decimal:
        """The budget's share to date: budget × days / days of the year, in whole öre
        (half up), computed exactly in öre."""
        if self.whole_year:
            return budget
        ore = int(budget * 100) * self.days
        whole, rest = divmod(ore, self.year_days)
        if 2 * rest >= self.year_days:
            whole += 1
        return Decimal(whole) / 100


def budget_period(year: int, through: dt.date | None, today: dt.date) -> BudgetPeriod:
    """The period of a follow-up of `year`: up to `through` when given; else up to
    `today` in the current year, the whole year otherwise. `through` must lie in `year`
    (the command checks)."""
    if through is None:
        through = today if today.year == year else dt.date(year, 12, 31)
    return BudgetPeriod(year, through)


def through_date(journal: Journal, through: dt.date) -> Journal:
    """The books as they stood at the end of `through`: transactions dated later left out
    (the records are shared, not copied)."""
    shown = Journal(journal.root)
    shown.files = journal.files
    shown.declarations = journal.declarations
    shown.commodity = journal.commodity
    shown.problems = journal.problems
    shown.transactions = [t for t in journal.transactions if t.date <= through]
    return shown


class BudgetRow(NamedTuple):
    """A line (or fund, or sum) with its budget to date and its outcome, both positive as
    the result shows them (income and costs alike)."""

    name: str
    kind: Kind
    budget: Decimal | None
    """The budget to date (the year's, prorated); None when the budget does not name
    the line. A sum counts a missing budget as 0."""
    actual: Decimal
    year_budget: Decimal | None = None
    """The whole year's budget (equal to `budget` for the whole year)."""
    configured: bool = True
    """False for an account of the operating fund that no line of ``[result]`` names."""

    @property
    def deviation(self) -> Decimal:
        """Avvikelse, positive = better than budget: income and the result outcome −
        budget, costs budget − outcome (a missing budget counts as 0)."""
        budget = self.budget or ZERO
        if self.kind in ("income", "result"):
            return self.actual - budget
        return budget - self.actual

    @property
    def ratio(self) -> Decimal | None:
        """Utfall i % as a fraction (0.932 for 93.2 %): outcome / budget; None when the
        budget is missing or 0, and for Årets resultat (a surplus is no share of one)."""
        if self.kind == "result" or self.budget is None or self.budget <= ZERO:
            return None
        return self.actual / self.budget

    @property
    def flagged(self) -> bool:
        """An outcome without a budget (none, or 0): shown with a marker and a note."""
        return self.kind != "result" and bool(self.actual) and not self.budget


class BudgetReport(NamedTuple):
    year: int
    fund: str
    """The operating fund's name."""
    period: BudgetPeriod
    income: tuple[BudgetRow, ...]
    costs: tuple[BudgetRow, ...]
    total_income: BudgetRow
    total_costs: BudgetRow
    result: BudgetRow
    """Årets resultat: budgeted and actual income − costs."""
    funds: tuple[BudgetRow, ...] = ()
    """The funds with their own balance and their costs, when the budget names any."""
    provisional: bool = False

    @property
    def unconfigured(self) -> list[str]:
        """Accounts of the operating fund that no line of ``[result]`` names."""
        return [row.name for row in (*self.income, *self.costs) if not row.configured]

    @property
    def flagged(self) -> list[str]:
        """The names of the rows with an outcome and no budget."""
        return [row.name for row in (*self.income, *self.costs, *self.funds) if row.flagged]


def _row(
    line: ResultLine, kind: Kind, budget: Mapping[str, Decimal], period: BudgetPeriod
) -> BudgetRow:
    year_budget = budget.get(line.name) if line.configured else None
    shared = None if year_budget is None else period.share(year_budget)
    return BudgetRow(line.name, kind, shared, line.amount, year_budget, line.configured)


def _total(name: str, kind: Kind, rows: Sequence[BudgetRow]) -> BudgetRow:
    budget = sum((row.budget or ZERO for row in rows), ZERO)
    year_budget = sum((row.year_budget or ZERO for row in rows), ZERO)
    actual = sum((row.actual for row in rows), ZERO)
    return BudgetRow(name, kind, budget, actual, year_budget)


def compute_budget(
    result: OperatingResult,
    budget: Mapping[str, Decimal],
    period: BudgetPeriod,
    funds: Sequence[FundRow] = (),
) -> BudgetReport:
    """The follow-up of `result` (the operating fund up to the period's end) against
    `budget` (the year's, by line or fund name). `funds`: the Sammanställning's rows of
    the funds with their own balance, up to the period's end; shown only when the budget
    names one of them."""
    income = tuple(_row(line, "income", budget, period) for line in result.income)
    costs = tuple(_row(line, "costs", budget, period) for line in result.costs)
    total_income = _total("Summa intäkter", "income", income)
    total_costs = _total("Summa kostnader", "costs", costs)
    assert total_income.year_budget is not None and total_costs.year_budget is not None
    assert total_income.budget is not None and total_costs.budget is not None
    outcome = BudgetRow(
        "Årets resultat",
        "result",
        total_income.budget - total_costs.budget,
        total_income.actual - total_costs.actual,
        total_income.year_budget - total_costs.year_budget,
    )
    fund_rows: tuple[BudgetRow, ...] = ()
    if any(row.name in budget for row in funds):
        fund_rows = tuple(
            BudgetRow(
                row.name,
                "fund",
                None if row.name not in budget else period.share(budget[row.name]),
                ZERO - row.costs,  # the Sammanställning shows costs negative
                budget.get(row.name),
            )
            for row in funds
        )
    return BudgetReport(
        year=result.year,
        fund=result.fund,
        period=period,
        income=income,
        costs=costs,
        total_income=total_income,
        total_costs=total_costs,
        result=outcome,
        funds=fund_rows,
        provisional=result.provisional,
    )


def follow_up(journal: Journal, settings: Settings, period: BudgetPeriod) -> BudgetReport | None:
    """The follow-up of the period's year from the books: the result and the funds up to
    the period's end against ``[budget.YEAR]``; None when the settings have no budget for
    the year or no operating fund."""
    from sodertorn_ledger.reports.funds import compute_summary
    from sodertorn_ledger.reports.result import compute_result

    year = period.year
    budget = settings.budget_for(year)
    if budget is None:
        return None
    books = journal if period.whole_year else through_date(journal, period.through)
    result = compute_result(books, settings, year)
    if result is None:
        return None
    funds: list[FundRow] = []
    if any(f.name in budget for f in settings.funds if not f.is_operating):
        own = {f.name for f in settings.funds if not f.is_operating}
        funds = [row for row in compute_summary(books, settings, year).funds if row.name in own]
    return compute_budget(result, budget, period, funds)
