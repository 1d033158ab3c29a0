"""`trace_year`: every posting of the year with the fund, column, result line and project it
counts in; what it adds up to per fund, line and project is the reports' own figures."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.reports.funds import compute_summary, movements
from sodertorn_ledger.reports.projects import NO_PROJECT, compute_projects
from sodertorn_ledger.reports.result import compute_result
from sodertorn_ledger.reports.trace import TracedPosting, trace_year
from sodertorn_ledger.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
BOOKS = REPO / "ledger" / "main.journal"
D = Decimal


K = TypeVar("K")


def sums(traced: tuple[TracedPosting, ...], key: Callable[[TracedPosting], K]) -> dict[K, Decimal]:
    out: dict[K, Decimal] = {}
    for p in traced:
        out[key(p)] = out.get(key(p), D(0)) + p.amount
    return out


def assert_traces_the_reports(journal: Journal, settings: Settings, year: int) -> None:
    """Every posting of the year's own transactions once; per fund and column, per result
    line and per project, the list adds up to the report's figure."""
    traced = trace_year(journal, settings, year)
    own = [(t.file, p.line) for t, p in movements(journal, year)]
    assert Counter((p.file, p.line) for p in traced) == Counter(own)
    assert [p.date for p in traced] == sorted(p.date for p in traced)

    by_fund = sums(traced, lambda p: (p.fund, p.column))
    for row in compute_summary(journal, settings, year).funds:
        for column in ("income", "costs", "transfers"):
            # Booked amounts: the Sammanställning shows a fund's money with the sign turned.
            assert -by_fund.get((row.name, column), D(0)) == getattr(row, column), (row, column)
    assert {fund for fund, _ in by_fund} <= {
        None,
        *(r.name for r in compute_summary(journal, settings, year).funds),
    }

    result = compute_result(journal, settings, year)
    if result is not None:
        by_line = sums(traced, lambda p: p.result_line)
        for line in result.income:
            assert -by_line.get(line.name, D(0)) == line.amount, line
        for line in result.costs:
            assert by_line.get(line.name, D(0)) == line.amount, line
        named = {x.name for x in (*result.income, *result.costs)}
        assert {name for name, amount in by_line.items() if amount} <= {None, *named}

    by_project = sums(traced, lambda p: p.project)
    projects = compute_projects(journal, settings, year)
    assert {k: v for k, v in by_project.items() if k is not None} == {
        p.name: p.amount for p in projects.projects
    }


def bundled() -> tuple[Journal, Settings]:
    return load_journal(BOOKS), load_settings(BOOKS.parent / "sodertorn.toml")


def test_bundled_2020() -> None:
    journal, settings = bundled()
    assert_traces_the_reports(journal, settings, 2020)
    traced = trace_year(journal, settings, 2020)
    representation = [p for p in traced if p.result_line == "Representation"]
    assert [(p.date.isoformat(), p.amount) for p in representation] == [
        ("2020-01-20", D("12400.00")),
        ("2020-03-23", D("4351.00")),
        ("2020-08-31", D("7286.00")),
        ("2020-09-14", D("7600.00")),
    ]
    assert {(p.fund, p.column) for p in representation} == {("Södertörnssamarbetet drift", "costs")}
    # The other side of each transaction counts in no fund and on no line.
    bank = [p for p in traced if p.account == "tillgångar:bank"]
    assert bank and {(p.fund, p.column, p.result_line, p.project) for p in bank} == {
        (None, None, None, None)
    }
    # The opening balances are no posting of the year; every transaction balances.
    assert "Ingående balans 2020" not in {p.description for p in traced}
    assert sum(p.amount for p in traced) == 0


def test_a_year_with_transfers_untagged_project_costs_and_an_account_without_a_line(
    tmp_path: Path,
) -> None:
    journal, settings = small_books(
        tmp_path,
        "account kostnader:drift:resor\n"
        "2020-01-01 Ingående balans\n"
        "    tillgångar:fordringar   1 000,00 kr\n"
        "    fonder:modellen\n"
        "2020-02-01 Flytt\n"
        "    fonder:modellen   100,00 kr\n"
        "    fonder:bidrag\n"
        "2020-03-01 Sweco | workshop\n"
        "    kostnader:drift:projekt   12,00 kr\n"
        "    tillgångar:fordringar\n"
        "2020-03-02 Details | kartor  ; projekt:Kartor\n"
        "    kostnader:modellen   7,50 kr\n"
        "    kostnader:drift:projekt   2,50 kr\n"
        "    tillgångar:fordringar\n"
        "2020-03-03 SL | resa\n"
        "    kostnader:drift:resor   0,50 kr\n"
        "    tillgångar:fordringar\n",
    )
    assert_traces_the_reports(journal, settings, 2020)
    traced = {(p.account, p.amount): p for p in trace_year(journal, settings, 2020)}
    sweco = traced[("kostnader:drift:projekt", D("12.00"))]
    assert (sweco.result_line, sweco.project) == ("Projekt", NO_PROJECT)
    outside = traced[("kostnader:modellen", D("7.50"))]
    assert (outside.fund, outside.column, outside.result_line, outside.project) == (
        "Modellen",
        "costs",
        None,
        "Kartor, Details",
    )
    assert traced[("fonder:bidrag", D("-100.00"))].column == "transfers"
    resor = traced[("kostnader:drift:resor", D("0.50"))]
    assert resor.result_line == "kostnader:drift:resor"  # a line of its own, as the report


@pytest.mark.parametrize("year", [2019, 2020])
def test_generated_books_with_a_close(tmp_path: Path, year: int) -> None:
    from bench.generate import write_books

    books = write_books(tmp_path / "books", 600, "sv", seed=11)
    shutil.copy2(REPO / "ledger" / "sodertorn.toml", tmp_path / "books" / "sodertorn.toml")
    journal = load_journal(books.main)
    assert journal.errors == []
    settings = load_settings(tmp_path / "books" / "sodertorn.toml")
    assert_traces_the_reports(journal, settings, year)
