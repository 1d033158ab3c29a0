"""`ledger export YEAR [PATH]`: the year's Excel workbook (Sammanställning, Drift, Projekt,
Avgifter, Balansräkning). `ledger summary YEAR --xlsx PATH` writes the same workbook."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.common import FileOption, books_path, fail
from sodertorn_ledger.commands.reporting import (
    YearArgument,
    compute_summary_or_warn,
    load_year,
    warn,
)

if TYPE_CHECKING:
    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.render.sheet import Book
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.settings import Settings

ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the workbook if it already exists.")
]


def default_path(year: int) -> Path:
    return Path(f"sammanstallning-{year}.xlsx")


def export(
    year: YearArgument,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The workbook to write (default: sammanstallning-YEAR.xlsx here).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    file: FileOption = None,
) -> None:
    """Write the year's workbook for the annual report: the Sammanställning (with a chart
    of each fund's closing balance), Drift, Projekt, Avgifter and Balansräkning. Amounts
    are exact; sums and closing balances are formulas. An existing file is kept unless
    --force.

    Example: ledger export 2020 bokslut/sammanstallning-2020.xlsx
    """
    write_export(file, year, path or default_path(year), force=force)


def write_export(file: Path | None, year: int, target: Path, *, force: bool) -> None:
    """Compute the year's reports and write them as one workbook at `target`; on any
    refusal or failure print one line and exit 1, leaving nothing behind."""
    check_target(target, force=force)
    journal, settings = load_year(file, year)
    names = save_workbook(journal, settings, year, books_path(file), target, force=force)
    typer.echo(f"Wrote {target} ({', '.join(names)})")


def save_workbook(
    journal: "Journal",
    settings: "Settings",
    year: int,
    journal_path: Path,
    target: Path,
    *,
    force: bool,
    summary: "Summary | None" = None,
) -> list[str]:
    """Write the workbook of `year` at `target` (atomically); the names of its sheets.
    `summary`: the Sammanställning when the caller has computed (and reported) it already.
    Refusals and I/O errors print one line and exit 1."""
    from sodertorn_ledger.fileio import FileExists
    from sodertorn_ledger.render.xlsx import write_workbook

    book = build_book(journal, settings, year, journal_path, summary)
    try:
        write_workbook(book, target, overwrite=force)
    except FileExists:
        fail(f"{target} already exists; use --force to overwrite it")
    except OSError as err:
        fail(f"cannot write {target}: {err.strerror or err}")
    return [sheet.name for sheet in book.sheets]


def check_target(target: Path, *, force: bool) -> None:
    """Refuse early, before any work: a name that is not a workbook's, a folder, or an
    existing file without --force."""
    if target.suffix.casefold() != ".xlsx":
        fail(f"{target}: the workbook's name must end in .xlsx")
    if target.is_dir():
        fail(f"{target} is a folder; give the workbook's file name")
    if target.exists() and not force:
        fail(f"{target} already exists; use --force to overwrite it")
    if not target.parent.is_dir() and str(target.parent):
        fail(f"cannot write {target}: no folder {target.parent}")


def build_book(
    journal: "Journal",
    settings: "Settings",
    year: int,
    journal_path: Path,
    summary: "Summary | None" = None,
) -> "Book":
    """Every report of `year` as one workbook (a sheet the books cannot give is left out,
    with a warning)."""
    from sodertorn_ledger.render.workbook import annual_book
    from sodertorn_ledger.reports.balance import compute_balance
    from sodertorn_ledger.reports.projects import compute_projects
    from sodertorn_ledger.reports.result import compute_result

    if summary is None:
        summary = compute_summary_or_warn(journal, settings, year)
    return annual_book(
        settings.organisation,
        summary,
        compute_result(journal, settings, year),
        compute_projects(journal, settings, year),
        fee_report(journal, settings, year, journal_path),
        compute_balance(journal, settings, year, summary),
    )


def fee_report(
    journal: "Journal", settings: "Settings", year: int, journal_path: Path
) -> "FeeReport | None":
    """The year's fees, or None (with a warning why) when SCB's figures or the rate for the
    year are missing: the rest of the workbook is still worth having."""
    from sodertorn_ledger.fees import booked_fees, compute_fees
    from sodertorn_ledger.population import read_population_folder
    from sodertorn_ledger.settings import SettingsError

    folder = journal_path.parent / "befolkning"
    skipped = f"the Avgifter {year} sheet is left out"
    try:
        rate = settings.fee_rate(year)
    except SettingsError as err:
        warn(f"{err.problems[0].message}; {skipped}")
        return None
    names = {m.name: m.code for m in settings.members}
    table, problems = read_population_folder(folder, names)
    if problems:
        warn(f"{problems[0].file}: {problems[0].message}; {skipped} (see `ledger population`)")
        return None
    accounts = [m.fee_account for m in settings.members]
    booked = booked_fees(journal.transactions, year, accounts)
    report, problems = compute_fees(year, settings.members, rate, table, booked, folder=str(folder))
    if report is None:
        warn(f"{problems[0].message}; {skipped} (see `ledger fees {year}`)")
    return report
