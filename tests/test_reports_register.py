"""`compute_register`: the postings a query matches, with a running total, matched as
hledger matches them (tests/test_differential_hledger.py compares with hledger itself)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.money import round_kr
from sodertorn_ledger.reports.register import QueryError, compute_register, parse_query

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
D = Decimal
START, END = dt.date(2020, 1, 1), dt.date(2021, 1, 1)


def test_representation_2020_is_the_published_line() -> None:
    register = compute_register(
        load_journal(BOOKS), parse_query(["representation"], start=START, end=END)
    )
    assert [(r.date.isoformat(), r.amount, r.total) for r in register.rows] == [
        ("2020-01-20", D("12400.00"), D("12400.00")),
        ("2020-03-23", D("4351.00"), D("16751.00")),
        ("2020-08-31", D("7286.00"), D("24037.00")),
        ("2020-09-14", D("7600.00"), D("31637.00")),
    ]
    assert register.total == D("31637.00")  # exact: the published 31 637 is no rounding
    assert round_kr(register.total) == 31_637
    first = register.rows[0]
    assert first.account == "kostnader:drift:representation"
    assert first.description.startswith("Balingsholms gård | ")
    assert Path(first.file).name == "2020.journal"
    line = Path(first.file).read_text(encoding="utf-8").splitlines()[first.line - 1]
    assert line.strip().startswith("kostnader:drift:representation")


def test_date_order_a_days_postings_in_the_order_of_the_books() -> None:
    journal = load_journal(BOOKS)
    register = compute_register(journal, parse_query(["^kostnader:drift:personal"]))
    dates = [r.date for r in register.rows]
    assert dates == sorted(dates)
    # The books have January's salaries after the fee payments of March: sorted here.
    written = [t.date for t in journal.transactions]
    assert written != sorted(written)
    january = [r.account for r in register.rows if r.date == dt.date(2020, 1, 25)]
    assert january == [
        "kostnader:drift:personal:löner",
        "kostnader:drift:personal:arbetsgivaravgifter",
    ]
    running = D(0)
    for row in register.rows:
        running += row.amount
        assert row.total == running


BOOKS_TEXT = """\
decimal-mark ,
account kostnader:drift    ; type:X, fond:Drift
account kostnader:drift:lokal  ; plats:Huddinge
account Kostnader:Ärende
2020-01-01 * Payee A | note one  ; projekt:Great stuff
    kostnader:drift:x   10,00 kr  ; egen:ja
    tillgångar:bank
2020-01-02 Payee B
    kostnader:drift     0 kr
    Kostnader:Ärende   5 kr
    tillgångar:bank
2020-01-02 (12) B ärende
    kostnader:ÄRENDE:sub   7 kr  ; projekt:Other
    tillgångar:bank
2019-12-31 sent
    kostnader:drift:lokal:hyra   1 kr
    tillgångar:bank
