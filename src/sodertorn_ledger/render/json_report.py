"""Every command's `--json`: the reports as JSON-ready dicts, and the one way they are printed.

Amounts are exact strings with two decimals (`money.to_json`), never floats; names are as
the books and settings write them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sodertorn_ledger.money import round_percent, to_json

if TYPE_CHECKING:  # each command imports only the report it makes
    from sodertorn_ledger.close import ClosePlan
    from sodertorn_ledger.fees import Credit, FeeReport, Receivables
    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.problems import Problem
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.budget import BudgetReport, BudgetRow
    from sodertorn_ledger.reports.funds import FundRow, LinePosting, Summary, Totals
    from sodertorn_ledger.reports.projects import ProjectsReport
    from sodertorn_ledger.reports.register import Register
    from sodertorn_ledger.reports.result import OperatingResult, ResultLine
    from sodertorn_ledger.reports.trial_balance import TrialBalance
    from sodertorn_ledger.settings import Member
    from sodertorn_ledger.sie import SieFile
    from sodertorn_ledger.sie_books import ImportPlan


def postings_json(postings: Sequence[LinePosting]) -> list[dict[str, Any]]:
    """The postings behind a line (``--detail``): {"date", "description", "account",
    "amount", "file", "line"} and, in the Sammanställning, "column"; "amount" in the
    line's sign, so they add up to the line's figure."""
    out = []
    for p in postings:
        data: dict[str, Any] = {
            "date": p.date.isoformat(),
            "description": p.description,
            "account": p.account,
            "amount": to_json(p.amount),
            "file": p.file,
            "line": p.line,
        }
        if p.column is not None:
            data["column"] = p.column
        out.append(data)
    return out


def _amount_or_null(amount: Decimal | None) -> dict[str, str] | None:
    """A row's "previous" in a comparison: {"amount"} of the year before, or null."""
    return None if amount is None else {"amount": to_json(amount)}


_SUMMARY_KEYS = ("opening", "income", "costs", "transfers", "closing")


def _totals_json(totals: Totals | FundRow) -> dict[str, str]:
    return {key: to_json(getattr(totals, key)) for key in _SUMMARY_KEYS}


def summary_json(summary: Summary, *, detail: bool = False) -> dict[str, Any]:
    """{"year", "provisional", "funds": [{"name", "note", "opening", "income", "costs",
    "transfers", "closing", "previous"}], "total", "previous"}: opening + income + costs +
    transfers = closing. A fund's "previous" is its figures of the year before in a
    comparison (null without one, or for a fund that year did not have); the report's
    "previous" is {"year", "total"} of the year before, or null. With `detail`, each
    fund's "postings" (`postings_json`)."""
    previous = summary.previous
    return {
        "year": summary.year,
        "provisional": summary.provisional,
        "funds": [
            {
                "name": row.name,
                "note": row.note,
                **_totals_json(row),
                "previous": None if row.previous is None else _totals_json(row.previous),
                **({"postings": postings_json(row.postings)} if detail else {}),
            }
            for row in summary.funds
        ],
        "total": _totals_json(summary.total),
        "previous": None
        if previous is None
        else {"year": previous.year, "total": _totals_json(previous.total)},
    }


def _line_json(line: ResultLine, *, detail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": line.name,
        "amount": to_json(line.amount),
        "previous": _amount_or_null(line.previous),
    }
    if detail:
        data["postings"] = postings_json(line.postings)
    return data


def _result_totals(result: OperatingResult) -> dict[str, str]:
    return {"income": to_json(result.total_income), "costs": to_json(result.total_costs)}


def result_json(result: OperatingResult, *, detail: bool = False) -> dict[str, Any]:
    """Each line's "previous": {"amount"} of the year before in a comparison, else null;
    the report's "previous": {"year", "total", "result"} of the year before, or null. With
    `detail`, each line's "postings" (`postings_json`)."""
    previous = result.previous
    return {
        "year": result.year,
        "provisional": result.provisional,
        "fund": result.fund,
        "income": [_line_json(line, detail=detail) for line in result.income],
        "costs": [_line_json(line, detail=detail) for line in result.costs],
        "total": _result_totals(result),
        "result": to_json(result.result),
        "previous": None
        if previous is None
        else {
            "year": previous.year,
            "total": _result_totals(previous),
            "result": to_json(previous.result),
        },
    }


def _budget_row_json(row: BudgetRow, *, named: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"name": row.name} if named else {}
    data.update(
        {
            "budget": None if row.budget is None else to_json(row.budget),
            "year_budget": None if row.year_budget is None else to_json(row.year_budget),
            "actual": to_json(row.actual),
            "deviation": to_json(row.deviation),
            "percent": None if row.ratio is None else format(round_percent(row.ratio), "f"),
        }
    )
    if named:
        data["no_budget"] = row.flagged
    return data


