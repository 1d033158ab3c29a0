"""`ledger check`: read and check the books, print one summary line."""

from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import books_path, load_books, load_settings_if_present
from sodertorn_ledger.commands.options import FileOption
from sodertorn_ledger.commands.output import plural


def check(
    file: FileOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also require every account to be declared (`account`)."),
    ] = False,
) -> None:
    """Read and check the books; report every problem with file and line. When the books
    have settings (sodertorn.toml beside the main journal), check them too: their values,
    and that every account they name is an account of the books.

    Example: ledger check --strict
    """
    journal = load_books(file, strict=strict)
    load_settings_if_present(books_path(file), journal)
    txns = journal.transactions
    postings = sum(len(t.postings) for t in txns)
    accounts = {p.account for t in txns for p in t.postings}
    span = ""
    if txns:
        dates = [t.date for t in txns]
        span = f", {min(dates).isoformat()} – {max(dates).isoformat()}"
    typer.echo(
        f"{books_path(file)}: OK, {plural(len(journal.files), 'file')}, "
        f"{len(txns)} transactions, {postings} postings, {len(accounts)} accounts{span}"
    )
