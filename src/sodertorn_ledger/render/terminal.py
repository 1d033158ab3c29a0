"""Every command's table for the terminal: rich's Table, with the annual report's Swedish
headings.

Amounts are rounded per cell, half up, to whole kronor (or shown in öre with
``ore=True``); zero cells follow the one rule of `labels` (a row's zero blank in the
Sammanställning and the result, as published; 0 in totals and other tables); negatives
carry a real minus sign. Totals are bold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from sodertorn_ledger.money import ZERO, format_count, format_sv
from sodertorn_ledger.problems import printable
from sodertorn_ledger.render.labels import (
    BUDGET_FUNDS_HEADING,
    BUDGET_HEADINGS,
    account_label,
    balance_notes,
    budget_notes,
    budget_percent,
    budget_row_name,
    budget_title,
    credits_notes,
    date_sv,
    posting_label,
    previous_heading,
    projects_notes,
    provisional_note,
    summary_figures,
    summary_headings,
    summary_notes,
    with_marker,
)

if TYPE_CHECKING:  # each command imports only the report it makes
    from sodertorn_ledger.close import ClosePlan
    from sodertorn_ledger.fees import FeeReport, Receivables
    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.budget import BudgetReport, BudgetRow
    from sodertorn_ledger.reports.funds import Column, LinePosting, Summary
    from sodertorn_ledger.reports.projects import ProjectsReport
    from sodertorn_ledger.reports.register import Register
    from sodertorn_ledger.reports.result import OperatingResult
    from sodertorn_ledger.reports.trial_balance import TrialBalance
    from sodertorn_ledger.settings import Member


def make_console() -> Console:
    """A console for stdout: the terminal's width, or unlimited when piped (no wrapping).

    Every string is shown as written: no markup ("[b]"), no emoji codes (":fire:", which
    an account name can spell), no highlighting.
    """
    console = Console(highlight=False, markup=False, emoji=False)
    if not console.is_terminal:
        console.width = 1000
    return console


def cell(amount: Decimal, *, ore: bool, blank_zero: bool = False) -> str:
    """An amount's cell; `blank_zero`: a zero is left empty, as the published tables do."""
    if blank_zero and amount == ZERO:
        return ""
    return format_sv(amount, ore=ore)


def _table(title: str, *, title_left: bool = True, footer: bool = False) -> Table:
    """A report table: title above, headings with a rule below, no other lines."""
    return Table(
        title=title,
        title_justify="left" if title_left else "center",
        title_style="bold" if title_left else None,
        box=box.SIMPLE_HEAD,
        show_footer=footer,
    )


DETAIL = "dim"
"""The style of the postings under a line (``--detail``)."""


def _detail_row(
    table: Table, posting: LinePosting, column: int, columns: int, *, ore: bool, indent: str
) -> None:
    """A posting under its line: its label in the first column, its amount in `column`
    (counted from 1, after the label) of `columns`."""
    cells = [""] * columns
    cells[column - 1] = cell(posting.amount, ore=ore)
    # printable: a description may hold terminal escapes (\x1b), shown as text.
    table.add_row(Text(indent + printable(posting_label(posting))), *cells, style=DETAIL)


_SUMMARY_COLUMNS: dict[Column | None, int] = {"income": 2, "costs": 3, "transfers": 4}
"""The Sammanställning's column of each kind of posting (1 is IB)."""


def render_summary(summary: Summary, *, ore: bool = False) -> RenderableType:
    """The Sammanställning; in a comparison, the year before's columns after the year's
    (its Överföringar when that year has any)."""
    year = summary.year
    transfers = summary.has_transfers
    previous = summary.previous
    before = previous is not None and previous.has_transfers
    table = _table(f"Sammanställning {year}")
    headings = summary_headings(year, transfers=transfers)
    if previous is not None:
        headings += [
            previous_heading(h, year) for h in summary_headings(year, transfers=before)[1:]
        ]
    for i, heading in enumerate(headings):
        table.add_column(heading, justify="right" if i else "left")
    nothing = (ZERO,) * (4 + before)  # a fund the year before did not have
    for row in summary.funds:
        figures = summary_figures(row, transfers=transfers)
        if previous is not None:
            figures += (
                nothing if row.previous is None else summary_figures(row.previous, transfers=before)
            )
        table.add_row(
            with_marker(row.name, row.marker),
            *(cell(v, ore=ore, blank_zero=True) for v in figures),
        )
        for posting in row.postings:
            column = _SUMMARY_COLUMNS[posting.column]
            _detail_row(table, posting, column, len(headings) - 1, ore=ore, indent="  ")
    table.add_section()
    totals = summary_figures(summary.total, transfers=transfers)
    if previous is not None:
        totals += summary_figures(previous.total, transfers=before)
    table.add_row("Summa", *(cell(v, ore=ore) for v in totals), style="bold")
    return Group(table, *(Text(note) for note in summary_notes(summary)))