def budget_json(report: BudgetReport) -> dict[str, Any]:
    """The follow-up: {"year", "provisional", "fund", "through", "days", "year_days",
    "income": [row], "costs": [row], "funds": [row], "total": {"income", "costs"},
    "result"}; a row {"name", "budget" (to date; null without one), "year_budget",
    "actual", "deviation" (positive = better than budget), "percent" (one decimal; null
    without a budget), "no_budget" (an outcome without a budget)}."""
    period = report.period
    return {
        "year": report.year,
        "provisional": report.provisional,
        "fund": report.fund,
        "through": period.through.isoformat(),
        "days": period.days,
        "year_days": period.year_days,
        "income": [_budget_row_json(row) for row in report.income],
        "costs": [_budget_row_json(row) for row in report.costs],
        "funds": [_budget_row_json(row) for row in report.funds],
        "total": {
            "income": _budget_row_json(report.total_income, named=False),
            "costs": _budget_row_json(report.total_costs, named=False),
        },
        "result": _budget_row_json(report.result, named=False),
    }


def projects_json(report: ProjectsReport, *, detail: bool = False) -> dict[str, Any]:
    """The projects (the untagged costs on a project line last, "tag": null), the Summa,
    and what it reconciles with: the `result_lines` of `ledger result` plus the tagged
    costs `outside_result_lines`. Each project's and supplier's "previous": {"amount"} of
    the year before in a comparison, else null; the report's "previous": {"year",
    "total"}, or null. With `detail`, each supplier's "postings" (`postings_json`)."""
    previous = report.previous
    return {
        "year": report.year,
        "provisional": report.provisional,
        "projects": [
            {
                "name": project.name,
                "tag": project.tag,
                "amount": to_json(project.amount),
                "previous": _amount_or_null(project.previous),
                "suppliers": [
                    {
                        "name": s.payee,
                        "amount": to_json(s.amount),
                        "previous": _amount_or_null(s.previous),
                        **({"postings": postings_json(s.postings)} if detail else {}),
                    }
                    for s in project.suppliers
                ],
            }
            for project in report.projects
        ],
        "total": to_json(report.total),
        "result_lines": list(report.lines),
        "outside_result_lines": to_json(report.outside),
        "previous": None
        if previous is None
        else {"year": previous.year, "total": to_json(previous.total)},
    }


def _balance_totals(sheet: BalanceSheet) -> dict[str, str]:
    return {
        "assets": to_json(sheet.total_assets),
        "liabilities": to_json(sheet.total_liabilities),
        "funds": to_json(sheet.total_funds),
        "liabilities_and_funds": to_json(sheet.total_liabilities + sheet.total_funds),
    }


def balance_json(sheet: BalanceSheet) -> dict[str, Any]:
    """The balance sheet; `unbalanced_by`: each account that is neither an asset, a
    liability nor in a fund, with its share of `difference` (they add up to it). Each
    line's "previous": {"amount"} at the end of the year before in a comparison, else
    null; the report's "previous": {"year", "date", "total"}, or null."""
    previous = sheet.previous
    return {
        "year": sheet.year,
        "provisional": sheet.provisional,
        "date": sheet.date.isoformat(),
        "assets": [
            {
                "account": a.name,
                "amount": to_json(a.amount),
                "previous": _amount_or_null(a.previous),
            }
            for a in sheet.assets
        ],
        "liabilities": [
            {
                "account": a.name,
                "amount": to_json(a.amount),
                "previous": _amount_or_null(a.previous),
            }
            for a in sheet.liabilities
        ],
        "funds": [
            {"name": f.name, "amount": to_json(f.amount), "previous": _amount_or_null(f.previous)}
            for f in sheet.funds
        ],
        "total": _balance_totals(sheet),
        "balanced": sheet.balanced,
        "difference": to_json(sheet.difference),
        "unbalanced_by": [
            {"account": x.name, "amount": to_json(x.amount)} for x in sheet.unbalanced_by
        ],
        "previous": None
        if previous is None
        else {
            "year": previous.year,
            "date": previous.date.isoformat(),
            "total": _balance_totals(previous),
        },
    }


def accounts_json(balances: TrialBalance) -> dict[str, Any]:
    return {
        "accounts": [{"account": a, "balance": to_json(b)} for a, b in balances.rows],
    }


def register_json(register: Register) -> dict[str, Any]:
    """{"postings": [{"date", "description", "account", "amount", "total", "file", "line",
    "tags"}], "total"}: "total" of a posting is the running total, "tags" those written on
    the posting and its transaction."""
    return {
        "postings": [
            {
                "date": row.date.isoformat(),
                "description": row.description,
                "account": row.account,
                "amount": to_json(row.amount),
                "total": to_json(row.total),
                "file": row.file,
                "line": row.line,
                "tags": row.tags,
            }
            for row in register.rows
        ],
        "total": to_json(register.total),
    }