"""


@pytest.fixture
def books(tmp_path: Path) -> Journal:
    path = tmp_path / "main.journal"
    path.write_text(BOOKS_TEXT, encoding="utf-8")
    journal = load_journal(path)
    assert journal.errors == []
    return journal


def accounts(journal: Journal, *patterns: str, **query: object) -> list[tuple[str, Decimal]]:
    register = compute_register(journal, parse_query(patterns, **query))  # type: ignore[arg-type]
    return [(r.account, r.amount) for r in register.rows]


def test_patterns_as_hledger(books: Journal) -> None:
    # A regular expression searched in the account name, case ignored (Unicode too).
    assert (
        accounts(books, "ärende")
        == accounts(books, "ÄRENDE")
        == [
            ("Kostnader:Ärende", D(5)),
            ("kostnader:ÄRENDE:sub", D(7)),
        ]
    )
    # Several patterns: any of them; not: leaves out, whatever else matches.
    assert accounts(books, "drift", "not:x", "not:lokal") == [("kostnader:drift", D(0))]
    assert accounts(books, "not:bank", "not:drift") == accounts(books, "ärende")
    assert accounts(books, "acct:^kostnader:drift$") == [("kostnader:drift", D(0))]
    assert accounts(books, "not:acct:a") == []  # every account has an a
    assert len(accounts(books)) == 9  # no pattern: every posting
    assert accounts(books, "lokal|x$") == [
        ("kostnader:drift:lokal:hyra", D(1)),
        ("kostnader:drift:x", D(10)),
    ]


def test_dates_from_inclusive_to_exclusive(books: Journal) -> None:
    day = dt.date(2020, 1, 2)
    assert {a for a, _ in accounts(books, start=day)} == {
        "kostnader:drift",
        "Kostnader:Ärende",
        "kostnader:ÄRENDE:sub",
        "tillgångar:bank",
    }
    assert accounts(books, "kostnader", end=day) == [
        ("kostnader:drift:lokal:hyra", D(1)),
        ("kostnader:drift:x", D(10)),
    ]
    with pytest.raises(QueryError, match="not after"):
        parse_query(start=day, end=day)


def test_tags_of_the_posting_its_transaction_and_its_accounts_declarations(
    books: Journal,
) -> None:
    # The transaction's tag reaches all its postings; the value is a regular expression.
    assert accounts(books, tags=["projekt"]) == [
        ("kostnader:drift:x", D(10)),
        ("tillgångar:bank", D(-10)),
        ("kostnader:ÄRENDE:sub", D(7)),
    ]
    assert accounts(books, tags=["projekt:great"]) == accounts(books, tags=["projekt:^Great"])
    assert len(accounts(books, tags=["projekt:great"])) == 2
    assert accounts(books, tags=["projekt:^great$"]) == []
    # The name is searched too (as hledger's tag:), so proj is projekt.
    assert accounts(books, tags=["proj"]) == accounts(books, tags=["projekt"])
    assert accounts(books, tags=["egen"]) == [("kostnader:drift:x", D(10))]
    # A declaration's tags reach its subaccounts' postings: type:X and fond:Drift from
    # kostnader:drift, plats: from kostnader:drift:lokal.
    assert accounts(books, tags=["type:x"]) == [
        ("kostnader:drift:lokal:hyra", D(1)),
        ("kostnader:drift:x", D(10)),
        ("kostnader:drift", D(0)),
    ]
    assert accounts(books, tags=["plats"]) == [("kostnader:drift:lokal:hyra", D(1))]
    # Several tags: each must match.
    assert accounts(books, tags=["fond", "egen"]) == [("kostnader:drift:x", D(10))]
    register = compute_register(books, parse_query(["x$"]))
    assert register.rows[0].tags == {"projekt": "Great stuff", "egen": "ja"}


def test_payee(books: Journal) -> None:
    # The description before |, or all of it: "B ärende" has no |.
    assert {a for a, _ in accounts(books, "not:bank", payee="^payee")} == {
        "kostnader:drift:x",
        "kostnader:drift",
        "Kostnader:Ärende",
    }
    assert accounts(books, payee="one") == []  # the note is not the payee
    assert accounts(books, payee="ÄRENDE$", start=dt.date(2020, 1, 1)) == [
        ("kostnader:ÄRENDE:sub", D(7)),
        ("tillgångar:bank", D(-7)),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"patterns": ["x["]}, "the account pattern 'x\\[' is not a regular expression"),
        ({"patterns": ["not:(a"]}, "the account pattern '\\(a' is not a regular expression"),
        ({"tags": ["*"]}, "the tag name '\\*' is not a regular expression"),
        ({"tags": ["a:+"]}, "the tag value '\\+' is not a regular expression"),
        ({"payee": "a)"}, "the payee 'a\\)' is not a regular expression"),
        ({"patterns": ["desc:x"]}, "'desc:x' is hledger's desc: query, not an account pattern"),
        ({"patterns": ["not:tag:x"]}, "'not:tag:x' is hledger's tag: query"),
    ],
)
def test_a_query_that_cannot_be_used(query: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(**query)  # type: ignore[arg-type]


def test_an_account_named_like_a_query_prefix_of_another_word_is_a_pattern() -> None:
    query = parse_query(["kostnader:drift", "descriptive:x"])
    assert [p.pattern for p in query.accounts] == ["kostnader:drift", "descriptive:x"]
