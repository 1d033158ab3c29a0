"""`ledger check`: read and check the books, print one summary line."""

from typing import Annotated

import typer

from sodertorn_ledger.commands.common import FileOption, books_path, load_books


def check(
    file: FileOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also require every account to be declared (`account`)."),
    ] = False,
) -> None:
    """Read and check the books; report every problem with file and line.

    Example: ledger check --strict
    """
    journal = load_books(file, strict=strict)
    txns = journal.transactions
    postings = sum(len(t.postings) for t in txns)
    accounts = {p.account for t in txns for p in t.postings}
    span = ""
    if txns:
        dates = [t.date for t in txns]
        span = f", {min(dates).isoformat()} – {max(dates).isoformat()}"
    nfiles = len(journal.files)
    typer.echo(
        f"{books_path(file)}: OK, {nfiles} file{'s' if nfiles != 1 else ''}, "
        f"{len(txns)} transactions, {postings} postings, {len(accounts)} accounts{span}"
    )
