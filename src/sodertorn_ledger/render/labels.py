"""What every renderer shows the same way: footnote markers, account labels, dates, the
notes under a table and the rule for zero cells.

The terminal, the JSON and the workbook each lay a report out their own way; the words
and marks they share are written here once. (Numbers are written by `money`.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sodertorn_ledger.money import format_percent, format_sv

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sodertorn_ledger.fees import Credit
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.budget import BudgetReport, BudgetRow
    from sodertorn_ledger.reports.funds import Column, FundRow, LinePosting, Summary, Totals
    from sodertorn_ledger.reports.projects import ProjectsReport

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def footnote_marker(number: int) -> str:
    """The annual report's footnote marker: 1 → ¹⁾, 12 → ¹²⁾."""
    return str(number).translate(_SUPERSCRIPT) + "⁾"


def with_marker(name: str, marker: int | None) -> str:
    """A name with its footnote marker, if it has one: ``Kommunikationsprojekt ¹⁾``."""
    return name if marker is None else f"{name} {footnote_marker(marker)}"


def account_label(account: str) -> str:
    """``tillgångar:bank`` → ``Bank``: the account below its class, capitalised."""
    _, _, rest = account.partition(":")
    shown = rest or account
    return shown[:1].upper() + shown[1:]


def date_sv(date: dt.date) -> str:
    """``31 december 2020``."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def posting_label(posting: LinePosting) -> str:
    """A posting under its report line (``--detail``): date, description, account."""
    return f"{posting.date.isoformat()}  {posting.description}  {posting.account}"


# --- zero cells -------------------------------------------------------------------------
# One rule for every renderer: the tables the annual report publishes (the Sammanställning
# and the operating result, "Drift") leave a zero in a fund's or a line's row blank, as
# published ("no movement"); their Summa rows and Årets överskott always show their
# figure, 0 included. Every other table shows 0. The terminal and the workbook follow it
# alike; JSON always has the exact figure.


# --- the Sammanställning's columns, and the notes under each table ----------------------


COLUMN_NAMES: dict[Column, str] = {
    "income": "Intäkter",
    "costs": "Kostnader",
    "transfers": "Överföringar",
}
"""The Sammanställning's columns of the year's postings."""


def summary_headings(year: int, *, transfers: bool) -> list[str]:
    """The Sammanställning's headings; Överföringar only in a year with transfers."""
    names = COLUMN_NAMES
    middle = [names["income"], names["costs"], *([names["transfers"]] if transfers else [])]
    return ["Fond", f"Ingående balans {year}", *middle, f"Utgående balans {year}"]


def summary_figures(row: FundRow | Totals, *, transfers: bool) -> tuple[Decimal, ...]:
    """A row's figures under `summary_headings`: IB, Intäkter, Kostnader, (Överföringar,)
    UB."""
    middle = (row.income, row.costs, *((row.transfers,) if transfers else ()))
    return (row.opening, *middle, row.closing)


def previous_heading(heading: str, year: int) -> str:
    """A column's heading for the year before `year` (``--compare``): the heading with the
    year before in place of `year` ("Utgående balans 2019"), or added after it ("Intäkter
    2019"). The year's own headings stay as published."""
    this, before = str(year), str(year - 1)
    return heading.replace(this, before) if this in heading else f"{heading} {before}"


def provisional_note(year: int) -> str:
    """Under a report of `year` while the year before is not closed."""
    return (
        f"Ingående balanser {year} är preliminära: {year - 1} är inte bokslutat "
        f"(ledger close {year - 1})."
    )


def summary_notes(summary: Summary) -> list[str]:
    """Under the Sammanställning: the footnotes, the accounts whose money is not in the
    table, and whether its opening balances are provisional."""
    notes = [f"{footnote_marker(marker)} {note}" for marker, note in summary.notes]
    if summary.unassigned:
        notes.append("Konton utan fond, ej med i tabellen: " + ", ".join(summary.unassigned))
    if summary.unclassified:
        notes.append(
            "Konton utan kontoklass, ej med i tabellen: " + ", ".join(summary.unclassified)
        )
    if summary.provisional:
        notes.append(provisional_note(summary.year))
    return notes


