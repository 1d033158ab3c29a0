"""The annual workbook: each report mapped onto sheets of typed cells (see `sheet`).

One small function per report. Each lays its table out as the annual report prints it
and writes totals as formulas over the rows above (and the Sammanställning's UB as
IB + Intäkter + Kostnader + Överföringar), so the sheet stays live when someone edits a
figure. Every formula carries the value the tool computed for it, for tests to compare
against. Zero cells follow the one rule of `labels`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from decimal import Decimal

from sodertorn_ledger.fees import FeeReport
from sodertorn_ledger.money import ZERO
from sodertorn_ledger.render.labels import (
    BUDGET_FUNDS_HEADING,
    BUDGET_HEADINGS,
    COLUMN_NAMES,
    NO_PERCENT,
    account_label,
    balance_notes,
    budget_notes,
    budget_row_name,
    budget_title,
    credits_notes,
    date_sv,
    previous_heading,
    projects_notes,
    provisional_note,
    summary_figures,
    summary_headings,
    summary_notes,
    with_marker,
)
from sodertorn_ledger.render.sheet import (
    Amount,
    BarChart,
    Book,
    Cell,
    Count,
    Date,
    Formula,
    Sheet,
    Style,
    Text,
    ref,
    sum_formula,
)
from sodertorn_ledger.reports.balance import BalanceSheet
from sodertorn_ledger.reports.budget import BudgetReport, BudgetRow
from sodertorn_ledger.reports.funds import Summary
from sodertorn_ledger.reports.projects import ProjectsReport
from sodertorn_ledger.reports.result import OperatingResult, ResultLine
from sodertorn_ledger.reports.trace import TracedPosting


def _amount(value: Decimal, style: Style = Style.NORMAL) -> Cell:
    """A row's amount in a published table: empty for zero, as published (see `labels`)."""
    return Amount(value, style, blank_zero=True) if value else None


def _notes(sheet: Sheet, notes: list[str]) -> None:
    for note in notes:
        sheet.add(Text(note, Style.NOTE))


def summary_sheet(summary: Summary) -> Sheet:
    """Sammanställning YEAR: per fund IB, Intäkter, Kostnader, Överföringar (in a year with
    transfers) and UB (=IB+Intäkter+Kostnader[+Överföringar]); in a comparison, the same
    columns of the year before after them, its UB a formula of its own columns."""
    year = summary.year
    transfers = summary.has_transfers
    previous = summary.previous
    before = previous is not None and previous.has_transfers
    sheet = Sheet(f"Sammanställning {year}", header_rows=3)
    sheet.add(Text(f"Sammanställning {year}", Style.TITLE))
    sheet.blank()
    headings = summary_headings(year, transfers=transfers)
    if previous is not None:
        headings += [
            previous_heading(h, year) for h in summary_headings(year, transfers=before)[1:]
        ]
    sheet.add(*(Text(h, Style.HEADING) for h in headings))
    ub_column = 6 if transfers else 5
    previous_ub = ub_column + (5 if before else 4)
    first = len(sheet.rows) + 1
    nothing = (ZERO,) * (4 + before)  # a fund the year before did not have
    for fund in summary.funds:
        row = len(sheet.rows) + 1
        name = with_marker(fund.name, fund.marker)
        *figures, closing = summary_figures(fund, transfers=transfers)
        cells = [*(_amount(v) for v in figures), _ub(row, 2, ub_column, closing)]
        if previous is not None:
            *was, was_closing = (
                nothing
                if fund.previous is None
                else summary_figures(fund.previous, transfers=before)
            )
            cells += [*(_amount(v) for v in was), _ub(row, ub_column + 1, previous_ub, was_closing)]
        sheet.add(Text(name), *cells)
    last = len(sheet.rows)
    totals = summary_figures(summary.total, transfers=transfers)
    if previous is not None:
        totals += summary_figures(previous.total, transfers=before)
    sheet.add(
        Text("Summa", Style.TOTAL),
        *(
            sum_formula(column, first, last, value, style=Style.TOTAL)
            for column, value in enumerate(totals, start=2)
        ),
    )
    _notes(sheet, summary_notes(summary))
    if last >= first:
        sheet.chart = BarChart(
            title=f"Utgående balans {year} per fond",
            label_column=1,
            value_column=ub_column,
            first_row=first,
            last_row=last,
            value_title="kr",
        )
    return sheet


