"""The year's Excel workbook, as `ledger export` and `ledger summary --xlsx` write it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sodertorn_ledger.commands.loading import check_new_file, fee_report, write_new_file
from sodertorn_ledger.commands.output import Warnings, fail

if TYPE_CHECKING:
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.render.sheet import Book
    from sodertorn_ledger.reports.budget import BudgetReport
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.settings import Settings


def default_path(year: int) -> Path:
    return Path(f"sammanstallning-{year}.xlsx")


def check_target(target: Path, *, force: bool) -> None:
    """Refuse early, before any work: a name that is not a workbook's, a folder, or an
    existing file without --force."""
    if target.suffix.casefold() != ".xlsx":
        fail(f"{target}: the workbook's name must end in .xlsx")
    check_new_file(target, "the workbook", force=force)


def save_workbook(
    journal: Journal,
    settings: Settings,
    summary: Summary,
    journal_path: Path,
    target: Path,
    *,
    force: bool,
    warnings: Warnings,
    compare: bool = False,
) -> list[str]:
    """Write the workbook of the summary's year at `target` (atomically); the names of its
    sheets. Each sheet's warnings go to `warnings`. With `compare`, the Sammanställning,
    Drift, Projekt and Balansräkning have the year before beside the year. Refusals and
    I/O errors print one line and exit 1."""
    from sodertorn_ledger.render.xlsx import write_workbook

    book = _build_book(journal, settings, summary, journal_path, warnings, compare=compare)
    write_new_file(target, lambda: write_workbook(book, target, overwrite=force))
    return [sheet.name for sheet in book.sheets]


def _build_book(
    journal: Journal,
    settings: Settings,
    summary: Summary,
    journal_path: Path,
    warnings: Warnings,
    *,
    compare: bool,
) -> Book:
    """Every report of the year as one workbook, with their warnings (of the year alone);
    the fees sheet is left out, with a warning, when SCB's figures or the year's rate are
    missing (the rest is still worth having). With `compare`, each report that has a
    comparison gets the year before's, computed from the same books."""
    from sodertorn_ledger.render.workbook import annual_book
    from sodertorn_ledger.reports.balance import compare_balance, compute_balance
    from sodertorn_ledger.reports.funds import compare_summary, compute_summary
    from sodertorn_ledger.reports.projects import compare_projects, compute_projects
    from sodertorn_ledger.reports.result import compare_result, compute_result
    from sodertorn_ledger.reports.trace import trace_year

    year = summary.year
    warnings.summary(summary)
    result = compute_result(journal, settings, year)
    if result is not None:
        warnings.result(result)
    projects = compute_projects(journal, settings, year)
    warnings.projects(projects)
    fees, problems = fee_report(journal, settings, year, journal_path)
    if fees is None:
        first = problems[0]
        warnings.warn(
            f"{first.file}: {first.message}; the Avgifter {year} sheet is left out "
            f"(see `ledger fees {year}`)"
        )
    else:
        warnings.problems(fees.problems)
    balance = compute_balance(journal, settings, year, summary)
    warnings.balance(balance)
    underlag = trace_year(journal, settings, year)
    if compare:
        before = compute_summary(journal, settings, year - 1)
        previous_result = compute_result(journal, settings, year - 1)
        if result is not None and previous_result is not None:
            result = compare_result(result, previous_result)
        projects = compare_projects(projects, compute_projects(journal, settings, year - 1))
        balance = compare_balance(balance, compute_balance(journal, settings, year - 1, before))
        summary = compare_summary(summary, before)
    folder = str(journal_path.parent)
    budget = _budget(journal, settings, year)
    if budget is not None:
        warnings.budget(budget)
    return annual_book(
        settings.organisation,
        summary,
        result,
        projects,
        fees,
        balance,
        underlag,
        folder,
        budget=budget,
    )


def _budget(journal: Journal, settings: Settings, year: int) -> BudgetReport | None:
    """The Budget sheet's follow-up, as `ledger result YEAR --budget` makes it (in the
    current year, up to today); None without a [budget.YEAR]."""
    import datetime as dt

    from sodertorn_ledger.reports.budget import budget_period, follow_up

    return follow_up(journal, settings, budget_period(year, None, dt.date.today()))
