"""`ledger projects`: the year's project costs by the ``projekt:`` tag, with suppliers,
reconciled with the project line of `ledger result`.

A project is every cost posting whose tag (its own or its transaction's) names it; the
supplier is the transaction's payee. Projects and suppliers come in the order they
first appear in the year, so a report reads like the books.

How it reconciles with `ledger result`
--------------------------------------
- The project lines (`project_lines`) are the cost lines of ``[result]`` that hold the
  project costs: the line named as the tag (in any case: "Projekt" for ``projekt:``) and
  every line on whose accounts the year has a cost with the tag. In the bundled settings
  that is the line "Projekt" (``kostnader:drift:projekt``).
- A cost on a project line without the tag is not left out: it makes a row of its own,
  "utan projekt" (`NO_PROJECT`), and a warning at its line in the books.
- A tag written in another case than the settings' (``Projekt:`` for ``projekt:``) is
  counted as the tag, with a warning at its line: in the books it is another tag.
- So the Summa equals the project lines of `ledger result`, plus any tagged cost booked
  elsewhere (another fund's costs, say), which the report states as `outside`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal, Posting, Tags, Transaction
from sodertorn_ledger.problems import Problem
from sodertorn_ledger.reports.compare import pair_rows, with_previous_amounts
from sodertorn_ledger.reports.funds import (
    LinePosting,
    account_class,
    is_provisional,
    line_posting,
    movements,
)
from sodertorn_ledger.settings import Line, Settings, covers

NO_PROJECT = "utan projekt"
"""The row of the costs on a project line that carry no project tag."""


class SupplierCost(NamedTuple):
    payee: str
    amount: Decimal
    postings: tuple[LinePosting, ...] = ()
    """With ``detail``: the supplier's postings in the project, in the order of the
    report; they add up to `amount`."""
    previous: Decimal | None = None
    """In a comparison (`compare_projects`): the supplier's cost in the project the year
    before; None when it had none."""


class ProjectCost(NamedTuple):
    tag: str | None
    """The tag's value in the books; None for the row of untagged costs (`NO_PROJECT`)."""
    name: str
    """The name to show (the settings' ``[projects.names]``, else the tag value)."""
    amount: Decimal
    suppliers: tuple[SupplierCost, ...]
    previous: Decimal | None = None
    """In a comparison (`compare_projects`): the project's cost the year before; None when
    it had none."""


class ProjectsReport(NamedTuple):
    year: int
    projects: tuple[ProjectCost, ...]
    """The projects in the order they first appear; the untagged costs last."""
    total: Decimal
    lines: tuple[str, ...] = ()
    """The names of the project lines of `ledger result` the Summa reconciles with."""
    outside: Decimal = ZERO
    """Tagged costs on accounts of no project line: Summa − `outside` = those lines."""
    problems: tuple[Problem, ...] = ()
    """Warnings at their lines in the books: untagged costs on a project line, a tag
    written in another case."""
    provisional: bool = False
    """The year before has transactions but is not closed (`funds.is_provisional`)."""
    previous: ProjectsReport | None = None
    """In a comparison (`compare_projects`): the projects of the year before."""


def _find_tag(tags: Tags, tag: str) -> tuple[str, str] | None:
    """The tag as written and its value: `tag` itself, else one that differs in case."""
    if tag in tags:
        return tag, tags[tag]
    folded = tag.casefold()
    return next(((k, v) for k, v in tags.items() if k.casefold() == folded), None)


def project_lines(settings: Settings, tagged: Iterable[Account]) -> tuple[Line, ...]:
    """The cost lines of ``[result]`` that hold project costs (see the module docstring);
    `tagged`: the accounts of the year's costs with the project tag."""
    tag = settings.projects.tag.casefold()
    accounts = set(tagged)
    return tuple(
        line
        for line in settings.result.costs
        if line.name.casefold() == tag
        or any(covers(prefix, account) for prefix in line.accounts for account in accounts)
    )


def _line_of(settings: Settings, lines: tuple[Line, ...]) -> Callable[[Account], str | None]:
    """The project line an account's postings count on in `ledger result`, if any."""
    fund = settings.operating_fund
    operating = fund.costs if fund is not None else ()
    found: dict[Account, str | None] = {}

    def line_of(account: Account) -> str | None:
        if account not in found:
            found[account] = next(
                (
                    line.name
                    for line in lines
                    if any(covers(p, account) for p in line.accounts)
                    and any(covers(p, account) for p in operating)
                ),
                None,
            )
        return found[account]

    return line_of


class ProjectPosting(NamedTuple):
    """A posting that counts in a project (`project_postings`)."""

    transaction: Transaction
    posting: Posting
    tag: str | None
    """The project's tag value (stripped); None for a cost on a project line without the
    tag (`NO_PROJECT`)."""
    outside: bool = False
    """A cost with the tag on an account of no project line."""


class ProjectPostings(NamedTuple):
    lines: tuple[Line, ...]
    """The project lines of `ledger result` (`project_lines`)."""
    postings: tuple[ProjectPosting, ...]
    """In date order, those of one day in the order of their file and line."""
    problems: tuple[Problem, ...]
    """The warnings, each once, in the order of the postings."""