def render_summary_stacked(summary: Summary, *, ore: bool = False) -> RenderableType:
    """The Sammanställning of a comparison for a terminal too narrow for both years side
    by side: the year's table (with the rows of funds only the year before had), then the
    year before's own, as `ledger summary YEAR−1` shows it."""
    if summary.previous is None:
        return render_summary(summary, ore=ore)
    return Group(
        render_summary(summary._replace(previous=None), ore=ore),
        Text(""),
        render_summary(summary.previous, ore=ore),
    )


def render_result(result: OperatingResult, *, ore: bool = False) -> RenderableType:
    """The operating fund; in a comparison, the year before's Intäkter and Kostnader after
    the year's."""
    previous = result.previous
    table = _table(f"{result.fund} {result.year}")
    table.add_column("")
    headings = ["Intäkter", "Kostnader"]
    if previous is not None:
        headings += [previous_heading(h, result.year) for h in headings]
    for heading in headings:
        table.add_column(heading, justify="right")
    columns = len(headings)

    def add(label: str, figures: list[str], before: list[str], style: str = "") -> None:
        table.add_row(label, *figures, *(before if previous is not None else []), style=style)

    for income, lines in ((True, result.income), (False, result.costs)):
        for line in lines:
            amount = cell(line.amount, ore=ore, blank_zero=True)
            was = cell(line.previous or ZERO, ore=ore, blank_zero=True)
            add(
                _line_name(line.name, line.configured),
                [amount, ""] if income else ["", amount],
                [was, ""] if income else ["", was],
            )
            for posting in line.postings:
                _detail_row(table, posting, 1 if income else 2, columns, ore=ore, indent="  ")
    table.add_section()
    add(
        "Summa",
        [cell(result.total_income, ore=ore), cell(result.total_costs, ore=ore)],
        []
        if previous is None
        else [cell(previous.total_income, ore=ore), cell(previous.total_costs, ore=ore)],
        style="bold",
    )
    label = "Årets underskott" if result.result < ZERO else "Årets överskott"
    add(
        label,
        [cell(result.result, ore=ore), ""],
        [] if previous is None else [cell(previous.result, ore=ore), ""],
        style="bold",
    )
    if result.provisional:
        return Group(table, Text(provisional_note(result.year)))
    return table


def _line_name(name: str, configured: bool) -> str:
    return name if configured else f"{name} (konto utan rad i sodertorn.toml)"


def render_budget(report: BudgetReport, *, ore: bool = False) -> RenderableType:
    """The follow-up: each line's Budget, Utfall, Avvikelse and Utfall i %, the sums and
    Årets resultat, then the funds the budget names; a row without a budget marked."""
    table = _table(budget_title(report))
    table.add_column("")
    for heading in BUDGET_HEADINGS:
        table.add_column(heading, justify="right")

    def add(row: BudgetRow, style: str | None = None) -> None:
        table.add_row(
            budget_row_name(row) if style is None else row.name,
            "" if row.budget is None else cell(row.budget, ore=ore),
            cell(row.actual, ore=ore),
            cell(row.deviation, ore=ore),
            budget_percent(row),
            style=style,
        )

    for row in report.income:
        add(row)
    add(report.total_income, "bold")
    table.add_section()
    for row in report.costs:
        add(row)
    add(report.total_costs, "bold")
    table.add_section()
    add(report.result, "bold")
    if report.funds:
        table.add_section()
        table.add_row(Text(BUDGET_FUNDS_HEADING, style="bold"))
        for row in report.funds:
            add(row)
    return Group(table, *(Text(note) for note in budget_notes(report)))