def _ub(row: int, first: int, ub_column: int, closing: Decimal) -> Formula:
    """A fund's UB: the sum of its columns from `first` up to the UB's."""
    parts = "+".join(ref(column, row) for column in range(first, ub_column))
    return Formula(f"={parts}", closing, blank_zero=True)


def result_sheet(result: OperatingResult) -> Sheet:
    """Drift YEAR: the operating fund's income and cost lines, Summa, Årets över-/underskott;
    in a comparison, the year before's Intäkter and Kostnader after them."""
    previous = result.previous
    sheet = Sheet(f"Drift {result.year}", header_rows=3)
    sheet.add(Text(f"{result.fund} {result.year}", Style.TITLE))
    sheet.blank()
    headings = ["Intäkter", "Kostnader"]
    if previous is not None:
        headings += [previous_heading(h, result.year) for h in headings]
    sheet.add(Text("", Style.HEADING), *(Text(h, Style.HEADING) for h in headings))
    first = len(sheet.rows) + 1
    for income, lines in ((True, result.income), (False, result.costs)):
        for line in lines:
            cells = [_amount(line.amount), None] if income else [None, _amount(line.amount)]
            if previous is not None:
                was = _amount(line.previous or ZERO)
                cells += [was, None] if income else [None, was]
            sheet.add(Text(_line_name(line)), *cells)
    last = len(sheet.rows)
    sums = [
        sum_formula(2, first, last, result.total_income, style=Style.TOTAL),
        sum_formula(3, first, last, result.total_costs, style=Style.TOTAL),
    ]
    if previous is not None:
        sums += [
            sum_formula(4, first, last, previous.total_income, style=Style.TOTAL),
            sum_formula(5, first, last, previous.total_costs, style=Style.TOTAL),
        ]
    total_row = sheet.add(Text("Summa", Style.TOTAL), *sums)
    label = "Årets överskott" if result.result >= 0 else "Årets underskott"
    figures: list[Cell] = [
        Formula(f"={ref(2, total_row)}-{ref(3, total_row)}", result.result, Style.RESULT)
    ]
    if previous is not None:
        figures += [
            None,
            Formula(f"={ref(4, total_row)}-{ref(5, total_row)}", previous.result, Style.RESULT),
        ]
    sheet.add(Text(label, Style.RESULT), *figures)
    if result.provisional:
        _notes(sheet, [provisional_note(result.year)])
    return sheet


def _line_name(line: ResultLine) -> str:
    return line.name if line.configured else f"{line.name} (konto utan rad i sodertorn.toml)"


def budget_sheet(report: BudgetReport) -> Sheet:
    """Budget YEAR: the follow-up of `ledger result YEAR --budget`. Budget and Utfall are
    figures; Avvikelse (=Utfall−Budget for income, =Budget−Utfall for costs), Utfall i %
    (=Utfall/Budget), the sums and Årets resultat are formulas, so a budget edited in the
    sheet follows through. A missing budget is an empty cell (0 in the formulas)."""
    sheet = Sheet(f"Budget {report.year}", header_rows=3)
    sheet.add(Text(budget_title(report), Style.TITLE))
    sheet.blank()
    sheet.add(Text("", Style.HEADING), *(Text(h, Style.HEADING) for h in BUDGET_HEADINGS))

    def add(
        row: BudgetRow, budget: Cell, actual: Cell, style: Style = Style.NORMAL, *, name: str
    ) -> int:
        at = len(sheet.rows) + 1
        budget_ref, actual_ref = ref(2, at), ref(3, at)
        better = (
            f"={actual_ref}-{budget_ref}"
            if row.kind in ("income", "result")
            else f"={budget_ref}-{actual_ref}"
        )
        ratio = row.ratio
        return sheet.add(
            Text(name, style),
            budget,
            actual,
            Formula(better, row.deviation, style),
            Text(NO_PERCENT, style)
            if ratio is None
            else Formula(f"={actual_ref}/{budget_ref}", ratio, style, percent=True),
        )

    def lines(rows: Sequence[BudgetRow]) -> tuple[int, int]:
        first = len(sheet.rows) + 1
        for row in rows:
            budget = None if row.budget is None else Amount(row.budget)
            add(row, budget, Amount(row.actual), name=budget_row_name(row))
        return first, len(sheet.rows)

    def total(row: BudgetRow, first: int, last: int) -> int:
        assert row.budget is not None  # a sum counts a missing budget as 0
        return add(
            row,
            sum_formula(2, first, last, row.budget, style=Style.TOTAL),
            sum_formula(3, first, last, row.actual, style=Style.TOTAL),
            Style.TOTAL,
            name=row.name,
        )

    income = total(report.total_income, *lines(report.income))
    costs = total(report.total_costs, *lines(report.costs))
    result = report.result
    assert result.budget is not None
    add(
        result,
        Formula(f"={ref(2, income)}-{ref(2, costs)}", result.budget, Style.RESULT),
        Formula(f"={ref(3, income)}-{ref(3, costs)}", result.actual, Style.RESULT),
        Style.RESULT,
        name=result.name,
    )
    if report.funds:
        sheet.blank()
        sheet.add(Text(BUDGET_FUNDS_HEADING, Style.TOTAL))
        lines(report.funds)
    _notes(sheet, budget_notes(report))
    return sheet


