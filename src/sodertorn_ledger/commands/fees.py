"""`ledger fees YEAR`: every member's fee from SCB's folkmängd, against what is booked and
paid; with --book, the invoices appended to the year's journal. `ledger fees --unpaid`:
the fees of every year not paid in full at a date."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.loading import (
    append_rehearsed,
    books_path,
    load_books,
    load_population,
    load_settings,
    population_folder,
    write_books,
)
from sodertorn_ledger.commands.options import FileOption, JsonOption, OreOption, year_argument
from sodertorn_ledger.commands.output import (
    Warnings,
    fail,
    opened_words,
    plural,
    print_table,
    report_problems,
    say,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from sodertorn_ledger.books_writer import Books, Snapshot
    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.problems import Problem
    from sodertorn_ledger.settings import Settings


def fees(
    year: Annotated[int | None, year_argument("The fee year, e.g. 2020.")] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    unpaid: Annotated[
        bool,
        typer.Option(
            "--unpaid",
            help="Instead of YEAR: every fee of every year not paid in full, oldest first.",
        ),
    ] = False,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DATE",
            help="With --unpaid: the books as they stand at this date, YYYY-MM-DD (default: "
            "today).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="With --unpaid: exit with status 1 if any fee is unpaid or the report gives "
            "a warning: for scripts.",
        ),
    ] = False,
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
    income booked for YEAR (transactions tagged avgift:YEAR), the difference (booked −
    fee), what is paid of it (payments on the receivable tagged kommun:CODE) and what is
    not. The figures are read from every file in ledger/befolkning/.

    With --unpaid instead of YEAR, every fee of every year not paid in full at the date of
    --to (default today), oldest first, with its invoice and its age in days.

    With --book, one invoice per member not yet invoiced for YEAR is appended to
    ledger/YEAR.journal (receivable against the member's fee income, tagged avgift:YEAR and
    kommun:CODE); running it again books nothing. A file for YEAR that does not exist yet
    is made and included from main.journal first; a closed YEAR is refused.

    Example: ledger fees 2021 --book --date 2021-01-29 --dry-run
    """
    if unpaid:
        if year is not None:
            fail(
                f"YEAR or --unpaid, not both: --unpaid lists the unpaid fees of every year "
                f"(for the state at the end of {year}: ledger fees --unpaid --to {year}-12-31)",
                code=2,
            )
        if book or dry_run or date is not None:
            fail("--book, --date and --dry-run go with YEAR, not with --unpaid", code=2)
        _unpaid(file, _as_of(to), as_json=as_json, ore=ore, strict=strict)
        return
    if year is None:
        fail("give the fee YEAR (ledger fees 2020) or --unpaid", code=2)
    if to is not None or strict:
        fail("--to and --strict go with --unpaid", code=2)
    if (dry_run or date is not None) and not book:
        fail("--date and --dry-run go with --book", code=2)
    if book:
        _book(file, year, date, dry_run=dry_run, as_json=as_json)
        return
    _, _, report = _fees(file, year, None)
    Warnings().problems(report.problems)
    if as_json:
        from sodertorn_ledger.render.json_report import fees_json, print_json

        print_json(fees_json(report))
        return
    from sodertorn_ledger.render.terminal import render_fees

    print_table(render_fees(report, ore=ore))


def _fees(
    file: Path | None, year: int, snapshot: "Snapshot | None"
) -> "tuple[Journal, Settings, FeeReport]":
    """The books, the settings and the fees of `year`; exit 1 on any problem. With a
    snapshot, the files --book edits (the main journal, the year's journal) are read
    through it before the books are loaded."""
    from sodertorn_ledger.fees import fees_for_year

    path = books_path(file)
    if snapshot is not None:
        for name in (path, path.parent / f"{year}.journal"):
            if name.is_file():
                snapshot.read(name)
    journal = load_books(file)
    settings = load_settings(path, journal)
    table = load_population(path, settings)
    folder = str(population_folder(path))
    report, problems = fees_for_year(journal, settings, table, year, folder=folder)
    if report is None:
        report_problems(problems)
        fail(f"no fees for {year}; nothing was done")
    return journal, settings, report


# --- unpaid -------------------------------------------------------------------------------


def _as_of(to: str | None) -> dt.date:
    if to is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(to)
    except ValueError:
        fail(f"--to {to!r} is not a date (YYYY-MM-DD)", code=2)


