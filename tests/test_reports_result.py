"""`compute_result`: the operating fund line by line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.money import round_kr
from sodertorn_ledger.reports.funds import compute_summary
from sodertorn_ledger.reports.result import compute_result
from sodertorn_ledger.settings import load_settings

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
D = Decimal

PUBLISHED_COSTS_2020 = [
    ("Personalkostnader", 1_444_300),
    ("Kommunikation, Tele/IT", 5_489),
    ("Resor och Logi", 330),
    ("Representation", 31_637),
    ("Program o Licenser", 1_663),
    ("Övriga avgifter", 116),
    ("Övriga konsulter", 10_938),
    ("Övriga kostnader", 9_596),
    ("Projekt", 320_300),
]


def test_bundled_2020_as_published() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    result = compute_result(journal, settings, 2020)
    assert result is not None
    assert result.fund == "Södertörnssamarbetet drift"
    assert [(x.name, int(round_kr(x.amount))) for x in result.income] == [
        ("Intäkt kommunerna", 2_012_800)
    ]
    assert [(x.name, int(round_kr(x.amount))) for x in result.costs] == PUBLISHED_COSTS_2020
    # The published quirk: the lines round to 1 824 369, the exact sum to 1 824 368.
    assert sum(n for _, n in PUBLISHED_COSTS_2020) == 1_824_369
    assert round_kr(result.total_costs) == 1_824_368
    assert round_kr(result.result) == 188_432
    assert result.unconfigured == []
    drift = compute_summary(journal, settings, 2020).funds[0]
    assert (result.total_income, -result.total_costs) == (drift.income, drift.costs)


def test_deficit_and_an_account_without_a_line(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "account kostnader:drift:resor\n"
        "2021-02-01 Avgift\n"
        "    tillgångar:bank   100,00 kr\n"
        "    intäkter:drift:avgifter:botkyrka\n"
        "2021-03-01 Lön\n"
        "    kostnader:drift:personal:lön   200,00 kr\n"
        "    kostnader:drift:resor   0,50 kr\n"
        "    tillgångar:bank\n",
    )
    result = compute_result(journal, settings, 2021)
    assert result is not None
    assert [(x.name, x.amount) for x in result.costs] == [
        ("Personal", D("200.00")),
        ("Projekt", D(0)),
        ("kostnader:drift:resor", D("0.50")),
    ]
    assert result.unconfigured == ["kostnader:drift:resor"]
    assert result.total_costs == D("200.50")
    assert result.result == D("-100.50")


def test_bundled_2020_detail_the_postings_make_each_published_line() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    plain = compute_result(journal, settings, 2020)
    result = compute_result(journal, settings, 2020, detail=True)
    assert result is not None and plain is not None
    # The same report, with the postings behind each line.
    assert [(x.name, x.amount) for x in result.costs] == [(x.name, x.amount) for x in plain.costs]
    assert all(x.postings == () for x in (*plain.income, *plain.costs))
    for line in (*result.income, *result.costs):
        assert line.postings, line.name
        assert sum(p.amount for p in line.postings) == line.amount, line.name
        dates = [p.date for p in line.postings]
        assert dates == sorted(dates), line.name
    by_name = {x.name: x for x in result.costs}
    assert [
        int(round_kr(sum((p.amount for p in by_name[n].postings), D(0))))
        for n, _ in PUBLISHED_COSTS_2020
    ] == [n for _, n in PUBLISHED_COSTS_2020]
    representation = by_name["Representation"].postings
    assert [(p.date.isoformat(), p.amount) for p in representation] == [
        ("2020-01-20", D("12400.00")),
        ("2020-03-23", D("4351.00")),
        ("2020-08-31", D("7286.00")),
        ("2020-09-14", D("7600.00")),
    ]
    assert {p.account for p in representation} == {"kostnader:drift:representation"}
    assert representation[0].file.endswith("2020.journal")
    # Income is shown positive, as the line: the postings' sign is turned.
    [fees] = result.income
    assert sum(p.amount for p in fees.postings) == D("2012800.00")
    assert all(p.amount > 0 for p in fees.postings)


def test_detail_of_a_line_of_its_own(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "account kostnader:drift:resor\n"
        "2021-03-01 Lön\n"
        "    kostnader:drift:personal:lön   200,00 kr\n"
        "    kostnader:drift:resor   0,50 kr\n"
        "    tillgångar:bank\n"
        "2021-02-01 Resa\n"
        "    kostnader:drift:resor   1,50 kr\n"
        "    tillgångar:bank\n",
    )
    result = compute_result(journal, settings, 2021, detail=True)
    assert result is not None
    own = result.costs[-1]
    assert (own.name, own.configured, own.amount) == ("kostnader:drift:resor", False, D("2.00"))
    # In date order, though the books have them the other way round.
    assert [(p.date.month, p.amount) for p in own.postings] == [(2, D("1.50")), (3, D("0.50"))]
    assert [p.amount for p in result.costs[0].postings] == [D("200.00")]
    assert result.costs[1].postings == ()  # Projekt: nothing booked
