"""The journal parser: transactions, postings, comments, tags, directives and includes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.journal.parser import parse_tags


def load(tmp_path: Path, text: str, name: str = "main.journal", **kw: bool) -> Journal:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_journal(path, **kw)


def messages(journal: Journal) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in journal.problems]


def test_transaction_header_parts(tmp_path: Path) -> None:
    j = load(
        tmp_path,
        "2020/1/28 * (F123) Nynäshamns kommun | överföring  ; kommun:0192, typ:bidrag\n"
        "    tillgångar:bank  50 500,00 kr\n"
        "    intäkter:kommunikationsprojekt\n",
    )
    assert j.problems == []
    (t,) = j.transactions
    assert t.date == dt.date(2020, 1, 28)
    assert (t.status, t.code) == ("*", "F123")
    assert (t.payee, t.note) == ("Nynäshamns kommun", "överföring")
    assert t.tags == {"kommun": "0192", "typ": "bidrag"}
    assert [p.amount for p in t.postings] == [Decimal("50500.00"), Decimal("-50500.00")]
    assert [p.inferred for p in t.postings] == [False, True]
    assert t.line == 1 and t.postings[1].line == 3


def test_posting_comments_and_tags_follow_their_posting(tmp_path: Path) -> None:
    j = load(
        tmp_path,
        "2020-03-01 Great\n"
        "    ; faktura 17\n"
        "    kostnader:projekt  242 800 kr  ; projekt:Näringslivsanalyser Great\n"
        "      ; attest:Anna\n"
        "    tillgångar:bank\n",
    )
    (t,) = j.transactions
    assert t.comment == "faktura 17"
    first, second = t.postings
    assert first.tags == {"projekt": "Näringslivsanalyser Great", "attest": "Anna"}
    assert first.comment == "projekt:Näringslivsanalyser Great\nattest:Anna"
    assert second.tags == {}
    assert t.posting_tags(second) == {}


def test_tags_parse_like_hledger() -> None:
    assert parse_tags("a:1, b: två , c") == {"a": "1", "b": "två"}
    assert parse_tags("see note:x") == {"note": "x"}
    assert parse_tags("no tags here") == {}


def test_comments_blocks_and_crlf_and_bom(tmp_path: Path) -> None:
    text = (
        "\ufeff; top comment\r\n# hash\r\n* star\r\ncomment\r\n2020-01-01 not read\r\n"
        "end comment\r\n2020-01-02 x\r\n    a  1 kr\r\n    b\r\n"
    )
    path = tmp_path / "m.journal"
    path.write_bytes(text.encode("utf-8"))
    j = load_journal(path)
    assert j.problems == []
    assert [t.date.day for t in j.transactions] == [2]


def test_directives_and_declarations(tmp_path: Path) -> None:
    j = load(
        tmp_path,
        "decimal-mark ,\ncommodity 1 000,00 kr\n"
        "account tillgångar:bank  ; Bankkonto, typ:A\n"
        "2020-01-01 x\n    tillgångar:bank  1.234 kr\n    b\n",
    )
    assert j.problems == []
    assert j.commodity == "kr"
    assert j.declarations["tillgångar:bank"].tags == {"typ": "A"}
    assert j.transactions[0].postings[0].amount == Decimal(1234)


def test_unsupported_directive_is_an_error(tmp_path: Path) -> None:
    j = load(tmp_path, "alias a=b\nP 2020-01-01 EUR 10 kr\n")
    assert messages(j) == [
        (1, "unsupported directive 'alias'"),
        (2, "unsupported directive 'P'"),
    ]


def test_includes_relative_glob_and_cycle(tmp_path: Path) -> None:
    (tmp_path / "år").mkdir()
    (tmp_path / "år" / "2020.journal").write_text("2020-01-01 x\n    a  1 kr\n    b\n")
    (tmp_path / "år" / "2021.journal").write_text("2021-01-01 y\n    a  2 kr\n    b\n")
    j = load(tmp_path, "include år/*.journal\n")
    assert [t.date.year for t in j.transactions] == [2020, 2021]
    assert len(j.files) == 3
    (tmp_path / "a.journal").write_text("include b.journal\n")
    (tmp_path / "b.journal").write_text("include a.journal\n")
    cyc = load_journal(tmp_path / "a.journal")
    assert len(cyc.errors) == 1
    assert cyc.errors[0].message.startswith("include cycle")
    assert cyc.errors[0].file.endswith("b.journal")


def test_decimal_mark_carries_into_included_files(tmp_path: Path) -> None:
    (tmp_path / "y.journal").write_text("2020-01-01 x\n    a  1.500 kr\n    b\n")
    j = load(tmp_path, "decimal-mark ,\ninclude y.journal\n")
    assert j.transactions[0].postings[0].amount == Decimal(1500)


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    j = load(
        tmp_path,
        "2020-02-30 bad date\n    a  1 kr\n    b\n\n"
        "2020-03-01 unbalanced\n    a  1 kr\n    b  -2 kr\n\n"
        "2020-03-02 two elided\n    a\n    b\n\n"
        "2020-03-03 other currency\n    a  1 EUR\n    b\n",
    )
    assert [line for line, _ in messages(j)] == [1, 5, 11, 14]
    assert messages(j)[1][1] == "transaction does not balance: the amounts add up to -1 kr"


def test_balance_assertions_in_date_order(tmp_path: Path) -> None:
    ok = load(
        tmp_path,
        "2020-01-02 later in the file, earlier date first\n    a  5 kr = 10 kr\n    b\n"
        "2020-01-01 x\n    a  5 kr = 5 kr\n    b\n",
    )
    assert ok.problems == []
    bad = load(tmp_path, "2020-01-01 x\n    a  5 kr == 6 kr\n    b\n", name="bad.journal")
    assert messages(bad) == [
        (2, "balance assertion failed: a is 5 kr on 2020-01-01, not 6 kr (difference 1 kr)")
    ]


def test_single_tab_is_part_of_the_account_as_in_hledger(tmp_path: Path) -> None:
    j = load(tmp_path, "2020-01-01 x\n    a\tb\n    c  5 kr\n")
    assert j.errors == []
    assert [p.severity for p in j.problems] == ["warning"]
    assert j.transactions[0].postings[0].account == "a b"
    assert j.transactions[0].postings[0].amount == Decimal(-5)


@pytest.mark.parametrize(
    ("line", "column", "amount", "blank"),
    [
        ("    kostnader:drift:resor 469,00 kr", 26, "469,00 kr", "one space"),
        ("    kostnader:drift:resor\t469,00 kr", 26, "469,00 kr", "one tab"),
        ("    kostnader:drift:resor och logi 469 kr", 35, "469 kr", "one space"),
        ("    a -5", 6, "-5", "one space"),
        ("    a kr -1 469,50", 6, "kr -1 469,50", "one space"),
        ("    a 1.5 EUR  ; a note", 6, "1.5 EUR", "one space"),
        ("\tfonder:drift från 2019 5,00 kr", 24, "5,00 kr", "one space"),
    ],
)
def test_an_amount_after_one_blank_is_an_error_at_the_blank(
    tmp_path: Path, line: str, column: int, amount: str, blank: str
) -> None:
    # hledger reads it as part of the account name (and infers the posting's amount).
    j = load(tmp_path, f"2020-01-01 x\n    b  -1 kr\n{line}\n")
    (p,) = j.problems
    assert (p.line, p.column, p.severity) == (3, column, "error")
    assert p.message == (
        f"the amount '{amount}' is read as part of the account name: {blank} does not separate them"
    )
    assert p.hint.startswith("put two spaces between the account and the amount")
    assert j.transactions == []


@pytest.mark.parametrize(
    "account",
    [
        "fonder:drift från 2019",  # a year
        "intäkter:kommun 0127",
        "fonder:drift från 2019 kvar",
        "a 5 SEK",  # a number in another currency, without a sign or a mark
        "a kr 5",  # the currency before a number without a sign or a mark
        "a 5kr b",
    ],
)
def test_a_number_in_an_account_name_that_is_no_amount_is_read(
    tmp_path: Path, account: str
) -> None:
    seen = "2020-01-01 kr from here on\n    a  1 kr\n    b\n\n"
    j = load(tmp_path, f"{seen}2020-01-01 x\n    {account}  5 kr\n    b\n")
    assert j.problems == [], j.problems
    assert j.transactions[1].postings[0].account == account


def test_strict_requires_declared_accounts(tmp_path: Path) -> None:
    text = "account a\n2020-01-01 x\n    a  1 kr\n    b\n    c  0 kr\n"
    assert load(tmp_path, text).problems == []
    strict = load(tmp_path, text, strict=True)
    assert messages(strict) == [(4, "undeclared account 'b'"), (5, "undeclared account 'c'")]


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.journal"
    path.write_bytes("; ok\n2020-01-01 Tyresö\n    a  1 kr\n    b\n".encode("latin-1"))
    j = load_journal(path)
    (p,) = j.problems
    assert (p.line, p.column) == (2, 17)
    assert p.message == "the file is not UTF-8 (byte 0xf6)"


def test_not_utf8_after_a_byte_order_mark_names_the_right_byte_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bom.journal"
    text = "; ok\n2020-01-01 Tyresö\n    a  1 kr\n    b\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("latin-1"))
    (p,) = load_journal(path).problems
    assert (p.line, p.column) == (2, 17)
    assert p.message == "the file is not UTF-8 (byte 0xf6)"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_journal(path).problems == []  # the mark itself is fine


def test_a_line_starting_with_a_no_break_space_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    j = load(tmp_path, "\u00a0\n\u2009account x\n")
    assert [p.line for p in j.errors] == [1, 2]
    assert j.errors[0].message == "unexpected '\u00a0' at the start of a line"


def test_an_unbalanced_sum_is_shown_in_the_books_style(tmp_path: Path) -> None:
    j = load(tmp_path, "decimal-mark ,\n2020-01-01 x\n    a  -1 234 567,50 kr\n    b  1,00 kr\n")
    assert messages(j) == [
        (2, "transaction does not balance: the amounts add up to -1 234 566,50 kr")
    ]


def test_a_bare_zero_needs_no_currency(tmp_path: Path) -> None:
    j = load(tmp_path, "2020-01-01 x\n    a  0\n    b  1 kr\n    c\n")
    assert j.problems == []
    assert j.commodity == "kr"
