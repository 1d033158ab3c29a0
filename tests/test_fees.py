"""The fee rule, pure: members, rate, population table and booked amounts in; fees out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sodertorn_ledger.fees import (
    booked_fees,
    books_decimal_mark,
    compute_fees,
    invoice_text,
    invoiced_accounts,
    kommun_name,
    population_date,
)
from sodertorn_ledger.journal.model import Posting, Transaction
from sodertorn_ledger.money import journal_amount
from sodertorn_ledger.population.model import Figure, PopulationTable
from sodertorn_ledger.render.json_report import fees_json
from sodertorn_ledger.settings import Member as M

MEMBERS = [
    M("0127", "Botkyrka", "intäkter:avgifter:botkyrka"),
    M("0140", "Nykvarn", "intäkter:avgifter:nykvarn"),
]
DEC31_2019 = dt.date(2019, 12, 31)


def table(figures: dict[tuple[str, dt.date], int]) -> PopulationTable:
    t = PopulationTable()
    for (code, date), n in figures.items():
        t.figures[(code, date)] = Figure(code, "", date, n, "befolkning/x.csv", 4)
    return t


def tx(date: str, tags: dict[str, str], *postings: tuple[str, str]) -> Transaction:
    return Transaction(
        dt.date.fromisoformat(date),
        "*",
        "",
        "x",
        tags,
        "",
        tuple(Posting(a, Decimal(v), False, None, {}, "", 1) for a, v in postings),
        "2020.journal",
        1,
    )


def test_population_date_is_31_december_of_the_year_before() -> None:
    assert population_date(2020) == DEC31_2019


def test_fees_rate_times_population() -> None:
    pop = table({("0127", DEC31_2019): 94606, ("0140", DEC31_2019): 11014})
    booked = {"intäkter:avgifter:botkyrka": Decimal("378424.00")}
    report, problems = compute_fees(
        2020, MEMBERS, Decimal("4.00"), pop, booked, folder="ledger/befolkning"
    )
    assert problems == [] and report is not None
    assert [(x.code, x.fee, x.booked, x.difference) for x in report.lines] == [
        ("0127", Decimal("378424.00"), Decimal("378424.00"), Decimal("0.00")),
        ("0140", Decimal("44056.00"), Decimal(0), Decimal("-44056.00")),
    ]
    assert report.total_population == 105620
    assert report.total_fee == Decimal("422480.00")
    assert fees_json(report)["total"] == {
        "population": 105620,
        "fee": "422480.00",
        "booked": "378424.00",
        "difference": "-44056.00",
        "paid": "0.00",
        "unpaid": "378424.00",
    }


def test_fees_are_exact_at_any_size() -> None:
    # Neither the rate (settings) nor a folkmängd (SCB's file) is bounded by the books'
    # limit on amounts: rate × folkmängd and its sums are exact however long (Python's
    # default context would round them to 28 digits).
    rate = Decimal("123456789012345678901234567890.01")
    population = 10**20 + 1
    pop = table({("0127", DEC31_2019): population, ("0140", DEC31_2019): population})
    report, problems = compute_fees(2020, MEMBERS, rate, pop, {}, folder="ledger/befolkning")
    assert problems == [] and report is not None
    ore = 12345678901234567890123456789001 * population  # the fee in öre, as an int

    def kr(ore: int) -> Decimal:
        return Decimal(f"{ore}E-2")  # from a string: exact (arithmetic would round)

    assert [line.fee for line in report.lines] == [kr(ore), kr(ore)]
    assert report.total_fee == kr(2 * ore)
    assert report.total_difference == kr(-2 * ore)
    assert fees_json(report)["total"]["fee"] == f"{2 * ore // 100}.{2 * ore % 100:02d}"


def test_missing_member_figure_names_member_date_and_folder() -> None:
    pop = table({("0127", DEC31_2019): 94606, ("0140", dt.date(2020, 12, 31)): 11222})
    report, problems = compute_fees(2020, MEMBERS, Decimal(4), pop, {}, folder="ledger/befolkning")
    assert report is None
    assert len(problems) == 1
    p = problems[0]
    assert "0140 Nykvarn" in p.message and "2019-12-31" in p.message
    assert p.file == "ledger/befolkning" and "ledger/befolkning" in p.hint


def test_booked_counts_only_avgift_year_on_fee_accounts() -> None:
    transactions = [
        tx(
            "2020-01-31",
            {"avgift": "2020", "kommun": "0127"},
            ("tillgångar:kundfordringar", "378424"),
            ("intäkter:avgifter:botkyrka", "-378424"),
        ),
        # another year's fee, an untagged correction, and a payment: not this year's fee
        tx("2020-01-31", {"avgift": "2019"}, ("a", "10"), ("intäkter:avgifter:botkyrka", "-10")),
        tx("2020-03-01", {}, ("a", "5"), ("intäkter:avgifter:nykvarn", "-5")),
        tx("2020-03-01", {"avgift": "2020"}, ("tillgångar:bank", "1"), ("a", "-1")),
        # a credit note reduces what is booked
        tx(
            "2020-06-01",
            {"avgift": "2020"},
            ("intäkter:avgifter:botkyrka", "424"),
            ("tillgångar:kundfordringar", "-424"),
        ),
    ]
    accounts = [m.fee_account for m in MEMBERS]
    assert booked_fees(transactions, 2020, accounts) == {
        "intäkter:avgifter:botkyrka": Decimal(378000),
        "intäkter:avgifter:nykvarn": Decimal(0),
    }
    assert set(invoiced_accounts(transactions, 2020, accounts)) == {"intäkter:avgifter:botkyrka"}


def test_journal_amount_styles() -> None:
    assert journal_amount(Decimal("378424"), "kr", ",") == "378 424,00 kr"
    assert journal_amount(Decimal("-1378424.5"), "kr", ",") == "-1 378 424,50 kr"
    assert journal_amount(Decimal("44056"), "kr", ".") == "44056.00 kr"
    assert journal_amount(Decimal("0.125"), "kr", ".") == "0.125 kr"


def test_books_decimal_mark() -> None:
    assert books_decimal_mark(["decimal-mark ,\n"]) == ","
    assert books_decimal_mark(["commodity 1 000,00 kr\n"]) == ","
    assert books_decimal_mark(["commodity 1,000.00 kr\n"]) == "."
    assert books_decimal_mark(["2020-01-01 x\n"]) == "."


def test_kommun_name_genitive() -> None:
    assert [kommun_name(n) for n in ("Botkyrka", "Nykvarn", "Tyresö", "Nynäshamn")] == [
        "Botkyrka kommun",
        "Nykvarns kommun",
        "Tyresö kommun",
        "Nynäshamns kommun",
    ]


def test_invoice_text_skips_invoiced_members() -> None:
    pop = table({("0127", DEC31_2019): 94606, ("0140", DEC31_2019): 11014})
    report, _ = compute_fees(2020, MEMBERS, Decimal("4.00"), pop, {}, folder="f")
    assert report is not None
    text = invoice_text(
        report,
        "tillgångar:kundfordringar",
        dt.date(2020, 1, 31),
        skip={"0127"},
        commodity="kr",
        decimal_mark=",",
    )
    assert text == (
        "2020-01-31 * Nykvarns kommun | Avgift 2020, 11 014 invånare à 4 kr"
        "  ; avgift:2020, kommun:0140\n"
        "    tillgångar:kundfordringar                            44 056,00 kr\n"
        "    intäkter:avgifter:nykvarn                           -44 056,00 kr\n"
    )
    none = invoice_text(
        report, "r", dt.date(2020, 1, 31), skip={"0127", "0140"}, commodity="kr", decimal_mark="."
    )
    assert none == ""


@given(
    st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=8),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)
def test_total_fee_is_rate_times_total_population(pops: list[int], rate: Decimal) -> None:
    members = [M(f"{i:04d}", f"K{i}", f"intäkter:{i}") for i in range(len(pops))]
    pop = table({(m.code, DEC31_2019): n for m, n in zip(members, pops, strict=True)})
    report, problems = compute_fees(2020, members, rate, pop, {}, folder="f")
    assert report is not None and problems == []
    assert report.total_fee == rate * sum(pops)
    assert report.total_difference == -report.total_fee
