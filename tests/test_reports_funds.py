"""The Sammanställning computed from the books: the bundled 2020 books to the öre, and
small books for the cases the bundled ones do not have."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.money import round_kr
from sodertorn_ledger.reports.funds import (
    CLOSING_TAG,
    FundRow,
    account_class,
    compute_summary,
    has_transactions,
    is_books_opening,
    is_provisional,
    opening_balances,
    resolve_funds,
    year_end_balances,
)
from sodertorn_ledger.settings import Settings, load_settings

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
D = Decimal

# Published Sammanställning 2020 (chapter 7): name, IB, Intäkter, Kostnader, UB.
PUBLISHED_2020 = [
    ("Södertörnssamarbetet drift", 0, 2_012_800, -1_824_368, 188_432),
    ("Södertörnsmodellen", 521_307, 0, -1_450, 519_857),
    ("Kommunikationsprojekt", 0, 50_500, 0, 50_500),
    ("Södertörnskonferensen", 0, 0, 0, 0),
    ("Bidrag från Tillväxtverket", 277_793, 0, 0, 277_793),
    ("Södertörnssamarbetet drift från 2019", 233_696, 0, 0, 233_696),
    ("Södertörnssamarbetet drift från 2018", 110_853, 0, 0, 110_853),
]
PUBLISHED_TOTAL_2020 = (1_143_649, 2_063_300, -1_825_818, 1_381_130)


def test_bundled_2020_every_published_cell_rounded_on_its_own() -> None:
    journal = load_journal(BOOKS)
    summary = compute_summary(journal, load_settings(BOOKS.parent / "sodertorn.toml"), 2020)
    got = [
        (r.name, *(int(round_kr(v)) for v in (r.opening, r.income, r.costs, r.closing)))
        for r in summary.funds
    ]
    assert got == PUBLISHED_2020
    t = summary.total
    assert tuple(int(round_kr(v)) for v in (t.opening, t.income, t.costs, t.closing)) == (
        PUBLISHED_TOTAL_2020
    )
    assert summary.unassigned == ()


def test_bundled_2020_totals_differ_from_the_sum_of_rounded_rows() -> None:
    # The published quirk: the UB rows add up to 1 381 131 but the total is 1 381 130.
    journal = load_journal(BOOKS)
    summary = compute_summary(journal, load_settings(BOOKS.parent / "sodertorn.toml"), 2020)
    assert sum(int(round_kr(r.closing)) for r in summary.funds) == 1_381_131
    assert round_kr(summary.total.closing) == 1_381_130
    assert summary.total.closing == sum((r.closing for r in summary.funds), D(0))


def test_bundled_2020_exact_amounts_and_identity() -> None:
    journal = load_journal(BOOKS)
    summary = compute_summary(journal, load_settings(BOOKS.parent / "sodertorn.toml"), 2020)
    drift = summary.funds[0]
    assert (drift.income, drift.costs, drift.closing) == (
        D("2012800.00"),
        D("-1824368.40"),
        D("188431.60"),
    )
    for row in summary.funds:
        assert row.closing == row.opening + row.income + row.costs
    assert [(r.marker, r.note) for r in summary.funds if r.note] == [
        (1, "medel som överförts från Nynäshamn 28 jan 2020"),
        (2, "avser systemanalysen från 2019"),
    ]
    assert summary.notes == [
        (1, "medel som överförts från Nynäshamn 28 jan 2020"),
        (2, "avser systemanalysen från 2019"),
    ]


def test_account_class_from_type_tags_inherited() -> None:
    journal = load_journal(BOOKS)
    assert account_class(journal, "tillgångar:bank") == "A"
    assert account_class(journal, "skulder:skatteverket") == "L"
    assert account_class(journal, "fonder:drift från 2030") == "E"
    assert account_class(journal, "kostnader:drift:personal:löner") == "X"
    assert account_class(journal, "okänt:konto") is None


def test_fund_with_only_ib_keeps_its_row_and_a_fund_without_anything_too(
    tmp_path: Path,
) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-01-01 Ingående balans\n"
        "    tillgångar:bank   1 000,00 kr\n"
        "    fonder:modellen  -1 000,00 kr\n",
    )
    rows = {r.name: r for r in compute_summary(journal, settings, 2021).funds}
    assert list(rows) == ["Drift", "Modellen", "Bidrag"]
    m = rows["Modellen"]
    assert (m.opening, m.income, m.costs, m.closing) == (D("1000.00"), D(0), D(0), D("1000.00"))
    b = rows["Bidrag"]
    assert (b.opening, b.income, b.costs, b.closing) == (D(0), D(0), D(0), D(0))


def test_deficit_year_gives_a_negative_closing_balance(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-02-01 Avgift\n"
        "    tillgångar:bank   100,00 kr\n"
        "    intäkter:drift:avgifter:botkyrka\n"
        "2021-03-01 Lön\n"
        "    kostnader:drift:personal   250,25 kr\n"
        "    tillgångar:bank\n",
    )
    drift = compute_summary(journal, settings, 2021).funds[0]
    assert (drift.opening, drift.income, drift.costs, drift.closing) == (
        D(0),
        D("100.00"),
        D("-250.25"),
        D("-150.25"),
    )


def test_fund_with_income_but_no_costs(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-01-28 Nynäshamns kommun | överföring\n"
        "    tillgångar:bank   50 500,00 kr\n"
        "    intäkter:bidrag\n",
    )
    summary = compute_summary(journal, settings, 2021)
    bidrag = summary.funds[2]
    assert (bidrag.opening, bidrag.income, bidrag.costs, bidrag.closing) == (
        D(0),
        D("50500.00"),
        D(0),
        D("50500.00"),
    )
    assert summary.total.income == D("50500.00")


def test_cost_with_ore_rounds_half_up_per_cell(tmp_path: Path) -> None:
    # 10,50 shows as 11 (half up, not to even) and 0,49 as 0: per cell, from exact sums.
    journal, settings = small_books(
        tmp_path,
        "2021-03-01 Material\n"
        "    kostnader:drift:personal   10,50 kr\n"
        "    tillgångar:bank\n"
        "2021-03-02 Material\n"
        "    kostnader:modellen   0,49 kr\n"
        "    tillgångar:bank\n",
    )
    summary = compute_summary(journal, settings, 2021)
    assert round_kr(summary.funds[0].costs) == -11
    assert round_kr(summary.funds[1].costs) == 0
    assert round_kr(summary.total.costs) == -11  # -10,99 exactly


CLOSE_2021 = (
    "2021-02-01 Avgift\n"
    "    tillgångar:bank   1 000,00 kr\n"
    "    intäkter:drift:avgifter:botkyrka\n"
    "2021-02-02 Modellen\n"
    "    kostnader:modellen   40,00 kr\n"
    "    tillgångar:bank\n"
    "account fonder:drift från 2021  ; fond:Testdrift från 2021\n"
    f"2021-12-31 Bokslut 2021  ; {CLOSING_TAG}:2021\n"
    "    intäkter:drift:avgifter:botkyrka   1 000,00 kr\n"
    "    fonder:drift från 2021  -1 000,00 kr\n"
    "    fonder:modellen   40,00 kr\n"
    "    kostnader:modellen  -40,00 kr\n"
    "2022-03-01 Lön\n"
    "    kostnader:drift:personal   300,00 kr\n"
    "    tillgångar:bank\n"
)


def test_close_is_not_movement_and_belongs_to_the_next_year(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, CLOSE_2021)
    rows_2021 = {r.name: r for r in compute_summary(journal, settings, 2021).funds}
    assert "Testdrift från 2021" not in rows_2021
    assert rows_2021["Drift"].income == D("1000.00")
    assert rows_2021["Drift"].closing == D("1000.00")
    assert rows_2021["Modellen"].closing == D("-40.00")

    summary_2022 = compute_summary(journal, settings, 2022)
    rows = {r.name: r for r in summary_2022.funds}
    assert list(rows) == ["Drift", "Modellen", "Bidrag", "Testdrift från 2021"]
    drift = rows["Drift"]
    assert (drift.opening, drift.income, drift.costs, drift.closing) == (
        D(0),
        D(0),
        D("-300.00"),
        D("-300.00"),
    )
    carried = rows["Testdrift från 2021"]
    assert (carried.opening, carried.closing) == (D("1000.00"), D("1000.00"))
    assert rows["Modellen"].opening == D("-40.00")
    assert rows["Modellen"].costs == 0


def test_close_dated_first_of_january_works_the_same(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path, CLOSE_2021.replace("2021-12-31 Bokslut", "2022-01-01 Bokslut")
    )
    rows = {r.name: r for r in compute_summary(journal, settings, 2022).funds}
    assert rows["Drift"].opening == 0 and rows["Drift"].income == 0
    assert rows["Testdrift från 2021"].opening == D("1000.00")
    assert rows["Modellen"].opening == D("-40.00") and rows["Modellen"].costs == 0


def test_unclosed_result_shows_as_the_operating_funds_opening(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-02-01 Avgift\n"
        "    tillgångar:bank   1 000,00 kr\n"
        "    intäkter:drift:avgifter:botkyrka\n"
        "2022-03-01 Lön\n"
        "    kostnader:drift:personal   300,00 kr\n"
        "    tillgångar:bank\n",
    )
    drift = compute_summary(journal, settings, 2022).funds[0]
    assert (drift.opening, drift.income, drift.costs, drift.closing) == (
        D("1000.00"),
        D(0),
        D("-300.00"),
        D("700.00"),
    )


def test_result_funds_newest_first_with_default_names(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-01-01 Ingående balans\n"
        "    tillgångar:bank   600,00 kr\n"
        "    fonder:drift från 2018  -100,00 kr\n"
        "    fonder:drift från 2020  -300,00 kr\n"
        "    fonder:drift från 2019  -200,00 kr\n",
    )
    funds = resolve_funds(journal, settings, 2021, year_end_balances(journal, 2021))
    assert [f.name for f in funds][3:] == [
        "Drift från 2020",
        "Drift från 2019",
        "Drift från 2018",
    ]
    assert [f.result_of for f in funds][3:] == [2020, 2019, 2018]
    summary = compute_summary(journal, settings, 2021)
    assert summary.total.opening == D("600.00")


def test_accounts_in_no_fund_are_reported(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-05-01 Okänt\n    tillgångar:bank   10,00 kr\n    intäkter:okänt\n",
    )
    summary = compute_summary(journal, settings, 2021)
    assert summary.unassigned == ("intäkter:okänt",)
    assert summary.total.income == 0


def test_has_transactions(tmp_path: Path) -> None:
    journal, _ = small_books(
        tmp_path, "2021-05-01 X\n    tillgångar:bank   1,00 kr\n    intäkter:bidrag\n"
    )
    assert has_transactions(journal, 2021)
    assert not has_transactions(journal, 2020)


# --- IB = UB of the year before; movements between funds as Överföringar ----------------

OPENED_2020_CLOSED = """\
2020-01-01 Ingående balans 2020
    tillgångar:bank   1 500,00 kr
    fonder:modellen  -1 000,00 kr
    fonder:drift från 2018  -500,00 kr
