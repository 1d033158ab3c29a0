"""`ledger import FILE`: the vouchers of an SIE 4 file (the host municipality's salaries,
say) appended to the journals of their years."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.loading import (
    append_rehearsed,
    books_path,
    load_books,
    load_settings,
    write_books,
)
from sodertorn_ledger.commands.options import FileOption, JsonOption
from sodertorn_ledger.commands.output import (
    fail,
    opened_words,
    plural,
    report_problems,
    say,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from sodertorn_ledger.books_writer import Books, Snapshot
    from sodertorn_ledger.problems import Problem
    from sodertorn_ledger.settings import Settings
    from sodertorn_ledger.sie import SieFile
    from sodertorn_ledger.sie_books import ImportPlan


def import_(
    sie_file: Annotated[
        Path,
        typer.Argument(help="The SIE 4 file to import.", metavar="FILE", show_default=False),
    ],
    file: FileOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be appended; write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Append the vouchers of an SIE 4 file to the books: each one a transaction in the
    journal of its date's year (made and included when the year has none yet), on the
    account [sie.numbers] or [sie.accounts] of sodertorn.toml gives its number, tagged
    ver:SERIES-NUMBER and sie:ORGNR; a project (dimension 6) as the projekt: tag. Vouchers
    the books have already (the same tags and date) are not booked again, so importing a
    file twice books it once. Into books with no transactions yet, the file's opening
    balances (#IB) are booked too, as the books' opening transaction.

    Refused, with nothing written: a file with an error (an unbalanced voucher, a #KSUMMA
    that does not match), account numbers with no account of the books (all of them
    listed), a voucher dated in a closed year.

    Example: ledger import lon-2021-01.se --dry-run
    """
    from sodertorn_ledger.sie import read_sie

    sie, problems = read_sie(sie_file)
    report_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    if sie is None or errors:
        count = f"{plural(len(errors), 'error')} above" if errors else "it cannot be read"
        fail(f"refused to import {sie_file}: {count}; nothing was written")
    write_books(
        books_path(file),
        lambda snapshot, books: _import(file, sie_file, sie, snapshot, books, as_json=as_json),
        dry_run=dry_run,
    )


def _import(
    file: Path | None,
    sie_file: Path,
    sie: "SieFile",
    snapshot: "Snapshot",
    books: "Books | None",
    *,
    as_json: bool,
) -> None:
    """Plan the import from the books as they are; print it (a dry run, `books` None) or
    rehearse it on a copy of the books and append it."""
    from sodertorn_ledger.books_writer import diff, plan_appends
    from sodertorn_ledger.close import new_year_file
    from sodertorn_ledger.fees import books_decimal_mark
    from sodertorn_ledger.sie import with_source_lines
    from sodertorn_ledger.sie_books import plan_import

    path = books_path(file)
    # The files the plan may change, read before the books are: planned from those bytes.
    fiscal = sie.years.get(0)
    years = sorted({v.date.year for v in sie.vouchers} | ({fiscal.start.year} if fiscal else set()))
    for name in [path, *(path.parent / f"{year}.journal" for year in years)]:
        if name.is_file():
            snapshot.read(name)
    journal = load_books(file)
    settings = load_settings(path, journal)
    journals = [path, *(new_year_file(journal, year) for year in years)]
    texts = [snapshot.read_text(name) or "" for name in journals]
    plan = plan_import(
        sie,
        str(sie_file),
        journal,
        settings,
        commodity=settings.currency,
        decimal_mark=books_decimal_mark(texts),
    )
    report_problems(with_source_lines(plan.problems, sie_file))
    if plan.refused:
        fail(f"refused to import {sie_file}; nothing was written")
    appends = plan_appends(
        snapshot,
        journal,
        settings.organisation,
        [(y.year, y.text) for y in plan.years if y.text],
        "vouchers appended",
    )
    if appends.problems:
        report_problems(appends.problems)
        fail(f"refused to import {sie_file}; nothing was written")
    targets = [new_year_file(journal, y.year) for y in plan.years]
    anything = any(y.text for y in plan.years)
    if books is not None and anything:
        check = _read_back(sie, str(sie_file), settings)
        refusal = "the vouchers did not read back cleanly; the books are unchanged"
        append_rehearsed(books, journal, appends, check, refusal)
    if as_json:
        from sodertorn_ledger.render.json_report import import_json, print_json

        print_json(import_json(sie_file, plan, targets, dry_run=books is None))
        return
    _notes(plan, sie_file)
    if not anything:
        typer.echo(_counted(plan, sie_file, "nothing was imported"))
        return
    opened = [words for o in appends.opened if (words := opened_words(o, path))]
    if books is None:
        written = [y.text for y in plan.years if y.text]
        if len(written) == 1 and not opened:
            typer.echo(written[0], nl=False)
        else:
            typer.echo(diff(appends.edits), nl=False)
        would = f"would have {', '.join(opened)}, and " if opened else "would have "
        say(f"(dry run: nothing written; {would}{_imported(plan, targets)})")
        return
    for words in opened:
        typer.echo(words)
    typer.echo(_counted(plan, sie_file, _imported(plan, targets)))


def _imported(plan: "ImportPlan", targets: list[Path]) -> str:
    """``imported 31 vouchers into ledger/2009.journal and 53 into ledger/2010.journal``."""
    parts: list[str] = []
    for year, target in zip(plan.years, targets, strict=True):
        if year.imported:
            count = str(year.imported) if parts else plural(year.imported, "voucher")
            parts.append(f"{count} into {target}")
    if plan.opening:
        parts.append("the opening balances")
    return "imported " + " and ".join(parts) if parts else "imported nothing"


def _counted(plan: "ImportPlan", sie_file: Path, done: str) -> str:
    """The file's vouchers, what was done with them and what was there already."""
    line = f"{sie_file}: {plural(plan.vouchers, 'voucher')}; {done}"
    if plan.already:
        line += f"; {plan.already} in the books already"
    if plan.empty:
        line += f"; {plan.empty} without rows, nothing to book"
    return line + "."


def _notes(plan: "ImportPlan", sie_file: Path) -> None:
    """What the user should know of how the file was read into the years."""
    fiscal = plan.fiscal_year
    if len(plan.years) > 1:
        span = f" {fiscal.start.isoformat()} to {fiscal.end.isoformat()}" if fiscal else ""
        say(
            f"{sie_file}: the fiscal year{span} is in {len(plan.years)} calendar years: each "
            "voucher goes to the journal of its date's year"
        )
    if plan.opening and fiscal is not None:
        say(
            f"{sie_file}: the books have no transactions yet: the file's opening balances "
            f"(#IB) open them, dated {fiscal.start.isoformat()}"
        )
    if plan.opening_left_out:
        say(
            f"{sie_file}: the file's opening balances (#IB) are not booked: the books have "
            "opening balances of their own"
        )


def _read_back(
    sie: "SieFile", name: str, settings: "Settings"
) -> "Callable[[Path], list[Problem]]":
    """The rehearsal's check: the books with the vouchers read without errors, and every
    voucher of the file is in them (importing it again would book nothing)."""

    def check(copy: Path) -> "list[Problem]":
        from sodertorn_ledger.journal.loader import load_journal
        from sodertorn_ledger.problems import Problem
        from sodertorn_ledger.sie_books import plan_import

        books = load_journal(copy)
        if books.errors:
            return books.errors
        again = plan_import(sie, name, books, settings, commodity="", decimal_mark=",")
        if again.imported or again.opening:
            message = f"internal error: {again.imported} vouchers not in the books after importing"
            return [Problem(name, 0, message)]
        return []

    return check