def project_postings(journal: Journal, settings: Settings, year: int) -> ProjectPostings:
    """The rule of which project a posting of `year` counts in (see the module
    docstring): a cost with the project tag in its tag's project, a cost on a project
    line without it in `NO_PROJECT`; anything else in none. The report, its ``--detail``
    and the workbook's Underlag all take the postings from here."""
    tag = settings.projects.tag
    ordered = sorted(movements(journal, year), key=lambda tp: (tp[0].date, tp[0].file, tp[0].line))
    found_tags = [_find_tag(t.posting_tags(p), tag) for t, p in ordered]
    tagged = (p.account for (_, p), found in zip(ordered, found_tags, strict=True) if found)
    lines = project_lines(settings, tagged)
    line_of = _line_of(settings, lines)
    counted: list[ProjectPosting] = []
    problems: dict[Problem, None] = {}  # ordered, each once
    for (transaction, posting), found in zip(ordered, found_tags, strict=True):
        line = line_of(posting.account)
        if found is None:
            if line is None:
                continue
            problems[_untagged(transaction, posting, line, tag)] = None
            counted.append(ProjectPosting(transaction, posting, None))
            continue
        written, value = found
        if line is None and account_class(journal, posting.account) != "X":
            continue  # e.g. the payment of the invoice: not a cost
        if written != tag:
            problems[_other_case(transaction, posting, written, value, tag)] = None
        counted.append(ProjectPosting(transaction, posting, value.strip(), outside=line is None))
    return ProjectPostings(lines, tuple(counted), tuple(problems))


def compute_projects(
    journal: Journal, settings: Settings, year: int, *, detail: bool = False
) -> ProjectsReport:
    """The cost of each project in `year`, split by supplier (payee), and the costs on
    the project lines without a tag. With `detail`, each supplier has its postings."""
    found = project_postings(journal, settings, year)
    by_project: dict[str | None, dict[str, Decimal]] = {}
    listed: dict[tuple[str | None, str], list[LinePosting]] = {}
    outside = ZERO
    for transaction, posting, value, elsewhere in found.postings:
        if elsewhere:
            outside += posting.amount
        suppliers = by_project.setdefault(value, {})
        payee = transaction.payee.strip()
        suppliers[payee] = suppliers.get(payee, ZERO) + posting.amount
        if detail:
            listed.setdefault((value, payee), []).append(
                line_posting(transaction, posting, posting.amount)
            )
    if None in by_project:
        by_project[None] = by_project.pop(None)  # the untagged costs last
    projects = tuple(
        ProjectCost(
            tag=value,
            name=NO_PROJECT if value is None else settings.projects.display_name(value),
            amount=sum(suppliers.values(), ZERO),
            suppliers=tuple(
                SupplierCost(p, a, tuple(listed.get((value, p), ()))) for p, a in suppliers.items()
            ),
        )
        for value, suppliers in by_project.items()
    )
    return ProjectsReport(
        year=year,
        projects=projects,
        total=sum((p.amount for p in projects), ZERO),
        lines=tuple(line.name for line in found.lines),
        outside=outside,
        problems=found.problems,
        provisional=is_provisional(journal, year),
    )


def compare_projects(report: ProjectsReport, previous: ProjectsReport) -> ProjectsReport:
    """`report` with the year before beside it: each project (paired by its tag) and each
    of its suppliers (by payee) gets its cost of `previous` (`compare.pair_rows`); a
    project or supplier only the year before has comes after the year's, with the year's
    cost 0; the costs without a tag stay last."""
    projects = []
    for project, earlier in pair_rows(report.projects, previous.projects, lambda p: p.tag):
        if project is None:
            assert earlier is not None
            project = ProjectCost(earlier.tag, earlier.name, ZERO, ())
        suppliers = with_previous_amounts(
            project.suppliers,
            earlier.suppliers if earlier is not None else (),
            lambda s: s.payee,
            lambda was: SupplierCost(was.payee, ZERO),
        )
        projects.append(
            project._replace(
                suppliers=suppliers,
                previous=None if earlier is None else earlier.amount,
            )
        )
    projects.sort(key=lambda p: p.tag is None)  # stable: only the untagged row moves
    return report._replace(projects=tuple(projects), previous=previous)


def _untagged(transaction: Transaction, posting: Posting, line: str, tag: str) -> Problem:
    return Problem(
        file=transaction.file,
        line=posting.line,
        message=(
            f"a cost on the line {line} of `ledger result` without a {tag}: tag; "
            f'`ledger projects` shows it as "{NO_PROJECT}"'
        ),
        hint=f"tag the transaction (or the posting) with {tag}:NAME",
        severity="warning",
    )


def _other_case(
    transaction: Transaction, posting: Posting, written: str, value: str, tag: str
) -> Problem:
    where = posting.line if written in posting.tags else transaction.line
    return Problem(
        file=transaction.file,
        line=where,
        message=(
            f"the tag {written}: is counted as {tag}:, the project tag of the settings; "
            f"written so it is another tag (`hledger tags` lists both)"
        ),
        hint=f"write it {tag}:{value.strip()}",
        severity="warning",
    )