def fees_json(report: FeeReport) -> dict[str, Any]:
    """Each member's fee, what is booked and paid of it; `credits`: what members have paid
    beyond their fees."""
    return {
        "year": report.year,
        "population_date": report.population_date.isoformat(),
        "rate": to_json(report.rate),
        "members": [
            {
                "code": line.code,
                "name": line.name,
                "population": line.population,
                "fee": to_json(line.fee),
                "booked": to_json(line.booked),
                "difference": to_json(line.difference),
                "paid": to_json(line.paid),
                "unpaid": to_json(line.unpaid),
            }
            for line in report.lines
        ],
        "total": {
            "population": report.total_population,
            "fee": to_json(report.total_fee),
            "booked": to_json(report.total_booked),
            "difference": to_json(report.total_difference),
            "paid": to_json(report.total_paid),
            "unpaid": to_json(report.total_unpaid),
        },
        "credits": _credits_json(report.credits),
    }


def unpaid_fees_json(receivables: Receivables) -> dict[str, Any]:
    """`ledger fees --unpaid`: every fee not paid in full at `date`, oldest first; `total`
    is what they owe, `credits` what members have paid beyond their fees."""
    assert receivables.date is not None  # the state of the books at a date
    return {
        "date": receivables.date.isoformat(),
        "unpaid": [
            {
                "year": fee.year,
                "code": fee.code,
                "name": fee.name,
                "invoice_date": fee.date.isoformat(),
                "days": receivables.days(fee),
                "amount": to_json(fee.unpaid),
                "file": fee.file,
                "line": fee.line,
            }
            for fee in receivables.unpaid
        ],
        "total": to_json(receivables.total_unpaid),
        "credits": _credits_json(receivables.credits),
    }


def _credits_json(credits: Sequence[Credit]) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "amount": to_json(c.amount)} for c in credits]


def invoices_json(
    report: FeeReport, file: Path, date: dt.date, skip: set[str], text: str, *, dry_run: bool
) -> dict[str, Any]:
    """What `ledger fees --book` appended (or would append): the members invoiced, those
    skipped (already invoiced), and the journal text."""
    return {
        "year": report.year,
        "file": str(file),
        "date": date.isoformat(),
        "dry_run": dry_run,
        "booked": [line.code for line in report.lines if line.code not in skip],
        "skipped": [line.code for line in report.lines if line.code in skip],
        "text": text,
    }


def population_json(
    table: PopulationTable, members: Sequence[Member], dates: Sequence[dt.date]
) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for date in dates:
        figures = [table.get(m.code, date) for m in members]
        complete = all(f is not None for f in figures)
        out.append(
            {
                "date": date.isoformat(),
                "members": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "population": f.population if f else None,
                        "file": f.file if f else None,
                        "line": (f.line or None) if f and not f.place else None,
                        "place": (f.place or None) if f else None,
                    }
                    for m, f in zip(members, figures, strict=True)
                ],
                "total": sum(f.population for f in figures if f) if complete else None,
            }
        )
    return {"dates": out}


def close_json(
    plan: ClosePlan,
    *,
    closed: bool,
    dry_run: bool = False,
    files: Sequence[str] = (),
    diff: str | None = None,
    refused: Sequence[Problem] = (),
) -> dict[str, Any]:
    """What `ledger close` did: the year, whether it is `closed` now and was before; then
    each fund's result and the files written (or, in a dry run, to be written, with their
    `diff`), or why it was `refused`."""
    data: dict[str, Any] = {
        "year": plan.year,
        "closed": closed,
        "already_closed": plan.already_closed,
    }
    if dry_run:
        data["dry_run"] = True
    if refused:
        data["refused"] = problems_json(refused)
        return data
    data["result"] = {r.name: to_json(r.result) for r in plan.results}
    data["files"] = list(files)
    if diff is not None:
        data["diff"] = diff
    return data


def sie_json(year: int, path: Path, sie: SieFile) -> dict[str, Any]:
    """What `ledger sie` wrote: the file, how many accounts (#KONTO) and vouchers, and its
    #KSUMMA."""
    return {
        "year": year,
        "path": str(path),
        "accounts": len(sie.accounts),
        "vouchers": len(sie.vouchers),
        "ksumma": sie.checksum,
    }


def import_json(
    file: Path, plan: ImportPlan, targets: Sequence[Path], *, dry_run: bool
) -> dict[str, Any]:
    """What `ledger import` booked (or would book): the file's vouchers, those imported,
    those the books had already, and per year (a fiscal year July-June goes to two) the
    journal they go to. `targets`: the journal of each of `plan.years`."""
    fiscal = plan.fiscal_year
    return {
        "file": str(file),
        "year": [y.year for y in plan.years],
        "vouchers": plan.vouchers,
        "imported": plan.imported,
        "already_imported": plan.already,
        "target": [str(t) for t in targets],
        "by_year": [
            {
                "year": y.year,
                "target": str(t),
                "vouchers": y.vouchers,
                "imported": y.imported,
                "already_imported": y.already,
            }
            for y, t in zip(plan.years, targets, strict=True)
        ],
        "empty": plan.empty,
        "opening": plan.opening,
        "fiscal_year": None
        if fiscal is None
        else {"start": fiscal.start.isoformat(), "end": fiscal.end.isoformat()},
        "dry_run": dry_run,
    }


def problems_json(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "message": p.message, "hint": p.hint} for p in problems
    ]


def print_json(data: dict[str, Any]) -> None:
    """`data` as indented JSON on stdout, non-ASCII as written."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
