"""`ledger sie YEAR [PATH]`: the year's books as an SIE 4 file, for the auditors and the
host municipality."""

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import check_new_file, load_year, write_new_file
from sodertorn_ledger.commands.options import FileOption, JsonOption, YearArgument
from sodertorn_ledger.commands.output import Warnings, fail, plural, report_problems

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The reproducible-builds variable: when set, #GEN is its date instead of today's, so the
same books give the same file byte for byte."""


def sie(
    year: YearArgument,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The SIE file to write (default: sie-YEAR.se here).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the SIE file if it already exists.")
    ] = False,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the books of YEAR as an SIE 4 file (#SIETYP 4), the file every Swedish
    accounting program reads: each account's number from [sie.accounts] of
    sodertorn.toml, #IB and #UB of the balance accounts, #RES of the income and cost
    accounts (the result before the close), one #VER per transaction of the year (series
    A, numbered in date order; the year's close is not one), projects as objects of
    dimension 6, and a #KSUMMA. Every account without a number is listed, and nothing is
    written. Text that PC8 (code page 437) cannot hold is written in characters it has,
    each change said. An existing file is kept unless --force.

    Example: ledger sie 2020 revision/sie-2020.se
    """
    from sodertorn_ledger import __version__
    from sodertorn_ledger.fileio import write_atomic
    from sodertorn_ledger.reports.funds import is_provisional
    from sodertorn_ledger.sie import parse_sie, with_source_lines, write_sie
    from sodertorn_ledger.sie_books import books_to_sie

    target = path or Path(f"sie-{year}.se")
    check_new_file(target, "the SIE file", force=force)
    journal, settings = load_year(file, year)
    made, problems = books_to_sie(
        journal, settings, year, generated=_generated(), version=__version__
    )
    report_problems(problems)
    if made is None:
        count = plural(sum(p.severity == "error" for p in problems), "problem")
        fail(f"no SIE file of {year}: {count} above; nothing was written")
    Warnings().provisional(year, is_provisional(journal, year))
    data, changed = write_sie(made, str(target))
    if data is None:
        report_problems(changed)
        fail(f"the SIE file of {year} cannot be written; nothing was written")
    # Read back as any reader will: a file our own reader does not take is never left.
    written, read_problems = parse_sie(str(target), data)
    errors = [p for p in read_problems if p.severity == "error"]
    if written is None or errors or written.checksum is None:
        report_problems(errors)
        fail(f"internal error: the SIE file of {year} does not read back; nothing was written")
    write_new_file(target, lambda: write_atomic(target, data, overwrite=force))
    # Text written in other characters, at its line of the file now written (as PC8).
    report_problems(with_source_lines(changed, target))
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, sie_json

        print_json(sie_json(year, target, written))
        return
    typer.echo(
        f"Wrote {target}: {plural(len(written.accounts), 'account')}, "
        f"{plural(len(written.vouchers), 'voucher')}, #KSUMMA {written.checksum}"
    )


def _generated() -> dt.date:
    """Today, or the date of $SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        fail(f"${SOURCE_DATE_EPOCH} is {epoch!r}, not a number of seconds since 1970")