def projects_sheet(report: ProjectsReport) -> Sheet:
    """Projekt YEAR: each project's cost, its suppliers (payees) below it, Summa; in a
    comparison, the year before's two columns after them (0 where it had none).

    A supplier's share stands in a column of its own, so the Summa over the projects'
    column stays a plain SUM.
    """
    previous = report.previous
    sheet = Sheet(f"Projekt {report.year}", header_rows=3)
    sheet.add(Text(f"Projekt {report.year}", Style.TITLE))
    sheet.blank()
    headings = ["Kostnad", "Varav leverantör"]
    if previous is not None:
        headings += [previous_heading(h, report.year) for h in headings]
    sheet.add(
        Text("Projekt / leverantör", Style.HEADING), *(Text(h, Style.HEADING) for h in headings)
    )
    first = len(sheet.rows) + 1
    for project in report.projects:
        was: list[Cell] = [] if previous is None else [Amount(project.previous or ZERO), None]
        sheet.add(Text(project.name), Amount(project.amount), None, *was)
        for supplier in project.suppliers:
            was = [] if previous is None else [None, Amount(supplier.previous or ZERO)]
            sheet.add(Text(supplier.payee, indent=1), None, Amount(supplier.amount), *was)
    last = len(sheet.rows)
    sheet.add(
        Text("Summa", Style.TOTAL),
        sum_formula(2, first, last, report.total, style=Style.TOTAL),
        *(
            []
            if previous is None
            else [None, sum_formula(4, first, last, previous.total, style=Style.TOTAL)]
        ),
    )
    if not report.projects:
        sheet.add(Text(f"Inga projektkostnader {report.year}.", Style.NOTE))
    _notes(sheet, projects_notes(report, ore=True))
    return sheet


def fees_sheet(report: FeeReport) -> Sheet:
    """Avgifter YEAR: per member folkmängd × rate = avgift, what is booked, the difference,
    what is paid and what is not (=Bokfört−Betalt)."""
    year = report.year
    date = report.population_date
    sheet = Sheet(f"Avgifter {year}", header_rows=4, frozen_columns=2)
    sheet.add(Text(f"Avgifter {year}", Style.TITLE))
    sheet.add(
        Text(
            f"Avgift per invånare × folkmängd {date_sv(date)} (SCB)",
            Style.NOTE,
        )
    )
    sheet.blank()
    sheet.add(
        Text("Kommunkod", Style.HEADING),
        Text("Kommun", Style.HEADING),
        Text(f"Folkmängd {date.day} dec {date.year}", Style.HEADING),
        Text("Kr per invånare", Style.HEADING),
        Text("Avgift", Style.HEADING),
        Text("Bokfört", Style.HEADING),
        Text("Differens", Style.HEADING),
        Text("Betalt", Style.HEADING),
        Text("Obetalt", Style.HEADING),
    )
    first = len(sheet.rows) + 1
    for line in report.lines:
        row = len(sheet.rows) + 1
        sheet.add(
            Text(line.code),  # text: the leading zero of "0127" is part of the code
            Text(line.name),
            Count(line.population),
            Amount(report.rate, ore=True),
            Formula(f"={ref(3, row)}*{ref(4, row)}", line.fee),
            Amount(line.booked),
            Formula(f"={ref(6, row)}-{ref(5, row)}", line.difference),
            Amount(line.paid),
            Formula(f"={ref(6, row)}-{ref(8, row)}", line.unpaid),
        )
    last = len(sheet.rows)
    sheet.add(
        Text("Summa", Style.TOTAL),
        Text("", Style.TOTAL),
        sum_formula(
            3, first, last, Decimal(report.total_population), style=Style.TOTAL, count=True
        ),
        Text("", Style.TOTAL),
        sum_formula(5, first, last, report.total_fee, style=Style.TOTAL),
        sum_formula(6, first, last, report.total_booked, style=Style.TOTAL),
        sum_formula(7, first, last, report.total_difference, style=Style.TOTAL),
        sum_formula(8, first, last, report.total_paid, style=Style.TOTAL),
        sum_formula(9, first, last, report.total_unpaid, style=Style.TOTAL),
    )
    _notes(sheet, credits_notes(report.credits))
    return sheet


