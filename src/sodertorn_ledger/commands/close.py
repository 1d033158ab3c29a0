"""`ledger close YEAR`: the year-end close (bokslut), safe to run unattended and often."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.loading import books_path, load_books, load_settings
from sodertorn_ledger.commands.options import FileOption, JsonOption
from sodertorn_ledger.commands.output import fail, print_table, report_problems

if TYPE_CHECKING:
    from sodertorn_ledger.close import ClosePlan
    from sodertorn_ledger.problems import Problem


def close(
    year: Annotated[
        int,
        typer.Argument(
            help="The year to close, e.g. 2020.", min=1900, max=2998, show_default=False
        ),
    ],
    file: FileOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print exactly what would be written; write nothing."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Close YEAR: move each fund's result into its balance, the operating result into a
    new fund "… drift från YEAR", and open YEAR+1 (a new file, included from main.journal).

    Safe to run again: a closed year that agrees with the books is left alone (exit 0);
    a closed year the books no longer agree with, or an earlier year left open, is refused
    (exit 1) with the accounts and amounts. Every changed file is copied to
    ledger/.backup/ first. No prompts: suited to cron and CI.

    Example: ledger close 2020 --dry-run
    """
    from sodertorn_ledger.close_files import CloseBusy, CloseConflict, diff, exclusive
    from sodertorn_ledger.render.json_report import close_json, print_json

    main = books_path(file)
    if not main.is_file():
        fail(f"no journal file at {main} (use -f PATH or set LEDGER_FILE)")
    written: list[Path] = []
    if dry_run:
        plan = _plan(file, year, as_json=as_json)
    else:
        # One close at a time: planning and writing under the lock, so a second run
        # (another cron job) plans from the books as the first one left them.
        try:
            with exclusive(main):
                plan = _plan(file, year, as_json=as_json)
                written = _write(plan, main) if plan.edits else []
        except CloseBusy as err:
            fail(f"{err}; nothing was written")
        except CloseConflict as err:
            fail(f"{err}; stopped (the next run completes the close)")
        except OSError as err:
            fail(f"cannot write {getattr(err, 'filename', '') or 'a file'}: {err.strerror or err}")

    files = [str(e.path) for e in plan.edits]
    if dry_run:
        if as_json:
            print_json(
                close_json(
                    plan, closed=plan.nothing_to_do, dry_run=True, files=files, diff=diff(plan)
                )
            )
            return
        _print_results(plan)
        if plan.nothing_to_do:
            typer.echo(f"{year} is already closed and agrees with the books; nothing to write.")
            return
        typer.echo(f"Dry run: nothing written. These changes would be made ({len(files)} files):")
        typer.echo(diff(plan), nl=False)
        return

    if as_json:
        print_json(close_json(plan, closed=True, files=[str(p) for p in written]))
        return
    _print_results(plan)
    if not written:
        typer.echo(f"{year} is already closed and agrees with the books; nothing to do.")
        return
    for edit in plan.edits:
        typer.echo(f"wrote {edit.path}: {edit.what}")
    if plan.already_closed:
        typer.echo(f"{year} was already closed; the missing steps are done now.")
    else:
        typer.echo(
            f"Closed {year}. {year + 1} is open: its opening balances are the closing "
            f"balances of {year}."
        )
        typer.echo(f"Copies of the files as they were: {main.parent / '.backup'}/")


def _plan(file: Path | None, year: int, *, as_json: bool) -> "ClosePlan":
    """Read the books and settings and plan the close; exit 1 on bad books or a refusal.

    A plan with edits is rehearsed on a copy of the books first: after it the books must
    read without errors and the close must find nothing left to do.
    """
    import datetime as dt

    from sodertorn_ledger.close import plan_close
    from sodertorn_ledger.close_files import read_text, rehearse
    from sodertorn_ledger.journal.loader import load_journal

    journal = load_books(file)
    main = books_path(file)
    settings = load_settings(main, journal)

    today = dt.date.today()
    plan = plan_close(journal, settings, year, read_text, today=today)
    if plan.refused:
        report_problems(list(plan.problems))
        if as_json:
            from sodertorn_ledger.render.json_report import close_json, print_json

            print_json(close_json(plan, closed=False, refused=plan.problems))
        fail(f"refused to close {year}; nothing was written")
    if not plan.edits:
        return plan

    copy_errors: list[Problem] = []

    def replan(copy: Path) -> "ClosePlan":
        copied = load_journal(copy)
        copy_errors.extend(copied.errors)
        return plan_close(copied, settings, year, read_text, today=today)

    check = rehearse(plan, journal.files, main, replan)
    if check is not None and (copy_errors or not check.nothing_to_do):
        report_problems(copy_errors + list(check.problems))
        fail(
            f"internal error: the close of {year} would not leave the books closed; "
            "nothing was written"
        )
    return plan


def _write(plan: "ClosePlan", main: Path) -> list[Path]:
    from sodertorn_ledger.close_files import apply_plan

    return apply_plan(plan, main)


def _print_results(plan: "ClosePlan") -> None:
    from sodertorn_ledger.render.terminal import render_close_results

    print_table(render_close_results(plan))