def projects_notes(report: ProjectsReport, *, ore: bool) -> list[str]:
    """Under the projects: what their Summa equals in `ledger result` (when a line of it
    holds project costs), and whether the opening balances are provisional."""
    notes = []
    if report.lines:
        lines = report.lines
        which = f"raden {lines[0]}" if len(lines) == 1 else "raderna " + ", ".join(lines)
        elsewhere = (
            f" och {format_sv(report.outside, ore=ore)} kr på andra konton"
            if report.outside
            else ""
        )
        notes.append(
            f"Summa = {which} i Drift {report.year} (ledger result {report.year}){elsewhere}."
        )
    if report.provisional:
        notes.append(provisional_note(report.year))
    return notes


def balance_notes(sheet: BalanceSheet) -> list[str]:
    """Under the balance sheet (after its check): the accounts that make a difference,
    each with its share, exact; whether the opening balances are provisional."""
    notes = []
    if sheet.unbalanced_by:
        listed = ", ".join(
            f"{x.name} {format_sv(x.amount, ore=True)} kr" for x in sheet.unbalanced_by
        )
        notes.append(
            f"Skillnaden kommer från konton som varken är tillgång, skuld eller fond: {listed}."
        )
    if sheet.provisional:
        notes.append(provisional_note(sheet.year))
    return notes


def credits_notes(credits: Sequence[Credit], *, ore: bool = False) -> list[str]:
    """What members have paid beyond their fees, in one note (none without credits)."""
    if not credits:
        return []
    each = ", ".join(f"{c.code} {c.name} {format_sv(c.amount, ore=ore)} kr" for c in credits)
    return [f"Tillgodo (betalt utöver avgifterna, räknas av mot nästa avgift): {each}"]


# --- the budget follow-up (ledger result YEAR --budget, the sheet Budget YEAR) -----------

BUDGET_HEADINGS = ("Budget", "Utfall", "Avvikelse", "Utfall i %")
NO_BUDGET_MARKER = 1
"""The footnote marker of a row with an outcome and no budget."""
NO_PERCENT = "–"
"""Utfall i % of a row without a budget (none, or 0) and of Årets resultat."""


def budget_title(report: BudgetReport) -> str:
    """``Södertörnssamarbetet drift 2020: budgetuppföljning`` (``… till och med 30 juni
    2020`` for a part of the year)."""
    title = f"{report.fund} {report.year}: budgetuppföljning"
    if not report.period.whole_year:
        title += f" till och med {date_sv(report.period.through)}"
    return title


def budget_row_name(row: BudgetRow) -> str:
    """A row's name, with the marker of an outcome without a budget."""
    name = row.name if row.configured else f"{row.name} (konto utan rad i sodertorn.toml)"
    return with_marker(name, NO_BUDGET_MARKER if row.flagged else None)


def budget_percent(row: BudgetRow) -> str:
    """Utfall i %: ``93,2 %``, or – without a budget."""
    return NO_PERCENT if row.ratio is None else format_percent(row.ratio)


BUDGET_FUNDS_HEADING = "Fonder, kostnader"


def budget_notes(report: BudgetReport) -> list[str]:
    """Under the follow-up: the rows without a budget, how Avvikelse and Utfall i % are
    reckoned, the share of the year, and whether the opening balances are provisional."""
    year = report.year
    notes = []
    if report.flagged:
        notes.append(
            f"{footnote_marker(NO_BUDGET_MARKER)} Utfall utan budget: ingen budget "
            f"(eller 0 kr) för raden i [budget.{year}] i sodertorn.toml."
        )
    notes.append(
        "Avvikelse: positiv = bättre än budget (överskott), negativ = sämre (underskott); "
        "intäkter utfall − budget, kostnader budget − utfall."
    )
    notes.append(f"Utfall i % = utfall / budget; {NO_PERCENT} utan budget och för årets resultat.")
    period = report.period
    if not period.whole_year:
        notes.append(
            f"Budget till och med {date_sv(period.through)}: {period.days} av "
            f"{period.year_days} dagar av årets budget, per rad avrundad till hela ören; "
            "utfall till och med samma dag."
        )
    if report.funds:
        notes.append(f"{BUDGET_FUNDS_HEADING}: fondernas kostnader mot deras budget.")
    if report.provisional:
        notes.append(provisional_note(year))
    return notes
