"""`ledger projects`: the year's project costs by the ``projekt:`` tag, with suppliers.

A project is every cost posting whose tag (its own or its transaction's) names it; the
supplier is the transaction's payee. Projects and suppliers come in the order they
first appear in the year, so a report reads like the books.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Journal
from sodertorn_ledger.reports.funds import account_class, movements
from sodertorn_ledger.settings import Settings


class SupplierCost(NamedTuple):
    payee: str
    amount: Decimal


class ProjectCost(NamedTuple):
    tag: str
    """The tag's value in the books."""
    name: str
    """The name to show (the settings' ``[projects.names]``, else the tag value)."""
    amount: Decimal
    suppliers: tuple[SupplierCost, ...]


class ProjectsReport(NamedTuple):
    year: int
    projects: tuple[ProjectCost, ...]
    total: Decimal


def compute_projects(journal: Journal, settings: Settings, year: int) -> ProjectsReport:
    """The cost of each project in `year`, split by supplier (payee)."""
    tag = settings.projects.tag
    by_project: dict[str, dict[str, Decimal]] = {}
    ordered = sorted(movements(journal, year), key=lambda tp: (tp[0].date, tp[0].file, tp[0].line))
    for transaction, posting in ordered:
        value = transaction.posting_tags(posting).get(tag)
        if value is None or account_class(journal, posting.account) != "X":
            continue
        suppliers = by_project.setdefault(value.strip(), {})
        payee = transaction.payee.strip()
        suppliers[payee] = suppliers.get(payee, ZERO) + posting.amount
    projects = tuple(
        ProjectCost(
            tag=value,
            name=settings.projects.display_name(value),
            amount=sum(suppliers.values(), ZERO),
            suppliers=tuple(SupplierCost(p, a) for p, a in suppliers.items()),
        )
        for value, suppliers in by_project.items()
    )
    return ProjectsReport(
        year=year, projects=projects, total=sum((p.amount for p in projects), ZERO)
    )
