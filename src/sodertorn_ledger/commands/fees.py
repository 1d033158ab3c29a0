"""`ledger fees YEAR`: every member's fee from SCB's folkmängd, against what is booked;
with --book, the invoices appended to the year's journal."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.common import (
    FileOption,
    JsonOption,
    OreOption,
    books_path,
    fail,
    load_books,
    load_settings_beside,
    report_problems,
)
from sodertorn_ledger.commands.reporting import print_json, print_table

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.console import RenderableType

    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Transaction
    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.settings import Settings

POPULATION_FOLDER = "befolkning"


def fees(
    year: Annotated[
        int, typer.Argument(help="The fee year, e.g. 2020.", min=1900, max=2999, show_default=False)
    ],
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    book: Annotated[
        bool,
        typer.Option("--book", help="Append one invoice per member to ledger/YEAR.journal."),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Invoice date with --book, YYYY-MM-DD in YEAR (default: today in YEAR, "
            "else YEAR-01-01).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="With --book: print what would be appended, write nothing."),
    ] = False,
) -> None:
    """Each member's fee for YEAR: the rate × SCB's folkmängd on 31 December YEAR−1, the fee
    income booked for YEAR (transactions tagged avgift:YEAR) and the difference (booked −
    fee). The figures are read from every file in ledger/befolkning/.

    With --book, one invoice per member not yet invoiced for YEAR is appended to
    ledger/YEAR.journal (receivable against the member's fee income, tagged avgift:YEAR and
    kommun:CODE); running it again books nothing.

    Example: ledger fees 2021 --book --date 2021-01-29 --dry-run
    """
    from sodertorn_ledger.fees import booked_fees, compute_fees, report_json

    if (dry_run or date is not None) and not book:
        fail("--date and --dry-run go with --book")
    path = books_path(file)
    journal = load_books(file)
    settings = load_settings_beside(path)
    rate = fee_rate(settings, year)
    table = read_population(path, settings)
    accounts = [m.fee_account for m in settings.members]
    booked = booked_fees(journal.transactions, year, accounts)
    report, problems = compute_fees(
        year, settings.members, rate, table, booked, folder=str(population_folder(path))
    )
    if report is None:
        report_problems(problems)
        fail(f"no fees computed for {year}: folkmängd missing")
    if book:
        _book(
            path,
            journal_files=journal.files,
            transactions=journal.transactions,
            report=report,
            settings=settings,
            date=date,
            dry_run=dry_run,
            as_json=as_json,
        )
        return
    if as_json:
        print_json(report_json(report))
        return
    print_table(_fee_table(report, ore=ore))


# --- shared with `ledger population` ------------------------------------------------------


def population_folder(journal_path: Path) -> Path:
    """ledger/befolkning/ beside the main journal."""
    return journal_path.parent / POPULATION_FOLDER


def fee_rate(settings: "Settings", year: int) -> "Decimal":
    from sodertorn_ledger.settings import SettingsError

    try:
        return settings.fee_rate(year)
    except SettingsError as err:
        report_problems(err.problems)
        fail(f"no fee rate for {year}; nothing was done")


def read_population(journal_path: Path, settings: "Settings") -> "PopulationTable":
    from sodertorn_ledger.population import read_population_folder

    folder = population_folder(journal_path)
    names = {m.name: m.code for m in settings.members}
    table, problems = read_population_folder(folder, names)
    if problems:
        report_problems(problems)
        n = len(problems)
        fail(f"{n} problem{'s' if n != 1 else ''} in the population files in {folder}")
    return table


def count_sv(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# --- rendering ----------------------------------------------------------------------------


def _fee_table(report: "FeeReport", *, ore: bool) -> "RenderableType":
    from rich.console import Group
    from rich.text import Text

    from sodertorn_ledger.money import format_sv
    from sodertorn_ledger.render.table import Table

    def kr(amount: "Decimal") -> str:
        return format_sv(amount, ore=ore)

    rate = format_sv(report.rate, ore=report.rate != report.rate.to_integral_value())
    table = Table(
        f"Avgifter {report.year}: {rate} kr per invånare, "
        f"folkmängd {report.population_date.isoformat()}",
        show_footer=True,
    )
    table.add_column("Kod", footer="")
    table.add_column("Kommun", footer="Summa")
    table.add_column("Folkmängd", justify="right", footer=count_sv(report.total_population))
    table.add_column("Avgift", justify="right", footer=kr(report.total_fee))
    table.add_column("Bokfört", justify="right", footer=kr(report.total_booked))
    table.add_column("Differens", justify="right", footer=kr(report.total_difference))
    for line in report.lines:
        table.add_row(
            line.code,
            line.name,
            count_sv(line.population),
            kr(line.fee),
            kr(line.booked),
            kr(line.difference),
        )
    files = sorted({line.figure.file for line in report.lines})
    note = Text(
        "Differens = bokfört − avgift. Folkmängd från SCB: " + ", ".join(files), style="dim"
    )
    return Group(table, note)


# --- booking ------------------------------------------------------------------------------


def _invoice_date(date: str | None, year: int) -> dt.date:
    if date is None:
        today = dt.date.today()
        return today if today.year == year else dt.date(year, 1, 1)
    try:
        when = dt.date.fromisoformat(date)
    except ValueError:
        fail(f"--date {date!r} is not a date (YYYY-MM-DD)")
    if when.year != year:
        fail(f"--date {date} is not in {year}; the invoices go into {year}.journal")
    return when


def _book(
    path: Path,
    *,
    journal_files: list[str],
    transactions: "list[Transaction]",
    report: "FeeReport",
    settings: "Settings",
    date: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    from sodertorn_ledger.fees import books_decimal_mark, invoice_text, invoiced_accounts

    year = report.year
    when = _invoice_date(date, year)
    target = path.parent / f"{year}.journal"
    if not target.is_file():
        fail(
            f"no journal for {year} at {target}; create it and add `include {target.name}` "
            f"to {path.name}, then run this again"
        )
    included = {Path(f).resolve() for f in journal_files}
    if target.resolve() not in included:
        fail(f"{target} is not included from {path}; add `include {target.name}` to it first")

    by_account = invoiced_accounts(transactions, year, [m.fee_account for m in settings.members])
    skip = {line.code for line in report.lines if line.fee_account in by_account}
    for line in report.lines:
        if line.code in skip:
            t = by_account[line.fee_account]
            typer.echo(
                f"{line.code} {line.name}: already invoiced for {year} "
                f"({t.file}:{t.line}); not booked again",
                err=True,
            )
    try:
        texts = [path.read_text(encoding="utf-8"), target.read_text(encoding="utf-8")]
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read the books: {exc}")
    text = invoice_text(
        report,
        settings.fees.receivable_account,
        when,
        skip=skip,
        commodity=settings.currency,
        decimal_mark=books_decimal_mark(texts),
    )
    booked_codes = [line.code for line in report.lines if line.code not in skip]
    if as_json:
        data = {
            "year": year,
            "file": str(target),
            "date": when.isoformat(),
            "dry_run": dry_run,
            "booked": booked_codes,
            "skipped": sorted(skip, key=[line.code for line in report.lines].index),
            "text": text,
        }
        if not dry_run and text:
            _append(target, path, text)
        print_json(data)
        return
    if not text:
        typer.echo(f"Every member is already invoiced for {year}; nothing was booked.")
        return
    if dry_run:
        typer.echo(text, nl=False)
        typer.echo(f"(dry run: {len(booked_codes)} invoices not written to {target})", err=True)
        return
    _append(target, path, text)
    typer.echo(f"Booked {len(booked_codes)} invoices for {year} in {target}.")


def _append(target: Path, main: Path, text: str) -> None:
    """The year's journal rewritten atomically as its old bytes plus the new transactions,
    in its own line endings; if the books then do not read back cleanly, the old bytes are
    put back."""
    from sodertorn_ledger.fileio import write_atomic
    from sodertorn_ledger.journal.loader import load_journal

    try:
        old = target.read_bytes()
    except OSError as exc:
        fail(f"cannot read {target}: {exc.strerror}; nothing was changed")
    newline = b"\r\n" if b"\r\n" in old else b"\n"
    if not old or old.endswith(newline * 2):
        separator = b""
    elif old.endswith(newline):
        separator = newline
    else:
        separator = newline * 2
    added = text.replace("\n", newline.decode()).encode("utf-8")
    try:
        write_atomic(target, old + separator + added, overwrite=True)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror}; nothing was changed")
    books = load_journal(main)
    if books.errors:
        write_atomic(target, old, overwrite=True)
        report_problems(books.errors)
        fail(f"the invoices did not read back cleanly; {target} is unchanged")