def render_projects(report: ProjectsReport, *, ore: bool = False) -> RenderableType:
    """The projects and their suppliers; in a comparison, the year before's costs beside
    (0 for a project or supplier that had none)."""
    compared = report.previous is not None
    table = _table(f"Projekt {report.year}")
    table.add_column("Projekt / leverantör")
    table.add_column("Kostnad", justify="right")
    if report.previous is not None:
        table.add_column(previous_heading("Kostnad", report.year), justify="right")

    def figures(amount: Decimal, previous: Decimal | None) -> list[str]:
        shown = [cell(amount, ore=ore)]
        return [*shown, cell(previous or ZERO, ore=ore)] if compared else shown

    for project in report.projects:
        table.add_row(project.name, *figures(project.amount, project.previous))
        for supplier in project.suppliers:
            table.add_row(
                Text(f"  {supplier.payee}", style="dim"),
                *(Text(c, style="dim") for c in figures(supplier.amount, supplier.previous)),
            )
            for posting in supplier.postings:
                _detail_row(table, posting, 1, 1 + compared, ore=ore, indent="    ")
    table.add_section()
    total = report.previous.total if report.previous is not None else None
    table.add_row("Summa", *figures(report.total, total), style="bold")
    return Group(table, *(Text(note) for note in projects_notes(report, ore=ore)))


def render_balance(sheet: BalanceSheet, *, ore: bool = False) -> RenderableType:
    """The balance sheet; in a comparison, the balances at the end of the year before
    beside (0 for a line that had none)."""
    previous = sheet.previous
    table = _table(f"Balansräkning {sheet.date.day} december {sheet.year}")
    table.add_column("")
    table.add_column("Belopp", justify="right")
    if previous is not None:
        table.add_column(previous_heading("Belopp", sheet.year), justify="right")

    def figures(amount: Decimal, before: Decimal | None) -> list[str]:
        shown = [cell(amount, ore=ore)]
        return [*shown, cell(before or ZERO, ore=ore)] if previous is not None else shown

    def section(
        heading: str,
        lines: Sequence[tuple[str, Decimal, Decimal | None]],
        label: str,
        total: Decimal,
        total_before: Decimal | None,
    ) -> None:
        table.add_row(Text(heading, style="bold"))
        for name, amount, before in lines:
            table.add_row(f"  {name}", *figures(amount, before))
        table.add_row(label, *figures(total, total_before), style="bold")
        table.add_section()

    section(
        "Tillgångar",
        [(account_label(x.name), x.amount, x.previous) for x in sheet.assets],
        "Summa tillgångar",
        sheet.total_assets,
        previous and previous.total_assets,
    )
    section(
        "Skulder",
        [(account_label(x.name), x.amount, x.previous) for x in sheet.liabilities],
        "Summa skulder",
        sheet.total_liabilities,
        previous and previous.total_liabilities,
    )
    section(
        "Fonder (eget kapital)",
        [(x.name, x.amount, x.previous) for x in sheet.funds],
        "Summa fonder",
        sheet.total_funds,
        previous and previous.total_funds,
    )
    table.add_row(
        "Summa skulder och fonder",
        *figures(
            sheet.total_liabilities + sheet.total_funds,
            previous and previous.total_liabilities + previous.total_funds,
        ),
        style="bold",
    )
    notes = []
    if sheet.balanced:
        notes.append(Text("Kontroll: tillgångar = skulder + fonder, stämmer."))
    else:
        notes.append(
            Text(
                "Kontroll: tillgångar = skulder + fonder stämmer INTE; skillnad "
                f"{format_sv(sheet.difference, ore=True)} kr.",
                style="bold red",
            )
        )
    notes.extend(Text(note) for note in balance_notes(sheet))
    return Group(table, *notes)


def render_accounts(balances: TrialBalance, *, ore: bool = False) -> RenderableType:
    """The trial balance: every account and its balance (or its movement in the year)."""
    year = balances.year
    table = _table("Saldobalans" if year is None else f"Saldobalans {year}")
    table.add_column("Konto")
    table.add_column("Saldo" if year is None else f"Rörelse {year}", justify="right")
    for account, balance in balances.rows:
        table.add_row(account, cell(balance, ore=ore))
    table.add_section()
    table.add_row("Summa", cell(balances.total, ore=ore), style="bold")
    return table


def render_register(register: Register, title: str, *, ore: bool = False) -> RenderableType:
    """The postings of `ledger register` with their running total, and their Summa."""
    table = _table(title)
    table.add_column("Datum")
    table.add_column("Beskrivning")
    table.add_column("Konto")
    table.add_column("Belopp", justify="right")
    table.add_column("Saldo", justify="right")
    for row in register.rows:
        table.add_row(
            row.date.isoformat(),
            printable(row.description),  # terminal escapes (\x1b) shown as text
            printable(row.account),
            cell(row.amount, ore=ore),
            cell(row.total, ore=ore),
        )
    table.add_section()
    table.add_row("Summa", "", "", cell(register.total, ore=ore), "", style="bold")
    return table


