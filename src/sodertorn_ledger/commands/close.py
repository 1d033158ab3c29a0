"""`ledger close YEAR`: the year-end close (bokslut), safe to run unattended and often."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.loading import (
    books_path,
    load_books,
    load_settings,
    main_journal,
    write_books,
)
from sodertorn_ledger.commands.options import FileOption, JsonOption, year_argument
from sodertorn_ledger.commands.output import fail, print_table, report_problems, warn

if TYPE_CHECKING:
    from sodertorn_ledger.books_writer import Books, Edit, Snapshot, Written
    from sodertorn_ledger.close import ClosePlan
    from sodertorn_ledger.problems import Problem


def close(
    year: Annotated[int, year_argument("The year to close, e.g. 2020.")],
    file: FileOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print exactly what would be written; write nothing."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Close YEAR: move each fund's result into its balance, the operating result into a
    new fund "… drift från YEAR", record the year's end balances (a later change to YEAR
    is then an error of every command), and open YEAR+1 (a new file, included from
    main.journal).

    Safe to run again: a closed year that agrees with the books is left alone (exit 0);
    one an earlier version closed gets its end balances recorded;
    a closed year the books no longer agree with, or an earlier year left open, is refused
    (exit 1) with the accounts and amounts. Every changed file is copied to
    ledger/.backup/ first. No prompts: suited to cron and CI; while another ledger
    command writes the books it stops at once (exit 1).

    Example: ledger close 2020 --dry-run
    """
    from sodertorn_ledger import books_writer
    from sodertorn_ledger.render.json_report import close_json, print_json

    def plan_and_apply(
        snapshot: "Snapshot", books: "Books | None"
    ) -> "tuple[ClosePlan, list[Edit], Written]":
        # Planned and written under the books' lock, so a second run (another cron job, a
        # `ledger fees --book`) waits for nothing and plans from the books as the first
        # one left them.
        plan, edits = _plan(file, year, snapshot, as_json=as_json)
        return plan, edits, books.apply(edits) if books else books_writer.Written(())

    main = main_journal(file)
    plan, edits, done = write_books(main, plan_and_apply, dry_run=dry_run, resumes="the close")
    written = done.files
    for path in done.kept:
        warn(f"{path}: {books_writer.KEPT}")

    files = [str(e.path) for e in edits]
    if dry_run:
        changes = books_writer.diff(edits)
        if as_json:
            print_json(
                close_json(plan, closed=plan.nothing_to_do, dry_run=True, files=files, diff=changes)
            )
            return
        _print_results(plan)
        if plan.nothing_to_do:
            typer.echo(f"{year} is already closed and agrees with the books; nothing to write.")
            return
        typer.echo(f"Dry run: nothing written. These changes would be made ({len(files)} files):")
        typer.echo(changes, nl=False)
        return

    if as_json:
        print_json(close_json(plan, closed=True, files=[str(p) for p in written]))
        return
    _print_results(plan)
    if not written:
        typer.echo(f"{year} is already closed and agrees with the books; nothing to do.")
        return
    for edit in edits:
        typer.echo(f"wrote {edit.path}: {edit.what}")
    if plan.already_closed:
        typer.echo(f"{year} was already closed; the missing steps are done now.")
    else:
        typer.echo(
            f"Closed {year}. {year + 1} is open: its opening balances are the closing "
            f"balances of {year}."
        )
        typer.echo(f"Copies of the files as they were: {main.parent / '.backup'}/")


def _plan(
    file: Path | None, year: int, snapshot: "Snapshot", *, as_json: bool
) -> "tuple[ClosePlan, list[Edit]]":
    """Read the books and settings and plan the close; exit 1 on bad books or a refusal.

    The files the close writes are read through `snapshot` before the books are loaded,
    so the edits are planned from the bytes the books were read from. A plan with edits
    is rehearsed on a copy of the books first: after it the books must read without
    errors and the close must find nothing left to do.
    """
    import datetime as dt

    from sodertorn_ledger.books_writer import Snapshot, rehearse
    from sodertorn_ledger.close import plan_close
    from sodertorn_ledger.journal.loader import load_journal

    main = books_path(file)
    for name in (main, main.parent / f"{year}.journal", main.parent / f"{year + 1}.journal"):
        snapshot.read(name)
    journal = load_books(file)
    settings = load_settings(main, journal)

    today = dt.date.today()
    plan = plan_close(journal, settings, year, snapshot.read_text, today=today)
    if plan.refused:
        report_problems(list(plan.problems))
        if as_json:
            from sodertorn_ledger.render.json_report import close_json, print_json

            print_json(close_json(plan, closed=False, refused=plan.problems))
        fail(f"refused to close {year}; nothing was written")
    edits = [snapshot.edit(e.path, e.after, e.what) for e in plan.edits]
    if not edits:
        return plan, edits

    copy_errors: list[Problem] = []

    def replan(copy: Path) -> "ClosePlan":
        copied = load_journal(copy)
        copy_errors.extend(copied.errors)
        return plan_close(copied, settings, year, Snapshot().read_text, today=today)

    check = rehearse(main, snapshot, journal.files, edits, replan)
    if copy_errors or not check.nothing_to_do:
        report_problems(copy_errors + list(check.problems))
        fail(
            f"internal error: the close of {year} would not leave the books closed; "
            "nothing was written"
        )
    return plan, edits


def _print_results(plan: "ClosePlan") -> None:
    from sodertorn_ledger.render.terminal import render_close_results

    print_table(render_close_results(plan))
