"""The fee rule, pure: members, rate, population table and booked amounts in; fees out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sodertorn_ledger.fees import (
    Credit,
    FeeBalance,
    Receivables,
    booked_fees,
    books_decimal_mark,
    compute_fees,
    compute_receivables,
    invoice_text,
    invoiced_accounts,
    kommun_name,
    population_date,
)
from sodertorn_ledger.journal.model import ZERO, Posting, Transaction
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


# --- payments -------------------------------------------------------------------------------

R = "tillgångar:kundfordringar"
FEE_ACCOUNT = {m.code: m.fee_account for m in MEMBERS}
NYKVARN_2020, NYKVARN_2021 = Decimal(44056), Decimal(44888)


def invoice(date: str, code: str, year: int, amount: Decimal) -> Transaction:
    """An invoice as `fees --book` writes it."""
    tags = {"avgift": str(year), "kommun": code}
    return tx(date, tags, (R, str(amount)), (FEE_ACCOUNT[code], str(-amount)))


def payment(date: str, code: str | None, amount: Decimal, year: int | None = None) -> Transaction:
    """A payment as the bundled books book it (a refund when `amount` is negative)."""
    tags = {"kommun": code} if code else {}
    if year is not None:
        tags["avgift"] = str(year)
    return tx(date, tags, ("tillgångar:bank", str(amount)), (R, str(-amount)))


def settled(*transactions: Transaction, until: str | None = None) -> Receivables:
    when = None if until is None else dt.date.fromisoformat(until)
    return compute_receivables(transactions, MEMBERS, R, until=when)


def paid_by_year(receivables: Receivables, code: str) -> dict[int, Decimal]:
    return {f.year: f.paid for f in receivables.fees if f.code == code}


BOOKS_2020 = (
    invoice("2020-01-31", "0127", 2020, Decimal(378424)),
    invoice("2020-01-31", "0140", 2020, NYKVARN_2020),
    payment("2020-02-27", "0127", Decimal(378424)),
)
"""The bundled books in short: both invoiced, Botkyrka pays in February."""


def test_a_fee_is_unpaid_until_a_payment_tagged_with_the_member_comes() -> None:
    at_year_end = settled(
        *BOOKS_2020, payment("2021-01-29", "0140", NYKVARN_2020), until="2020-12-31"
    )
    assert at_year_end.unpaid == [
        FeeBalance(
            2020,
            "0140",
            "Nykvarn",
            NYKVARN_2020,
            Decimal(0),
            dt.date(2020, 1, 31),
            "2020.journal",
            1,
        )
    ]
    (nykvarn,) = at_year_end.unpaid
    assert at_year_end.days(nykvarn) == 335
    assert at_year_end.total_unpaid == NYKVARN_2020 == at_year_end.balance
    assert at_year_end.paid(2020) == {"0127": Decimal(378424), "0140": Decimal(0)}
    assert at_year_end.unexplained == 0 and at_year_end.problems == ()

    paid = settled(*BOOKS_2020, payment("2021-01-29", "0140", NYKVARN_2020))
    assert paid.unpaid == [] and paid.total_unpaid == 0 and paid.balance == 0
    assert paid.paid(2020) == {"0127": Decimal(378424), "0140": NYKVARN_2020}
    assert paid.credits == ()
    with pytest.raises(ValueError):
        paid.days(paid.fees[0])  # the whole books have no date to count from


def test_a_partial_payment_leaves_the_rest_unpaid() -> None:
    part = settled(*BOOKS_2020, payment("2020-05-01", "0140", Decimal(20000)))
    assert [(f.code, f.paid, f.unpaid) for f in part.unpaid] == [
        ("0140", Decimal(20000), Decimal(24056))
    ]
    rest = settled(
        *BOOKS_2020,
        payment("2020-05-01", "0140", Decimal(20000)),
        payment("2020-06-01", "0140", Decimal(24056), 2020),
    )
    assert rest.unpaid == [] and paid_by_year(rest, "0140") == {2020: NYKVARN_2020}


def test_a_payment_without_a_year_pays_the_oldest_fee_first() -> None:
    books = (*BOOKS_2020, invoice("2021-01-29", "0140", 2021, NYKVARN_2021))
    r = settled(*books, payment("2021-03-01", "0140", Decimal(50000)))
    assert paid_by_year(r, "0140") == {2020: NYKVARN_2020, 2021: Decimal(5944)}
    assert [(f.year, f.unpaid) for f in r.unpaid] == [(2021, Decimal(38944))]
    # Tagged with its year, it pays that year's fee and leaves the older one open.
    tagged = settled(*books, payment("2021-03-01", "0140", NYKVARN_2021, 2021))
    assert paid_by_year(tagged, "0140") == {2020: Decimal(0), 2021: NYKVARN_2021}
    # Oldest first in the list too, whatever the order of the members.
    both = settled(*books, invoice("2021-01-29", "0127", 2021, Decimal(379388)))
    assert [(f.year, f.code) for f in both.unpaid] == [
        (2020, "0140"),
        (2021, "0127"),
        (2021, "0140"),
    ]


def test_an_overpayment_is_a_credit_that_pays_the_next_fee_booked() -> None:
    over = settled(*BOOKS_2020, payment("2020-03-01", "0140", Decimal(50000)))
    assert paid_by_year(over, "0140") == {2020: NYKVARN_2020}  # never more than the fee
    assert over.credits == (Credit("0140", "Nykvarn", Decimal(5944)),)
    assert over.total_credit == Decimal(5944) and over.balance == Decimal(-5944)
    assert over.unexplained == 0
    nxt = settled(*over_books(), invoice("2021-01-29", "0140", 2021, NYKVARN_2021))
    assert paid_by_year(nxt, "0140") == {2020: NYKVARN_2020, 2021: Decimal(5944)}
    assert nxt.credits == ()
    # Tagged with its year, the same: beyond the fee it pays the years after.
    tagged = settled(*BOOKS_2020, payment("2020-03-01", "0140", Decimal(50000), 2020))
    assert tagged.credits == over.credits and paid_by_year(tagged, "0140") == {2020: NYKVARN_2020}


def over_books() -> tuple[Transaction, ...]:
    return (*BOOKS_2020, payment("2020-03-01", "0140", Decimal(50000)))


def test_a_payment_ahead_of_its_fee_waits_for_it() -> None:
    # The 2021 fee paid before it is booked, the 2020 one still open: it does not pay 2020.
    ahead = settled(*BOOKS_2020, payment("2020-12-20", "0140", NYKVARN_2021, 2021))
    assert [(f.year, f.code, f.unpaid) for f in ahead.unpaid] == [(2020, "0140", NYKVARN_2020)]
    assert ahead.credits == (Credit("0140", "Nykvarn", NYKVARN_2021),)
    assert 2021 not in paid_by_year(ahead, "0140")
    booked = settled(
        *BOOKS_2020,
        payment("2020-12-20", "0140", NYKVARN_2021, 2021),
        invoice("2021-01-29", "0140", 2021, NYKVARN_2021),
    )
    assert paid_by_year(booked, "0140") == {2020: Decimal(0), 2021: NYKVARN_2021}
    assert booked.credits == ()


def test_a_refund_takes_back_the_credit_then_the_newest_payments() -> None:
    refunded = settled(*over_books(), payment("2020-04-01", "0140", Decimal(-5944)))
    assert refunded.credits == () and paid_by_year(refunded, "0140") == {2020: NYKVARN_2020}
    beyond = settled(*over_books(), payment("2020-04-01", "0140", Decimal(-10000)))
    assert beyond.credits == () and paid_by_year(beyond, "0140") == {2020: Decimal(40000)}
    assert beyond.total_unpaid == Decimal(4056) == beyond.balance


def test_a_credit_note_is_no_payment() -> None:
    note = tx(
        "2020-03-01",
        {"avgift": "2020", "kommun": "0140"},
        (FEE_ACCOUNT["0140"], "1000"),
        (R, "-1000"),
    )
    r = settled(*BOOKS_2020, note)
    (nykvarn,) = r.unpaid
    assert (nykvarn.invoiced, nykvarn.paid, nykvarn.unpaid) == (
        Decimal(43056),
        ZERO,
        Decimal(43056),
    )
    assert r.unexplained == 0


def test_a_payment_that_is_no_members_is_a_warning_and_pays_nothing() -> None:
    untagged = payment("2020-03-01", None, Decimal(100))
    stranger = payment("2020-03-02", "0999", Decimal(200))
    r = settled(*BOOKS_2020, untagged, stranger)
    assert [(p.severity, p.file, p.message) for p in r.problems] == [
        (
            "warning",
            "2020.journal",
            f"a payment on {R} that pays no member's fee: it has no kommun: tag",
        ),
        (
            "warning",
            "2020.journal",
            f"a payment on {R} that pays no member's fee: kommun:0999 is no member's",
        ),
    ]
    assert r.total_unpaid == NYKVARN_2020 and r.unattributed == Decimal(-300)
    assert r.balance == NYKVARN_2020 - 300 and r.unexplained == 0


def test_a_fee_booked_straight_to_the_bank_is_no_fees_on_the_receivable() -> None:
    cash = tx(
        "2020-01-31",
        {"avgift": "2020"},
        ("tillgångar:bank", "44056"),
        (FEE_ACCOUNT["0140"], "-44056"),
    )
    r = settled(BOOKS_2020[0], BOOKS_2020[2], cash)
    assert r.total_unpaid == NYKVARN_2020 and r.balance == 0
    assert r.unexplained == -NYKVARN_2020  # what `fees --unpaid` warns about


def test_payments_on_an_account_under_the_receivable_and_tags_on_the_posting() -> None:
    posting = Posting(f"{R}:nykvarn", Decimal(-44056), False, None, {"kommun": "0140"}, "", 7)
    paid = Transaction(
        dt.date(2020, 6, 1),
        "*",
        "",
        "x",
        {},
        "",
        (posting, Posting("tillgångar:bank", Decimal(44056), False, None, {}, "", 8)),
        "2020.journal",
        6,
    )
    assert settled(*BOOKS_2020, paid).unpaid == []


def test_the_fees_report_carries_what_is_paid() -> None:
    pop = table({("0127", DEC31_2019): 94606, ("0140", DEC31_2019): 11014})
    r = settled(*over_books())
    report, _ = compute_fees(
        2020,
        MEMBERS,
        Decimal(4),
        pop,
        {m.fee_account: Decimal(0) for m in MEMBERS},
        folder="f",
        paid=r.paid(2020),
        credits=r.credits,
    )
    assert report is not None
    assert [(x.paid, x.unpaid) for x in report.lines] == [
        (Decimal(378424), Decimal(-378424)),  # booked 0 here: unpaid is booked − paid
        (NYKVARN_2020, -NYKVARN_2020),
    ]
    assert report.total_paid == Decimal(422480) and report.credits == r.credits
    assert fees_json(report)["credits"] == [
        {"code": "0140", "name": "Nykvarn", "amount": "5944.00"}
    ]


PAYMENTS = st.lists(
    st.tuples(
        st.sampled_from(["0127", "0140"]),
        st.sampled_from([None, 2019, 2020, 2021]),
        st.integers(min_value=-50_000, max_value=200_000),
    ),
    max_size=8,
)
INVOICES = st.lists(
    st.tuples(
        st.sampled_from(["0127", "0140"]),
        st.sampled_from([2019, 2020, 2021]),
        st.integers(min_value=0, max_value=100_000),
    ),
    max_size=6,
)


@given(INVOICES, PAYMENTS, st.randoms(use_true_random=False))
def test_what_is_unpaid_less_the_credits_is_the_receivables_balance(
    invoices: list[tuple[str, int, int]],
    payments: list[tuple[str, int | None, int]],
    random: Random,
) -> None:
    books = [invoice(f"{y}-01-31", c, y, Decimal(n)) for c, y, n in invoices]
    books += [payment("2021-06-01", c, Decimal(n), y) for c, y, n in payments]
    r = settled(*books)
    owed = sum((f.unpaid for f in r.fees), Decimal(0))
    assert owed - r.total_credit == r.balance and r.unexplained == 0
    assert all(c.amount > 0 for c in r.credits) or any(n < 0 for *_, n in payments)
    if all(n >= 0 for *_, n in payments):
        assert all(0 <= f.paid <= f.invoiced for f in r.fees)  # never more than the fee
        for credit in r.credits:  # paid without a year, a credit pays what is open first
            if all(y is None for c, y, _ in payments if c == credit.code):
                assert all(f.unpaid == 0 for f in r.fees if f.code == credit.code)
    # The order of the payments does not matter.
    random.shuffle(books)
    assert settled(*books)._replace(problems=()) == r._replace(problems=())
