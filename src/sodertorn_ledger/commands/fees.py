"""`ledger fees YEAR`: every member's fee from SCB's folkmängd, against what is booked;
with --book, the invoices appended to the year's journal."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.loading import (
    books_path,
    load_books,
    load_population,
    load_settings,
    population_folder,
)
from sodertorn_ledger.commands.options import FileOption, JsonOption, OreOption
from sodertorn_ledger.commands.output import fail, print_table, report_problems, say

if TYPE_CHECKING:
    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Transaction
    from sodertorn_ledger.settings import Settings


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
    from sodertorn_ledger.fees import fees_for_year

    if (dry_run or date is not None) and not book:
        fail("--date and --dry-run go with --book")
    path = books_path(file)
    journal = load_books(file)
    settings = load_settings(path, journal)
    table = load_population(path, settings)
    folder = str(population_folder(path))
    report, problems = fees_for_year(journal, settings, table, year, folder=folder)
    if report is None:
        report_problems(problems)
        fail(f"no fees for {year}; nothing was done")
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
        from sodertorn_ledger.render.json_report import fees_json, print_json

        print_json(fees_json(report))
        return
    from sodertorn_ledger.render.terminal import render_fees

    print_table(render_fees(report, ore=ore))


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
            say(
                f"{line.code} {line.name}: already invoiced for {year} "
                f"({t.file}:{t.line}); not booked again"
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
        from sodertorn_ledger.render.json_report import invoices_json, print_json

        if not dry_run and text:
            _append(target, path, text)
        print_json(invoices_json(report, target, when, skip, text, dry_run=dry_run))
        return
    if not text:
        typer.echo(f"Every member is already invoiced for {year}; nothing was booked.")
        return
    if dry_run:
        typer.echo(text, nl=False)
        say(f"(dry run: {len(booked_codes)} invoices not written to {target})")
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