def render_fees(report: FeeReport, *, ore: bool = False) -> RenderableType:
    rate = format_sv(report.rate, ore=report.rate != report.rate.to_integral_value())
    table = _table(
        f"Avgifter {report.year}: {rate} kr per invånare, "
        f"folkmängd {report.population_date.isoformat()}",
        title_left=False,
        footer=True,
    )
    table.add_column("Kod", footer="")
    table.add_column("Kommun", footer="Summa")
    table.add_column("Folkmängd", justify="right", footer=format_count(report.total_population))
    table.add_column("Avgift", justify="right", footer=cell(report.total_fee, ore=ore))
    table.add_column("Bokfört", justify="right", footer=cell(report.total_booked, ore=ore))
    table.add_column("Differens", justify="right", footer=cell(report.total_difference, ore=ore))
    table.add_column("Betalt", justify="right", footer=cell(report.total_paid, ore=ore))
    table.add_column("Obetalt", justify="right", footer=cell(report.total_unpaid, ore=ore))
    for line in report.lines:
        table.add_row(
            line.code,
            line.name,
            format_count(line.population),
            cell(line.fee, ore=ore),
            cell(line.booked, ore=ore),
            cell(line.difference, ore=ore),
            cell(line.paid, ore=ore),
            cell(line.unpaid, ore=ore),
        )
    files = sorted({printable(line.figure.file) for line in report.lines})  # names may hold \x1b
    notes = [
        Text("Differens = bokfört − avgift. Obetalt = bokfört − betalt.", style="dim"),
        *(Text(note) for note in credits_notes(report.credits, ore=ore)),
        Text("Folkmängd från SCB: " + ", ".join(files), style="dim"),
    ]
    return Group(table, *notes)


def render_unpaid_fees(receivables: Receivables, *, ore: bool = False) -> RenderableType:
    """Every fee not paid in full at the date, oldest first, with its age and invoice."""
    assert receivables.date is not None  # the state of the books at a date
    unpaid = receivables.unpaid
    table = _table(f"Obetalda avgifter {date_sv(receivables.date)}", footer=True)
    table.add_column("Avgiftsår", footer="")
    table.add_column("Kod", footer="")
    table.add_column("Kommun", footer="Summa")
    table.add_column("Fakturadatum", footer="")
    table.add_column("Dagar", justify="right", footer="")
    table.add_column("Obetalt", justify="right", footer=cell(receivables.total_unpaid, ore=ore))
    table.add_column("Faktura", footer="")
    for fee in unpaid:
        table.add_row(
            str(fee.year),
            fee.code,
            fee.name,
            fee.date.isoformat(),
            str(receivables.days(fee)),
            cell(fee.unpaid, ore=ore),
            printable(f"{fee.file}:{fee.line}"),
        )
    notes = [] if unpaid else [Text("Alla fakturerade avgifter är betalda.")]
    notes += [Text(note) for note in credits_notes(receivables.credits, ore=ore)]
    return Group(table, *notes)


def render_population(
    table: PopulationTable, members: Sequence[Member], dates: Sequence[dt.date]
) -> RenderableType:
    """Each member's folkmängd on each date, with the file (and line) it was read from."""
    parts: list[RenderableType] = []
    for date in dates:
        figures = [table.get(m.code, date) for m in members]
        complete = all(f is not None for f in figures)
        total = format_count(sum(f.population for f in figures if f)) if complete else "–"
        shown = _table(f"Folkmängd {date_sv(date)}", title_left=False, footer=True)
        shown.add_column("Kod", footer="")
        shown.add_column("Kommun", footer="Summa")
        shown.add_column("Folkmängd", justify="right", footer=total)
        shown.add_column("Källa", footer="")
        for m, f in zip(members, figures, strict=True):
            if f is None:
                shown.add_row(m.code, m.name, "–", "saknas")
            else:
                shown.add_row(m.code, m.name, format_count(f.population), f.where)
        parts.append(shown)
    return Group(*parts)


def render_close_results(plan: ClosePlan) -> RenderableType:
    """Each fund's result of the year and where the close moves it."""
    table = _table(f"Bokslut {plan.year}: årets resultat per fond")
    table.add_column("Fond")
    table.add_column("Resultat", justify="right")
    table.add_column("Förs till")
    for r in plan.results:
        table.add_row(r.name, cell(r.result, ore=True), r.target or "")
    return table
