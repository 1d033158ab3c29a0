"""`reports/compare.py` and each report's `compare_*`: the year before beside the year,
rows paired by identity, rows of one year only kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from compare_books import ONE_YEAR, TWO_YEARS
from report_books import small_books
from sodertorn_ledger.reports.balance import compare_balance, compute_balance
from sodertorn_ledger.reports.compare import pair_rows
from sodertorn_ledger.reports.funds import (
    Totals,
    compare_summary,
    compute_summary,
    holds_year,
)
from sodertorn_ledger.reports.projects import compare_projects, compute_projects
from sodertorn_ledger.reports.result import compare_result, compute_result

D = Decimal


def test_pair_rows_keeps_the_years_order_then_adds_the_year_befores_own() -> None:
    pairs = pair_rows(["a1", "b1", "c1"], ["c0", "x0", "a0", "y0"], key=lambda r: r[0])
    assert pairs == [
        ("a1", "a0"),
        ("b1", None),
        ("c1", "c0"),
        (None, "x0"),
        (None, "y0"),
    ]
    assert pair_rows([], [], key=len) == []


def test_the_books_hold_a_year_with_its_own_transactions(tmp_path: Path) -> None:
    journal, _ = small_books(tmp_path / "two", TWO_YEARS)
    assert holds_year(journal, 2019) and holds_year(journal, 2020)
    assert not holds_year(journal, 2018)
    journal, _ = small_books(tmp_path / "one", ONE_YEAR)
    assert holds_year(journal, 2020)
    # The books' opening transaction is dated 2020-01-01: still no year 2019.
    assert not holds_year(journal, 2019)


def test_summary_each_fund_with_its_figures_of_the_year_before(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, TWO_YEARS)
    year = compute_summary(journal, settings, 2020)
    compared = compare_summary(year, compute_summary(journal, settings, 2019))
    assert compared.total == year.total  # the year's own figures are untouched
    assert [r.name for r in compared.funds] == [r.name for r in year.funds]
    rows = {r.name: r for r in compared.funds}
    assert rows["Drift"].previous == Totals(D(0), D(400), D(-150), D(0), D(250))
    assert rows["Drift"].opening == D(250)  # 2019 is not closed: provisional
    assert rows["Modellen"].previous == Totals(D(1000), D(0), D(-50), D(0), D(950))
    assert rows["Bidrag"].previous == Totals(D(0), D(300), D(0), D(0), D(300))
    assert compared.previous is not None and compared.previous.year == 2019
    assert compared.previous.total.closing == D(1500)
    assert compared.provisional


def test_summary_a_fund_of_the_year_before_only_comes_last_at_zero(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, TWO_YEARS)
    year = compute_summary(journal, settings, 2020)
    before = compute_summary(journal, settings, 2019)
    gone = before.funds[1]._replace(name="Avslutad", note="stängd 2019", marker=None)
    compared = compare_summary(year, before._replace(funds=(*before.funds, gone)))
    last = compared.funds[-1]
    assert last.name == "Avslutad" and last.previous is not None
    assert (last.opening, last.income, last.costs, last.closing) == (D(0),) * 4
    assert last.marker == 3  # its footnote numbered after the year's ¹⁾ ²⁾
    assert compared.total == year.total


def test_result_lines_paired_by_name(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, TWO_YEARS)
    year = compute_result(journal, settings, 2020)
    before = compute_result(journal, settings, 2019)
    assert year is not None and before is not None
    compared = compare_result(year, before)
    assert [(x.name, x.amount, x.previous) for x in compared.income] == [
        ("Avgifter", D("500.50"), D(400))
    ]
    # Configured lines are lines of both years: 0 the year before, not missing.
    assert [(x.name, x.amount, x.previous) for x in compared.costs] == [
        ("Personal", D(100), D(0)),
        ("Projekt", D(200), D(150)),
    ]
    assert compared.previous is not None and compared.previous.result == D(250)
    assert compared.result == D("200.50")


def test_result_an_unconfigured_line_of_the_year_before_is_no_warning_this_year(
    tmp_path: Path,
) -> None:
    journal, settings = small_books(
        tmp_path,
        TWO_YEARS + "\n2019-05-05 * Bank | Avgift\n    kostnader:drift:bank   12,00 kr\n"
        "    tillgångar:bank\n",
    )
    year = compute_result(journal, settings, 2020)
    before = compute_result(journal, settings, 2019)
    assert year is not None and before is not None
    assert before.unconfigured == ["kostnader:drift:bank"]
    compared = compare_result(year, before)
    last = compared.costs[-1]
    assert (last.name, last.amount, last.previous, last.configured) == (
        "kostnader:drift:bank",
        D(0),
        D(12),
        False,
    )
    assert compared.unconfigured == []
    assert compared.total_costs == year.total_costs


def test_projects_and_suppliers_of_one_year_only(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, TWO_YEARS)
    compared = compare_projects(
        compute_projects(journal, settings, 2020), compute_projects(journal, settings, 2019)
    )
    assert [(p.name, p.amount, p.previous) for p in compared.projects] == [
        ("Kartor, Details", D(200), None),
        ("Analys", D(0), D(150)),
    ]
    assert [(s.payee, s.amount, s.previous) for s in compared.projects[1].suppliers] == [
        ("Konsult AB", D(0), D(150))
    ]
    assert compared.total == D(200)
    assert compared.previous is not None and compared.previous.total == D(150)


def test_projects_the_untagged_costs_stay_last(tmp_path: Path) -> None:
    untagged = "\n2020-04-01 * Sweco | Workshop\n    kostnader:drift:projekt   30,00 kr\n"
    untagged += "    tillgångar:bank\n"
    journal, settings = small_books(tmp_path, TWO_YEARS + untagged)
    compared = compare_projects(
        compute_projects(journal, settings, 2020), compute_projects(journal, settings, 2019)
    )
    assert [p.tag for p in compared.projects] == ["Kartor", "Analys", None]


def test_balance_lines_paired_by_account_and_fund(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, TWO_YEARS)
    compared = compare_balance(
        compute_balance(journal, settings, 2020), compute_balance(journal, settings, 2019)
    )
    assert [(x.name, x.amount, x.previous) for x in compared.assets] == [
        ("tillgångar:bank", D("1700.50"), D(1550))
    ]
    # Paid in 2020: a line of the year before only, at 0 this year.
    assert [(x.name, x.amount, x.previous) for x in compared.liabilities] == [
        ("skulder:leverantörer", D(0), D(50))
    ]
    assert [(x.name, x.previous) for x in compared.funds] == [
        ("Drift", D(250)),
        ("Modellen", D(950)),
        ("Bidrag", D(300)),
    ]
    assert compared.balanced and compared.total_liabilities == 0
    assert compared.previous is not None and compared.previous.total_assets == D(1550)
