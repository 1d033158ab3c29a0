"""`reports.budget`: the operating fund's lines against [budget.YEAR], on small books with
lines under and over budget, lines without one, and a part of the year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from report_books import SMALL_SETTINGS, write_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.reports.budget import (
    BudgetPeriod,
    BudgetReport,
    budget_period,
    follow_up,
)
from sodertorn_ledger.settings import load_settings

D = Decimal

BOOKS_2021 = """\
account kostnader:drift:resor
2021-01-15 Avgift
    tillgångar:bank   1 200,00 kr
    intäkter:drift:avgifter:botkyrka
2021-03-31 Lön mars
    kostnader:drift:personal   300,00 kr
    tillgångar:bank
2021-04-01 Lön april
    kostnader:drift:personal   300,00 kr
    tillgångar:bank
2021-05-10 Kartor  ; projekt:Kartor
    kostnader:drift:projekt   100,00 kr
    tillgångar:bank
2021-06-01 Modellen
    kostnader:modellen   40,00 kr
    tillgångar:bank
"""


def books(tmp_path: Path, budget: str, journal: str = BOOKS_2021) -> Path:
    return write_books(tmp_path, journal, SMALL_SETTINGS + "\n" + budget)


def report(path: Path, year: int = 2021, through: dt.date | None = None) -> BudgetReport:
    journal = load_journal(path)
    assert journal.errors == []
    settings = load_settings(path.parent / "sodertorn.toml")
    found = follow_up(journal, settings, budget_period(year, through, dt.date(2099, 1, 1)))
    assert found is not None
    return found


def figures(report: BudgetReport) -> list[tuple[str, D | None, D, D]]:
    rows = (
        *report.income,
        report.total_income,
        *report.costs,
        report.total_costs,
        report.result,
        *report.funds,
    )
    return [(r.name, r.budget, r.actual, r.deviation) for r in rows]


def test_lines_under_and_over_budget(tmp_path: Path) -> None:
    path = books(
        tmp_path,
        '[budget.2021]\n"Avgifter" = "1000"\n"Personal" = "500"\n"Projekt" = "300.50"\n',
    )
    found = report(path)
    assert figures(found) == [
        # Income above budget and costs below it are positive deviations (better).
        ("Avgifter", D("1000.00"), D("1200.00"), D("200.00")),
        ("Summa intäkter", D("1000.00"), D("1200.00"), D("200.00")),
        ("Personal", D("500.00"), D("600.00"), D("-100.00")),  # over budget
        ("Projekt", D("300.50"), D("100.00"), D("200.50")),  # under budget
        ("Summa kostnader", D("800.50"), D("700.00"), D("100.50")),
        # The result's deviation is the sum of every line's.
        ("Årets resultat", D("199.50"), D("500.00"), D("300.50")),
    ]
    assert found.costs[0].ratio == D("1.2")
    assert found.result.ratio is None  # a surplus is no share of one
    assert found.flagged == []
    assert found.funds == ()  # the budget names no fund
    assert found.period.whole_year


def test_a_line_with_costs_and_no_budget_is_flagged(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Avgifter" = "1000"\n"Projekt" = "0"\n')
    found = report(path)
    personal, projekt = found.costs
    assert (personal.budget, personal.actual, personal.deviation) == (None, D(600), D(-600))
    assert personal.flagged and personal.ratio is None
    # A budget of 0 with costs: flagged too, and no share.
    assert projekt.budget == 0 and projekt.flagged and projekt.ratio is None
    assert found.flagged == ["Personal", "Projekt"]
    # The sums count a missing budget as 0.
    assert found.total_costs.budget == 0 and found.total_costs.deviation == D(-700)


def test_a_line_without_costs_or_budget_is_shown_unflagged(tmp_path: Path) -> None:
    journal = BOOKS_2021.replace("kostnader:drift:projekt", "kostnader:drift:personal")
    path = books(tmp_path, '[budget.2021]\n"Personal" = "700"\n', journal)
    projekt = report(path).costs[1]
    assert (projekt.name, projekt.budget, projekt.actual) == ("Projekt", None, D(0))
    assert not projekt.flagged


def test_an_account_without_a_line_is_shown_and_flagged(tmp_path: Path) -> None:
    journal = BOOKS_2021 + "2021-07-01 Resa\n    kostnader:drift:resor   10,00 kr\n"
    journal += "    tillgångar:bank\n"
    found = report(books(tmp_path, '[budget.2021]\n"Personal" = "700"\n', journal))
    own = found.costs[-1]
    assert (own.name, own.configured, own.flagged) == ("kostnader:drift:resor", False, True)
    assert found.unconfigured == ["kostnader:drift:resor"]


def test_the_funds_the_budget_names(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Personal" = "700"\n"Modellen" = "100"\n')
    funds = report(path).funds
    assert [(r.name, r.budget, r.actual, r.deviation, r.flagged) for r in funds] == [
        ("Modellen", D("100.00"), D("40.00"), D("60.00"), False),
        ("Bidrag", None, D(0), D(0), False),
    ]


def test_to_a_day_prorates_the_budget_and_counts_postings_up_to_it(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Avgifter" = "3650"\n"Personal" = "365000"\n')
    found = report(path, through=dt.date(2021, 3, 31))
    assert (found.period.days, found.period.year_days) == (90, 365)
    assert not found.period.whole_year
    avgifter, personal, projekt = (*found.income, *found.costs)
    assert (avgifter.budget, avgifter.year_budget) == (D("900.00"), D("3650.00"))
    # The salary of 31 March counts, that of 1 April does not.
    assert (personal.budget, personal.actual) == (D("90000.00"), D("300.00"))
    assert personal.deviation == D("89700.00")
    assert projekt.actual == 0  # booked in May
    assert found.total_costs.budget == D("90000.00")


def test_each_share_is_rounded_to_whole_ore_half_up() -> None:
    leap = BudgetPeriod(2020, dt.date(2020, 7, 1))  # 183 of 366 days: exactly a half
    assert leap.share(D("0.01")) == D("0.01")  # half an öre, up
    assert leap.share(D("0.03")) == D("0.02")  # 1.5 öre, up
    day_one = BudgetPeriod(2021, dt.date(2021, 1, 1))  # 1 of 365 days
    assert day_one.share(D("1.82")) == D("0.00")  # 0.4986 öre
    assert day_one.share(D("1.83")) == D("0.01")  # 0.5014 öre
    assert day_one.share(D("365000000000.00")) == D("1000000000.00")  # exact, however large
    whole = BudgetPeriod(2021, dt.date(2021, 12, 31))
    assert whole.whole_year and whole.share(D("123.45")) == D("123.45")


def test_the_period_runs_to_today_in_the_current_year_only() -> None:
    today = dt.date(2021, 5, 17)
    assert budget_period(2021, None, today).through == today
    assert budget_period(2020, None, today).through == dt.date(2020, 12, 31)
    assert budget_period(2022, None, today).through == dt.date(2022, 12, 31)
    given = dt.date(2021, 2, 1)
    assert budget_period(2021, given, today).through == given


def test_no_budget_for_the_year_is_none(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2020]\n"Personal" = "700"\n')
    journal = load_journal(path)
    settings = load_settings(path.parent / "sodertorn.toml")
    period = budget_period(2021, None, dt.date(2099, 1, 1))
    assert follow_up(journal, settings, period) is None