def _unpaid(file: Path | None, when: dt.date, *, as_json: bool, ore: bool, strict: bool) -> None:
    """--unpaid: the fees not paid in full at `when`; with `strict`, exit 1 if any."""
    from sodertorn_ledger.fees import compute_receivables
    from sodertorn_ledger.money import format_sv

    journal = load_books(file)
    settings = load_settings(books_path(file), journal)
    receivable = settings.fees.receivable_account
    receivables = compute_receivables(
        journal.transactions, settings.members, receivable, until=when
    )
    warnings = Warnings()
    warnings.problems(receivables.problems)
    if receivables.unexplained:
        warnings.warn(
            f"{format_sv(receivables.unexplained, ore=True)} kr of the balance of {receivable} "
            f"on {when.isoformat()} is no fee's: an invoice puts on it other than the fee "
            "income it books (tagged avgift:YEAR), so what is unpaid may be more or less"
        )
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, unpaid_fees_json

        print_json(unpaid_fees_json(receivables))
    else:
        from sodertorn_ledger.render.terminal import render_unpaid_fees

        print_table(render_unpaid_fees(receivables, ore=ore))
    owed = len(receivables.unpaid)
    if strict and owed:
        fail(f"--strict: {plural(owed, 'unpaid fee')} above; exit status 1")
    warnings.finish(strict=strict)


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


def _book(file: Path | None, year: int, date: str | None, *, dry_run: bool, as_json: bool) -> None:
    """--book: plan the invoices and, unless a dry run, write them under the books' lock,
    planned from the books as they are then."""
    when = _invoice_date(date, year)
    write_books(
        books_path(file),
        lambda snapshot, books: _invoices(file, year, when, snapshot, books, as_json=as_json),
        dry_run=dry_run,
    )


def _invoices(
    file: Path | None,
    year: int,
    when: dt.date,
    snapshot: "Snapshot",
    books: "Books | None",
    *,
    as_json: bool,
) -> None:
    """Plan the invoices of the members not yet invoiced for `year`; print them (a dry
    run, `books` None) or rehearse them on a copy of the books and append them. A year
    without its own file yet is opened first: the file made and included, as the close of
    the year before would have."""
    from sodertorn_ledger.books_writer import diff, plan_appends
    from sodertorn_ledger.close import new_year_file, refuse_if_closed
    from sodertorn_ledger.fees import books_decimal_mark, invoice_text, invoiced_accounts

    journal, settings, report = _fees(file, year, snapshot)
    path = books_path(file)
    refused = refuse_if_closed(
        journal, [when], f"fees --book, with invoices dated {when.isoformat()},"
    )
    accounts = [m.fee_account for m in settings.members]
    by_account = invoiced_accounts(journal.transactions, year, accounts)
    skip = {line.code for line in report.lines if line.fee_account in by_account}
    texts = [snapshot.read_text(p) or "" for p in (path, new_year_file(journal, year))]
    text = invoice_text(
        report,
        settings.fees.receivable_account,
        when,
        skip=skip,
        commodity=settings.currency,
        decimal_mark=books_decimal_mark(texts),
    )
    organisation = settings.organisation
    plan = plan_appends(snapshot, journal, organisation, [(year, text)], "invoices appended")
    (opening,) = plan.opened
    if refused or plan.problems:
        report_problems([*refused, *plan.problems])
        fail(f"refused to book the fees of {year}; nothing was written")
    target = opening.file
    for line in report.lines:
        if line.code in skip:
            t = by_account[line.fee_account]
            say(
                f"{line.code} {line.name}: already invoiced for {year} "
                f"({t.file}:{t.line}); not booked again"
            )
    booked_codes = [line.code for line in report.lines if line.code not in skip]
    if books is not None and text:
        check = _read_back(year, accounts, target)
        refusal = f"the invoices did not read back cleanly; {target} is unchanged"
        append_rehearsed(books, journal, plan, check, refusal)
    opens = opened_words(opening, path) if text else ""
    if as_json:
        from sodertorn_ledger.render.json_report import invoices_json, print_json

        data = invoices_json(report, target, when, skip, text, dry_run=books is None)
        data["created"] = bool(text) and opening.create
        data["include_added"] = bool(text) and opening.include
        print_json(data)
        return
    if not text:
        typer.echo(f"Every member is already invoiced for {year}; nothing was booked.")
        return
    if books is None:
        if opening.done:
            typer.echo(text, nl=False)
            say(f"(dry run: {len(booked_codes)} invoices not written to {target})")
        else:
            typer.echo(diff(plan.edits), nl=False)
            say(
                f"(dry run: nothing written; would have {opens}, and appended "
                f"{plural(len(booked_codes), 'invoice')} to it)"
            )
        return
    if opens:
        typer.echo(opens)
    typer.echo(f"Booked {plural(len(booked_codes), 'invoice')} for {year} in {target}.")


def _read_back(year: int, accounts: list[str], target: Path) -> "Callable[[Path], list[Problem]]":
    """The rehearsal's check: the books with the invoices read without errors and every
    member is invoiced for `year`."""

    def check(copy: Path) -> "list[Problem]":
        from sodertorn_ledger.fees import invoiced_accounts
        from sodertorn_ledger.journal.loader import load_journal
        from sodertorn_ledger.problems import Problem

        books = load_journal(copy)
        invoiced = invoiced_accounts(books.transactions, year, accounts)
        missing = [a for a in accounts if a not in invoiced]
        if books.errors or not missing:
            return books.errors
        message = f"internal error: not invoiced for {year} after booking: {', '.join(missing)}"
        return [Problem(str(target), 0, message)]

    return check