def balance_sheet(balance: BalanceSheet) -> Sheet:
    """Balansräkning YEAR: assets, liabilities and funds at 31 December, with their sums;
    in a comparison, those at the end of the year before in a column after them (0 where
    it had no such line)."""
    year = balance.year
    date = balance.date
    previous = balance.previous
    columns = (2,) if previous is None else (2, 3)
    sheet = Sheet(f"Balansräkning {year}", header_rows=3)
    sheet.add(Text(f"Balansräkning {date_sv(date)}", Style.TITLE))
    sheet.blank()
    headings = ["Belopp"] + ([] if previous is None else [previous_heading("Belopp", year)])
    sheet.add(Text("", Style.HEADING), *(Text(h, Style.HEADING) for h in headings))

    def section(
        title: str,
        lines: list[tuple[str, Decimal, Decimal | None]],
        label: str,
        totals: tuple[Decimal, ...],
    ) -> int:
        sheet.add(Text(title, Style.TOTAL))
        first = len(sheet.rows) + 1
        for name, amount, was in lines:
            sheet.add(
                Text(name, indent=1), *(Amount(v) for v in (amount, was or ZERO)[: len(columns)])
            )
        last = len(sheet.rows)
        row = sheet.add(
            Text(label, Style.TOTAL),
            *(
                sum_formula(column, first, last, total, style=Style.TOTAL)
                for column, total in zip(columns, totals, strict=True)
            ),
        )
        sheet.blank()
        return row

    def totals(pick: Callable[[BalanceSheet], Decimal]) -> tuple[Decimal, ...]:
        return (pick(balance),) if previous is None else (pick(balance), pick(previous))

    assets = section(
        "Tillgångar",
        [(account_label(x.name), x.amount, x.previous) for x in balance.assets],
        "Summa tillgångar",
        totals(lambda b: b.total_assets),
    )
    liabilities = section(
        "Skulder",
        [(account_label(x.name), x.amount, x.previous) for x in balance.liabilities],
        "Summa skulder",
        totals(lambda b: b.total_liabilities),
    )
    funds = section(
        "Fonder (eget kapital)",
        [(x.name, x.amount, x.previous) for x in balance.funds],
        "Summa fonder",
        totals(lambda b: b.total_funds),
    )
    both = totals(lambda b: b.total_liabilities + b.total_funds)
    sheet.add(
        Text("Summa skulder och fonder", Style.RESULT),
        *(
            Formula(f"={ref(c, liabilities)}+{ref(c, funds)}", value, Style.RESULT)
            for c, value in zip(columns, both, strict=True)
        ),
    )
    if not balance.balanced:
        sheet.add(
            Text("Skillnad (tillgångar − skulder − fonder)", Style.RESULT),
            Formula(
                f"={ref(2, assets)}-{ref(2, liabilities)}-{ref(2, funds)}",
                balance.difference,
                Style.RESULT,
            ),
        )
    _notes(sheet, balance_notes(balance))
    return sheet


