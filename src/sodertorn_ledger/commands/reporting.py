"""What the report commands (summary, result, projects, balance) share: the books and
their settings for one year, and printing a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sodertorn_ledger.commands.common import books_path, fail, load_books, load_settings_beside

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.settings import Settings

YearArgument = Annotated[
    int,
    typer.Argument(
        help="The year of the report, e.g. 2020.",
        metavar="YEAR",
        min=1900,
        max=2999,
        show_default=False,
    ),
]


def load_year(file: Path | None, year: int) -> tuple[Journal, Settings]:
    """The checked books and their settings; exit 1 with a message when either is bad or
    the books have nothing in `year` (a year just opened by the close of the year before
    counts: its opening balances are worth seeing before anything is booked)."""
    from sodertorn_ledger.reports.funds import has_transactions, is_closed, years_in

    journal = load_books(file)
    path = books_path(file)
    settings = load_settings_beside(path)
    if not has_transactions(journal, year) and not is_closed(journal, year - 1):
        years = years_in(journal)
        have = (
            f"the books have {', '.join(map(str, years))}"
            if years
            else "the books have no transactions at all"
        )
        fail(f"no transactions in {year} in {path} ({have})")
    return journal, settings


def compute_summary_or_warn(journal: Journal, settings: Settings, year: int) -> Summary:
    """The Sammanställning of `year`; a warning names accounts that belong to no fund."""
    from sodertorn_ledger.reports.funds import compute_summary

    summary = compute_summary(journal, settings, year)
    if summary.unassigned:
        warn(
            "accounts in no fund, left out of the Sammanställning (add them to a "
            f"[[funds]] entry in sodertorn.toml): {', '.join(summary.unassigned)}"
        )
    return summary


def warn(message: str) -> None:
    typer.echo(f"ledger: warning: {message}", err=True)


def print_json(data: dict[str, Any]) -> None:
    """`data` as indented JSON on stdout, non-ASCII as written (every command's --json)."""
    import json  # here: only --json needs it, and every command's start would pay for it

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_table(renderable: RenderableType) -> None:
    from sodertorn_ledger.render.terminal import make_console

    console = make_console()
    if console.is_terminal:
        console.print(renderable)
        return
    # Piped or captured: plain text without the padding rich adds to fill each line.
    with console.capture() as captured:
        console.print(renderable)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()).rstrip("\n"))