2020-02-01 Avgift
    tillgångar:bank   300,00 kr
    intäkter:drift:avgifter:botkyrka
2020-12-31 Bokslut 2020  ; bokslut:2020
    intäkter:drift:avgifter:botkyrka   300,00 kr
    fonder:drift från 2020  -300,00 kr
"""


def _rows(journal: Journal, settings: Settings, year: int) -> dict[str, FundRow]:
    return {r.name: r for r in compute_summary(journal, settings, year).funds}


def test_a_transfer_between_funds_is_neither_opening_nor_income(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        OPENED_2020_CLOSED + "2021-03-10 Beslut: medel till bidraget\n"
        "    fonder:drift från 2018   400,00 kr\n"
        "    fonder:bidrag  -400,00 kr\n",
    )
    ub_2020 = _rows(journal, settings, 2020)
    summary = compute_summary(journal, settings, 2021)
    rows = {r.name: r for r in summary.funds}
    # IB 2021 = UB 2020 for every fund, the drift result having moved to "från 2020".
    assert rows["Drift från 2020"].opening == ub_2020["Drift"].closing == D("300.00")
    assert rows["Drift"].opening == 0
    for name in ("Modellen", "Bidrag", "Drift från 2018"):
        assert rows[name].opening == ub_2020[name].closing, name
    assert (rows["Bidrag"].opening, rows["Bidrag"].transfers, rows["Bidrag"].closing) == (
        D(0),
        D("400.00"),
        D("400.00"),
    )
    old = rows["Drift från 2018"]
    assert (old.opening, old.transfers, old.closing) == (D("500.00"), D("-400.00"), D("100.00"))
    assert summary.has_transfers and summary.total.transfers == 0
    for row in summary.funds:
        assert row.opening + row.income + row.costs + row.transfers == row.closing
    t = summary.total
    assert t.opening + t.income + t.costs + t.transfers == t.closing
    assert not summary.provisional


def test_a_transfer_on_new_years_day_after_a_close_is_a_transfer(tmp_path: Path) -> None:
    # Only the books' first year has an opening transaction; later years open with the
    # balances after the close, so anything else on a fund's balance account is a transfer.
    journal, settings = small_books(
        tmp_path,
        OPENED_2020_CLOSED + "2021-01-01 Ingående balans 2021, bokad i onödan\n"
        "    tillgångar:bank   100,00 kr\n"
        "    fonder:modellen  -100,00 kr\n",
    )
    modellen = _rows(journal, settings, 2021)["Modellen"]
    assert (modellen.opening, modellen.transfers, modellen.closing) == (
        D("1000.00"),
        D("100.00"),
        D("1100.00"),
    )


def test_the_books_opening_transaction_is_the_first_years_ib(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, OPENED_2020_CLOSED)
    assert is_books_opening(journal, journal.transactions[0])
    assert not is_books_opening(journal, journal.transactions[1])
    summary = compute_summary(journal, settings, 2020)
    assert not summary.has_transfers
    assert summary.total.opening == D("1500.00")


def test_a_move_between_funds_on_the_first_day_is_no_opening(tmp_path: Path) -> None:
    # Equity against equity brings no money in: a transfer, even on 1 January.
    journal, settings = small_books(
        tmp_path,
        "2021-01-01 Ingående balans\n"
        "    tillgångar:bank   1 000,00 kr\n"
        "    fonder:modellen  -1 000,00 kr\n"
        "2021-01-01 Flytt\n"
        "    fonder:modellen   250,00 kr\n"
        "    fonder:bidrag  -250,00 kr\n",
    )
    rows = _rows(journal, settings, 2021)
    assert (rows["Modellen"].opening, rows["Modellen"].transfers) == (D("1000.00"), D("-250.00"))
    assert (rows["Bidrag"].opening, rows["Bidrag"].transfers) == (D(0), D("250.00"))


def test_opening_balances_are_the_balances_after_last_years_close(tmp_path: Path) -> None:
    journal, _ = small_books(tmp_path, OPENED_2020_CLOSED)
    opening = opening_balances(journal, 2021)
    closing = year_end_balances(journal, 2020)
    assert opening["tillgångar:bank"] == closing["tillgångar:bank"] == D("1800.00")
    assert opening["intäkter:drift:avgifter:botkyrka"] == 0  # closed
    assert closing["intäkter:drift:avgifter:botkyrka"] == D("-300.00")  # before the close
    assert opening["fonder:drift från 2020"] == D("-300.00")


def test_a_year_after_an_open_year_is_provisional(tmp_path: Path) -> None:
    open_2020 = OPENED_2020_CLOSED.split("2020-12-31 Bokslut")[0]
    journal, settings = small_books(
        tmp_path,
        open_2020 + "2021-02-01 X\n    kostnader:drift:personal   10,00 kr\n    tillgångar:bank\n",
    )
    assert is_provisional(journal, 2021)
    assert not is_provisional(journal, 2020)  # nothing before 2020
    summary = compute_summary(journal, settings, 2021)
    assert summary.provisional
    # Until the close, the drift result of 2020 sits in the drift fund's opening.
    assert summary.funds[0].opening == D("300.00")


def test_bundled_2020_detail_each_column_is_the_sum_of_its_postings() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    plain = compute_summary(journal, settings, 2020)
    summary = compute_summary(journal, settings, 2020, detail=True)
    assert summary.total == plain.total
    assert [r[:8] for r in summary.funds] == [r[:8] for r in plain.funds]
    for row in summary.funds:
        for column in ("income", "costs", "transfers"):
            found = sum((p.amount for p in row.postings if p.column == column), D(0))
            assert found == getattr(row, column), (row.name, column)
        assert row.opening + sum((p.amount for p in row.postings), D(0)) == row.closing
    drift, modellen, kommunikation, *rest = summary.funds
    assert len(drift.postings) == 69
    assert [(p.account, p.amount, p.column) for p in modellen.postings] == [
        ("kostnader:södertörnsmodellen", D("-1450.00"), "costs")
    ]
    assert [(p.date.isoformat(), p.amount, p.column) for p in kommunikation.postings] == [
        ("2020-01-28", D("50500.00"), "income")
    ]
    # The opening balances are no posting of the year.
    assert all(r.postings == () for r in rest)
    assert not summary.has_transfers


def test_detail_of_a_transfer_that_nets_to_zero_gets_its_column(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2020-01-01 Ingående balans\n"
        "    tillgångar:fordringar   100,00 kr\n"
        "    fonder:modellen\n"
        "2021-03-01 Flytt\n"
        "    fonder:modellen   10,00 kr\n"
        "    fonder:bidrag\n"
        "2021-03-02 Tillbaka\n"
        "    fonder:bidrag   10,00 kr\n"
        "    fonder:modellen\n",
    )
    assert not compute_summary(journal, settings, 2021).has_transfers
    summary = compute_summary(journal, settings, 2021, detail=True)
    # Nothing moved in the end, but the postings behind the zeros are shown in their column.
    assert summary.has_transfers
    modellen = next(r for r in summary.funds if r.name == "Modellen")
    assert modellen.transfers == 0
    assert [(p.amount, p.column) for p in modellen.postings] == [
        (D("-10.00"), "transfers"),
        (D("10.00"), "transfers"),
    ]


def test_year_end_balances_are_summed_once_and_each_caller_gets_its_own() -> None:
    journal = load_journal(BOOKS)
    first = year_end_balances(journal, 2020)
    assert list(journal.year_ends) == [2020]
    first["tillgångar:bank"] = D("1")  # as the close adds its postings to its copy
    again = year_end_balances(journal, 2020)
    assert again is not first and again == journal.year_ends[2020]
    assert again["tillgångar:bank"] != D("1")
    # What is kept is what summing the books gives.
    assert again == year_end_balances(load_journal(BOOKS), 2020)
