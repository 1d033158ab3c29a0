"""The postings behind the year's figures: the workbook's Underlag sheet.

Every posting of the year's own transactions (`funds.movements`: no opening balances, no
close), in date order, with where it counts: its fund and the Sammanställning's column,
its line of `ledger result`, its project. Each is placed by the rule its report uses
(`funds.fund_places`, `result.result_places`, `projects.project_postings`), so what the
list adds up to per fund, line or project is the report's figure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal
from sodertorn_ledger.reports.funds import (
    Column,
    fund_places,
    in_date_order,
    movements,
    resolve_funds,
)
from sodertorn_ledger.reports.projects import NO_PROJECT, project_postings
from sodertorn_ledger.reports.result import result_places
from sodertorn_ledger.settings import Settings


class TracedPosting(NamedTuple):
    date: dt.date
    code: str
    """The transaction's code (its verifikation number), '' when it has none."""
    description: str
    account: Account
    amount: Decimal
    """As booked: debit positive, credit negative."""
    fund: str | None
    """The fund it counts in (the Sammanställning's row), None for none."""
    column: Column | None
    """The Sammanställning's column it counts in."""
    result_line: str | None
    """The line of `ledger result` it counts on (an account with no line: the account)."""
    project: str | None
    """The project it counts in, as `ledger projects` names it (`NO_PROJECT` included)."""
    file: str
    line: int
    """The posting's line in `file`."""


def trace_year(journal: Journal, settings: Settings, year: int) -> tuple[TracedPosting, ...]:
    """Every posting of `year`'s own transactions with the fund, column, result line and
    project it counts in."""
    postings = in_date_order(movements(journal, year))
    # Which funds there are depends on the balances only for accounts without postings in
    # the year, and those place no posting here: the year's own accounts are enough.
    moved = dict.fromkeys((p.account for _, p in postings), ZERO)
    funds = resolve_funds(journal, settings, year, moved)
    fund_place = fund_places(funds)
    operating = settings.operating_fund
    line_place = result_places(operating, settings) if operating is not None else None
    projects = {
        (p.transaction.file, p.posting.line): (
            NO_PROJECT if p.tag is None else settings.projects.display_name(p.tag)
        )
        for p in project_postings(journal, settings, year).postings
    }
    traced = []
    for transaction, posting in postings:
        in_fund = fund_place(posting.account)
        on_line = line_place(posting.account) if line_place is not None else None
        traced.append(
            TracedPosting(
                date=transaction.date,
                code=transaction.code,
                description=transaction.description,
                account=posting.account,
                amount=posting.amount,
                fund=None if in_fund is None else funds[in_fund.fund].name,
                column=None if in_fund is None else in_fund.column,
                result_line=None if on_line is None else on_line.name,
                project=projects.get((transaction.file, posting.line)),
                file=transaction.file,
                line=posting.line,
            )
        )
    return tuple(traced)
