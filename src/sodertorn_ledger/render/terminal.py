"""The reports as rich tables with the annual report's Swedish headings.

Amounts are rounded per cell, half up, to whole kronor (or shown in öre with
``ore=True``); a zero cell is left blank as in the published tables; negatives carry a
real minus sign. Totals are bold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.text import Text

from sodertorn_ledger.money import MINUS, ZERO, format_sv
from sodertorn_ledger.render.table import Table

if TYPE_CHECKING:  # each command imports only the report it makes
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.reports.projects import ProjectsReport
    from sodertorn_ledger.reports.result import OperatingResult

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def make_console() -> Console:
    """A console for stdout: the terminal's width, or unlimited when piped (no wrapping).

    Every string is shown as written: no markup ("[b]"), no emoji codes (":fire:", which
    an account name can spell), no highlighting.
    """
    console = Console(highlight=False, markup=False, emoji=False)
    if not console.is_terminal:
        console.width = 1000
    return console


def marker(number: int) -> str:
    """A footnote marker as published: ¹⁾, ²⁾ …"""
    return str(number).translate(_SUPERSCRIPT) + "⁾"


def cell(amount: Decimal, *, ore: bool, blank_zero: bool = True) -> str:
    if blank_zero and amount == ZERO:
        return ""
    return format_sv(amount, ore=ore, minus=MINUS)


def _table(title: str) -> Table:
    return Table(title, title_justify="left", title_style="bold")


def render_summary(summary: Summary, *, ore: bool = False) -> RenderableType:
    year = summary.year
    table = _table(f"Sammanställning {year}")
    table.add_column("Fond")
    for heading in (f"Ingående balans {year}", "Intäkter", "Kostnader", f"Utgående balans {year}"):
        table.add_column(heading, justify="right")
    for row in summary.funds:
        name = row.name if row.marker is None else f"{row.name} {marker(row.marker)}"
        table.add_row(
            name,
            cell(row.opening, ore=ore),
            cell(row.income, ore=ore),
            cell(row.costs, ore=ore),
            cell(row.closing, ore=ore),
        )
    total = summary.total
    table.add_section()
    table.add_row(
        "Summa",
        cell(total.opening, ore=ore, blank_zero=False),
        cell(total.income, ore=ore, blank_zero=False),
        cell(total.costs, ore=ore, blank_zero=False),
        cell(total.closing, ore=ore, blank_zero=False),
        style="bold",
    )
    notes = [Text(f"{marker(n)} {note}") for n, note in summary.notes]
    return Group(table, *notes)


def render_result(result: OperatingResult, *, ore: bool = False) -> RenderableType:
    table = _table(f"{result.fund} {result.year}")
    table.add_column("")
    table.add_column("Intäkter", justify="right")
    table.add_column("Kostnader", justify="right")
    for line in result.income:
        table.add_row(_line_name(line.name, line.configured), cell(line.amount, ore=ore), "")
    for line in result.costs:
        table.add_row(_line_name(line.name, line.configured), "", cell(line.amount, ore=ore))
    table.add_section()
    table.add_row(
        "Summa",
        cell(result.total_income, ore=ore, blank_zero=False),
        cell(result.total_costs, ore=ore, blank_zero=False),
        style="bold",
    )
    label = "Årets underskott" if result.result < ZERO else "Årets överskott"
    table.add_row(label, cell(result.result, ore=ore, blank_zero=False), "", style="bold")
    return table


def _line_name(name: str, configured: bool) -> str:
    return name if configured else f"{name} (konto utan rad i sodertorn.toml)"


def render_projects(report: ProjectsReport, *, ore: bool = False) -> RenderableType:
    table = _table(f"Projekt {report.year}")
    table.add_column("Projekt / leverantör")
    table.add_column("Kostnad", justify="right")
    for project in report.projects:
        table.add_row(project.name, cell(project.amount, ore=ore, blank_zero=False))
        for supplier in project.suppliers:
            table.add_row(
                Text(f"  {supplier.payee}", style="dim"),
                Text(cell(supplier.amount, ore=ore, blank_zero=False), style="dim"),
            )
    table.add_section()
    table.add_row("Summa", cell(report.total, ore=ore, blank_zero=False), style="bold")
    return table


def account_label(account: str) -> str:
    """``tillgångar:bank`` → ``Bank``: the account below its class, capitalised."""
    _, _, rest = account.partition(":")
    shown = rest or account
    return shown[:1].upper() + shown[1:]


def render_balance(sheet: BalanceSheet, *, ore: bool = False) -> RenderableType:
    table = _table(f"Balansräkning {sheet.date.day} december {sheet.year}")
    table.add_column("")
    table.add_column("Belopp", justify="right")

    def amount(value: Decimal) -> str:
        return cell(value, ore=ore, blank_zero=False)

    table.add_row(Text("Tillgångar", style="bold"), "")
    for line in sheet.assets:
        table.add_row(f"  {account_label(line.name)}", amount(line.amount))
    table.add_row("Summa tillgångar", amount(sheet.total_assets), style="bold")
    table.add_section()
    table.add_row(Text("Skulder", style="bold"), "")
    for line in sheet.liabilities:
        table.add_row(f"  {account_label(line.name)}", amount(line.amount))
    table.add_row("Summa skulder", amount(sheet.total_liabilities), style="bold")
    table.add_section()
    table.add_row(Text("Fonder (eget kapital)", style="bold"), "")
    for line in sheet.funds:
        table.add_row(f"  {line.name}", amount(line.amount))
    table.add_row("Summa fonder", amount(sheet.total_funds), style="bold")
    table.add_section()
    table.add_row(
        "Summa skulder och fonder",
        amount(sheet.total_liabilities + sheet.total_funds),
        style="bold",
    )
    if sheet.balanced:
        check = Text("Kontroll: tillgångar = skulder + fonder, stämmer.")
    else:
        check = Text(
            "Kontroll: tillgångar = skulder + fonder stämmer INTE; skillnad "
            f"{format_sv(sheet.difference, ore=True, minus=MINUS)} kr.",
            style="bold red",
        )
    return Group(table, check)