UNDERLAG_HEADINGS = (
    "Datum",
    "Verifikation/Beskrivning",
    "Konto",
    "Belopp",
    "Fond",
    "Kolumn i Sammanställning",
    "Rad i Drift",
    "Projekt",
    "Fil:rad",
)


def underlag_sheet(
    year: int, postings: Sequence[TracedPosting], folder: str, *, provisional: bool = False
) -> Sheet:
    """Underlag YEAR: every posting of the year's own transactions, in date order, with
    the fund, the Sammanställning's column, the Drift line and the project it counts in,
    and its file and line (relative to `folder`, the books' folder). A filter on the
    headings, and under the table the sum of the rows the filter shows (SUBTOTAL), so a
    figure of another sheet is traced by filtering on its fund, line or project."""
    sheet = Sheet(f"Underlag {year}", header_rows=4, frozen_columns=0)
    sheet.add(Text(f"Underlag {year}", Style.TITLE))
    sheet.add(
        Text(
            f"Årets posteringar {year} (utan ingående balans och bokslut) med fonden, kolumnen "
            "i Sammanställningen, raden i Drift och projektet de räknas i. Belopp som "
            "bokfört: debet positivt, kredit negativt.",
            Style.NOTE,
        )
    )
    sheet.add(
        Text(
            "Filtrera på en fond, en rad eller ett projekt: Summa under tabellen är summan "
            "av de rader filtret visar.",
            Style.NOTE,
        )
    )
    heading = sheet.add(*(Text(h, Style.HEADING) for h in UNDERLAG_HEADINGS))
    files = {file: _relative(file, folder) for file in {p.file for p in postings}}
    for p in postings:
        sheet.add(
            Date(p.date),
            Text(f"({p.code}) {p.description}" if p.code else p.description),
            Text(p.account),
            Amount(p.amount, ore=True),
            None if p.fund is None else Text(p.fund),
            None if p.column is None else Text(COLUMN_NAMES[p.column]),
            None if p.result_line is None else Text(p.result_line),
            None if p.project is None else Text(p.project),
            Text(f"{files[p.file]}:{p.line}"),
        )
    last = len(sheet.rows)
    sheet.autofilter = (heading, last, len(UNDERLAG_HEADINGS))
    sheet.blank()
    total = sum((p.amount for p in postings), Decimal(0))
    column = UNDERLAG_HEADINGS.index("Belopp") + 1
    sheet.add(
        Text("Summa, synliga rader", Style.TOTAL),
        None,
        None,
        Formula(
            f"=SUBTOTAL(109,{ref(column, heading + 1)}:{ref(column, last)})"
            if last > heading
            else "=0",
            total,
            Style.TOTAL,
            ore=True,
        ),
    )
    if provisional:
        _notes(sheet, [provisional_note(year)])
    return sheet


def _relative(file: str, folder: str) -> str:
    """`file` relative to the books' folder: ``2020.journal``."""
    try:
        return os.path.relpath(file, folder)
    except ValueError:  # another drive (Windows)
        return file


def annual_book(
    organisation: str,
    summary: Summary,
    result: OperatingResult | None,
    projects: ProjectsReport,
    fees: FeeReport | None,
    balance: BalanceSheet,
    underlag: Sequence[TracedPosting] = (),
    folder: str = ".",
    budget: BudgetReport | None = None,
) -> Book:
    """The workbook of one year: Sammanställning first, then Drift, Projekt, Avgifter,
    Balansräkning and Underlag, the postings behind them (a sheet whose report the books
    cannot give is left out), and Budget after Drift when the year has a `budget`;
    `folder` is the books' folder, the Underlag's files are named from it."""
    year = summary.year
    sheets = [summary_sheet(summary)]
    if result is not None:
        sheets.append(result_sheet(result))
    if budget is not None:
        sheets.append(budget_sheet(budget))
    sheets.append(projects_sheet(projects))
    if fees is not None:
        sheets.append(fees_sheet(fees))
    sheets.append(balance_sheet(balance))
    sheets.append(underlag_sheet(year, underlag, folder, provisional=summary.provisional))
    return Book(
        title=f"Sammanställning {year}",
        organisation=organisation,
        year=year,
        sheets=tuple(sheets),
        subject=f"{organisation}: bokslut {year}",
    )
