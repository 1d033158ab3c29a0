"""The reports as JSON-ready dicts: exact amounts as strings with two decimals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sodertorn_ledger.money import to_json

if TYPE_CHECKING:  # each command imports only the report it makes
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.reports.projects import ProjectsReport
    from sodertorn_ledger.reports.result import OperatingResult


def summary_json(summary: Summary) -> dict[str, Any]:
    """{"year", "funds": [{"name", "note", "opening", "income", "costs", "closing"}], "total"}."""
    return {
        "year": summary.year,
        "funds": [
            {
                "name": row.name,
                "note": row.note,
                "opening": to_json(row.opening),
                "income": to_json(row.income),
                "costs": to_json(row.costs),
                "closing": to_json(row.closing),
            }
            for row in summary.funds
        ],
        "total": {
            "opening": to_json(summary.total.opening),
            "income": to_json(summary.total.income),
            "costs": to_json(summary.total.costs),
            "closing": to_json(summary.total.closing),
        },
    }


def result_json(result: OperatingResult) -> dict[str, Any]:
    return {
        "year": result.year,
        "fund": result.fund,
        "income": [{"name": line.name, "amount": to_json(line.amount)} for line in result.income],
        "costs": [{"name": line.name, "amount": to_json(line.amount)} for line in result.costs],
        "total": {
            "income": to_json(result.total_income),
            "costs": to_json(result.total_costs),
        },
        "result": to_json(result.result),
    }


def projects_json(report: ProjectsReport) -> dict[str, Any]:
    return {
        "year": report.year,
        "projects": [
            {
                "name": project.name,
                "tag": project.tag,
                "amount": to_json(project.amount),
                "suppliers": [
                    {"name": s.payee, "amount": to_json(s.amount)} for s in project.suppliers
                ],
            }
            for project in report.projects
        ],
        "total": to_json(report.total),
    }


def balance_json(sheet: BalanceSheet) -> dict[str, Any]:
    return {
        "year": sheet.year,
        "date": sheet.date.isoformat(),
        "assets": [{"account": a.name, "amount": to_json(a.amount)} for a in sheet.assets],
        "liabilities": [
            {"account": a.name, "amount": to_json(a.amount)} for a in sheet.liabilities
        ],
        "funds": [{"name": f.name, "amount": to_json(f.amount)} for f in sheet.funds],
        "total": {
            "assets": to_json(sheet.total_assets),
            "liabilities": to_json(sheet.total_liabilities),
            "funds": to_json(sheet.total_funds),
            "liabilities_and_funds": to_json(sheet.total_liabilities + sheet.total_funds),
        },
        "balanced": sheet.balanced,
        "difference": to_json(sheet.difference),
    }
