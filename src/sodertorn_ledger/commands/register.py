"""`ledger register [PATTERN…]`: the postings behind a figure, with a running total."""

import datetime as dt
from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import load_books
from sodertorn_ledger.commands.options import Date, FileOption, JsonOption, OreOption, Year
from sodertorn_ledger.commands.output import fail, print_table


def register(
    patterns: Annotated[
        list[str] | None,
        typer.Argument(
            help="Account patterns: a regular expression searched in the account name, case "
            "ignored (representation, ^kostnader:drift); not:PATTERN leaves those out. "
            "Several: any of them. None: every account.",
            metavar="[PATTERN]...",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="Only the postings of this year.", click_type=Year(), show_default=False
        ),
    ] = None,
    start: Annotated[
        dt.date | None,
        typer.Option(
            "--from",
            help="Only the postings from this day on (YYYY-MM-DD, inclusive).",
            click_type=Date(),
            show_default=False,
        ),
    ] = None,
    end: Annotated[
        dt.date | None,
        typer.Option(
            "--to",
            help="Only the postings before this day (YYYY-MM-DD, exclusive, as hledger's -e: "
            "the first half of 2020 is --from 2020-01-01 --to 2020-07-01).",
            click_type=Date(),
            show_default=False,
        ),
    ] = None,
    tags: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            help="Only the postings with this tag (on the posting, its transaction or its "
            "account's declaration), and with VALUE, a value VALUE matches; both regular "
            "expressions, case ignored. Again for more: each must match.",
            metavar="NAME[:VALUE]",
            show_default=False,
        ),
    ] = None,
    payee: Annotated[
        str | None,
        typer.Option(
            "--payee",
            help="Only the transactions whose payee (the description before |) this regular "
            "expression matches, case ignored.",
            metavar="TEXT",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
) -> None:
    """The postings whose account matches a PATTERN, as hledger's register: date,
    description, account, amount and the running total, in date order (a day's postings
    in the order of the books), and their Summa. The same query in hledger
    (`hledger register PATTERN -p YEAR`) gives the same totals.

    PATTERN is a regular expression searched in the account name, case ignored
    (representation, ^kostnader:drift); not:PATTERN leaves those accounts out. Several:
    any of them; none: every account.

    Example: ledger register representation --year 2020
    """
    from sodertorn_ledger.reports.register import QueryError, compute_register, parse_query

    if year is not None and (start is not None or end is not None):
        fail("--year or --from/--to, not both", code=2)
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    try:
        query = parse_query(patterns or (), start=start, end=end, tags=tags or (), payee=payee)
    except QueryError as err:
        fail(str(err), code=2)
    report = compute_register(load_books(file), query)
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, register_json

        print_json(register_json(report))
    else:
        from sodertorn_ledger.render.terminal import render_register

        title = _title(year, start, end, [*(patterns or ()), *_others(tags, payee)])
        print_table(render_register(report, title, ore=ore))


def _title(year: int | None, start: dt.date | None, end: dt.date | None, query: list[str]) -> str:
    """``Posteringar 2020: representation``; of a period its last day is shown (--to is
    the day after)."""
    if year is not None:
        period = f" {year}"
    elif start is not None or end is not None:
        first = start.isoformat() if start else ""
        last = (end - dt.timedelta(days=1)).isoformat() if end else ""
        period = f" {first} – {last}".rstrip()
    else:
        period = ""
    return f"Posteringar{period}" + (f": {', '.join(query)}" if query else "")


def _others(tags: list[str] | None, payee: str | None) -> list[str]:
    return [*(f"tagg {t}" for t in tags or ()), *([f"motpart {payee}"] if payee else [])]
