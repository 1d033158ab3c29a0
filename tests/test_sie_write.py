"""Writing SIE 4: the file as the spec orders and quotes it, PC8 with every change
reported, #KSUMMA; and whatever our writer writes, our reader reads back the same."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.sie.charset import to_pc8
from sodertorn_ledger.sie.model import (
    ACCOUNT_TYPES,
    FiscalYear,
    ObjectRef,
    Row,
    SieFile,
    Voucher,
    without_lines,
)
from sodertorn_ledger.sie.read import parse_sie
from sodertorn_ledger.sie.write import write_sie

FIXTURES = Path(__file__).parent / "fixtures" / "sie"
DAY = dt.date(2024, 1, 31)


def written(sie: SieFile, **options: bool) -> tuple[str, list[Problem]]:
    data, problems = write_sie(sie, "out.se", **options)
    assert data is not None, problems
    return data.decode("cp437"), problems


def read_back(data: bytes) -> SieFile:
    sie, problems = parse_sie("back.se", data)
    assert sie is not None
    assert [p for p in problems if p.severity == "error"] == []
    assert sie.checksum == sie.checksum_computed
    return sie


def same_records(sie: SieFile) -> SieFile:
    """What a written file says: line numbers and the checksum are the file's own."""
    return without_lines(sie)._replace(checksum=None, checksum_computed=None)


BOOKS = SieFile(
    program="sodertorn-ledger",
    program_version="0.1.0",
    generated=dt.date(2024, 2, 1),
    generated_by="ledger",
    company_name="Södertörnssamarbetet",
    orgnr="212000-0142",
    years={0: FiscalYear(dt.date(2024, 1, 1), dt.date(2024, 12, 31))},
    accounts={"1930": "Bank", "3010": "Medlemsavgifter"},
    account_types={"1930": "T", "3010": "I"},
    dims={6: "Projekt"},
    objects={(6, "P1"): "Näringsliv"},
    opening={(0, "1930"): Decimal("1000")},
    closing={(0, "1930"): Decimal("2500.5")},
    results={(0, "3010"): Decimal("-1500.50")},
    vouchers=(
        Voucher(
            "A",
            "1",
            DAY,
            "Avgift Botkyrka",
            rows=(
                Row("1930", (), Decimal("1500.50")),
                Row("3010", ((6, "P1"),), Decimal("-1500.5"), text="Botkyrka 2024"),
            ),
        ),
    ),
)


def test_a_small_file_exactly() -> None:
    text, problems = written(BOOKS)
    assert problems == []
    contents = [
        "#PROGRAMsodertorn-ledger0.1.0",
        "#FORMATPC8",
        "#GEN20240201ledger",
        "#SIETYP4",
        "#ORGNR212000-0142",
        "#FNAMNSödertörnssamarbetet",
        "#RAR02024010120241231",
        "#KONTO1930Bank",
        "#KONTO3010Medlemsavgifter",
        "#KTYP1930T",
        "#KTYP3010I",
        "#DIM6Projekt",
        "#OBJEKT6P1Näringsliv",
        "#IB019301000.00",
        "#UB019302500.50",
        "#RES03010-1500.50",
        "#VERA120240131Avgift Botkyrka",
        "#TRANS19301500.50",
        "#TRANS30106P1-1500.50Botkyrka 2024",
    ]
    crc = 0
    for content in contents:
        crc = zlib.crc32(content.encode("cp437"), crc)
    assert text == (
        "#FLAGGA 0\r\n"
        "#KSUMMA\r\n"
        "#PROGRAM sodertorn-ledger 0.1.0\r\n"
        "#FORMAT PC8\r\n"
        "#GEN 20240201 ledger\r\n"
        "#SIETYP 4\r\n"
        "#ORGNR 212000-0142\r\n"
        "#FNAMN Södertörnssamarbetet\r\n"
        "#RAR 0 20240101 20241231\r\n"
        "#KONTO 1930 Bank\r\n"
        "#KONTO 3010 Medlemsavgifter\r\n"
        "#KTYP 1930 T\r\n"
        "#KTYP 3010 I\r\n"
        "#DIM 6 Projekt\r\n"
        "#OBJEKT 6 P1 Näringsliv\r\n"
        "#IB 0 1930 1000.00\r\n"
        "#UB 0 1930 2500.50\r\n"
        "#RES 0 3010 -1500.50\r\n"
        '#VER A 1 20240131 "Avgift Botkyrka"\r\n'
        "{\r\n"
        "#TRANS 1930 {} 1500.50\r\n"
        '#TRANS 3010 {6 P1} -1500.50 "" "Botkyrka 2024"\r\n'
        "}\r\n"
        f"#KSUMMA {crc}\r\n"
    )
    sie = read_back(text.encode("cp437"))
    assert sie.checksum == crc
    assert same_records(sie) == BOOKS


def test_without_a_checksum() -> None:
    text, _ = written(BOOKS, checksum=False)
    assert "#KSUMMA" not in text
    sie, problems = parse_sie("x.se", text.encode("cp437"))
    assert sie is not None and problems == []
    assert sie.checksum is None and sie.checksum_computed is None


def test_records_in_the_order_of_the_spec() -> None:
    everything = BOOKS._replace(
        prosa="Export",
        company_type="KOMMUN",
        company_id="1",
        tax_year=2025,
        chart_type="BAS2024",
        currency="SEK",
    )
    text, _ = written(everything)
    labels = [line.split(" ")[0] for line in text.splitlines()]
    order = [
        "#FLAGGA",
        "#KSUMMA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#PROSA",
        "#FTYP",
        "#FNR",
        "#ORGNR",
        "#FNAMN",
        "#RAR",
        "#TAXAR",
        "#KPTYP",
        "#VALUTA",
        "#KONTO",
        "#KTYP",
        "#DIM",
        "#OBJEKT",
        "#IB",
        "#UB",
        "#RES",
        "#VER",
        "{",
        "#TRANS",
        "}",
        "#KSUMMA",
    ]
    assert [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label] == order
    assert same_records(read_back(text.encode("cp437"))) == everything


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("Bank", "Bank"),
        ("Bank konto", '"Bank konto"'),
        ("", '""'),
        ('Bank "Nordea"', '"Bank \\"Nordea\\""'),
        ('a\\"b', '"a\\\\"b"'),
        ("{x}", '"{x}"'),
        ("#", '"#"'),
        ("C:\\temp\\", "C:\\temp\\"),  # unquoted, a trailing backslash is itself
        ("Åsa-Nisse", "Åsa-Nisse"),
    ],
)
def test_quoting(value: str, field: str) -> None:
    sie = SieFile(accounts={"1930": value}, vouchers=(Voucher(value, value, DAY),))
    text, problems = written(sie)
    assert problems == []
    assert f"#KONTO 1930 {field}\r\n" in text
    assert f"#VER {field} {field} 20240131\r\n" in text
    back = read_back(text.encode("cp437"))
    assert back.accounts == {"1930": value}
    assert (back.vouchers[0].series, back.vouchers[0].number) == (value, value)


@pytest.mark.parametrize(
    ("value", "as_written", "changes"),
    [
        ("Avgift – 2024", "Avgift - 2024", "'–' as '-'"),
        ("100 €", "100 EUR", "'€' as 'EUR'"),
        ("Łódź", "?ódz", "'Ł' as '?', 'ź' as 'z'"),
        ("Ștefan", "Stefan", "'Ș' as 'S'"),
        ("a\tb", "a b", "'\\t' as ' '"),
        ("rad1\nrad2\r", "rad1 rad2 ", "'\\n' as ' ', '\\r' as ' '"),
        ("”citat”", '"citat"', "'”' as '\"', '”' as '\"'"),
        ("ﬁl", "fil", "'ﬁ' as 'fi'"),
        ("😀", "?", "'😀' as '?'"),
        ("C:\\mapp\\ med mellanslag\\", "C:\\mapp\\ med mellanslag/", "'\\\\' as '/'"),
    ],
)
def test_text_pc8_cannot_hold_is_replaced_and_reported(
    value: str, as_written: str, changes: str
) -> None:
    sie = SieFile(accounts={"1930": "Bank", "2440": value})
    data, problems = write_sie(sie, "out.se")
    assert data is not None
    (problem,) = problems
    assert problem == Problem(
        "out.se",
        8,  # the #KONTO 2440 line of the file
        f"#KONTO 2440: {value!r} cannot be written as it is in SIE; written with {changes}",
        "SIE files are PC8 (code page 437), with no control characters, and "
        "a quoted field cannot end in a backslash",
        severity="warning",
    )
    assert data.split(b"\r\n")[7].startswith(b"#KONTO 2440 ")
    assert read_back(data).accounts["2440"] == as_written


def test_amounts_are_written_with_two_decimals() -> None:
    rows = (
        Row("1930", (), Decimal("5")),
        Row("1931", (), Decimal("-0.5")),
        Row("1932", (), Decimal("0.05")),
        Row("1933", (), Decimal("-4.55")),
        Row("1934", (), Decimal("-0.00")),
        Row("1935", (), Decimal("1E+3")),
        Row("1936", (), Decimal("-1000")),
    )
    text, _ = written(SieFile(vouchers=(Voucher("A", "1", DAY, rows=rows),)))
    amounts = [line.split(" ")[3] for line in text.splitlines() if line.startswith("#TRANS")]
    assert amounts == ["5.00", "-0.50", "0.05", "-4.55", "0.00", "1000.00", "-1000.00"]


@pytest.mark.parametrize("amount", ["1.005", "0.001", "NaN", "Infinity", "-1E-3"])
def test_an_amount_sie_cannot_hold_is_an_error(amount: str) -> None:
    sie = SieFile(opening={(0, "1930"): Decimal(amount)})
    data, problems = write_sie(sie, "out.se")
    assert data is None
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (7, "error", f"#IB 0 1930: the amount {Decimal(amount)} cannot be written in SIE")
    ]


def test_an_unbalanced_voucher_is_an_error() -> None:
    voucher = Voucher("A", "7", DAY, rows=(Row("1930", (), Decimal(1)),))
    data, problems = write_sie(SieFile(vouchers=(voucher,)), "out.se")
    assert data is None
    assert [p.message for p in problems] == ["#VER A 7 does not balance: its rows sum to 1"]


def test_what_cannot_be_written() -> None:
    sie = SieFile(
        accounts={"": "Utan nummer"},
        account_types={"1930": "X"},  # type: ignore[dict-item]
        dims={-1: "Negativ"},
        vouchers=(
            Voucher(
                "A",
                "1",
                DAY,
                rows=(
                    Row("", (), Decimal(0)),
                    Row("1930", (), Decimal(0), quantity=Decimal("NaN")),
                ),
            ),
        ),
        results={(0, "3010"): Decimal("1") / Decimal("3")},
    )
    data, problems = write_sie(sie, "out.se")
    assert data is None
    assert [p.message for p in problems] == [
        "#KONTO : no account number",
        "#KTYP 1930: the type 'X' is not T, S, I or K",
        "#DIM -1: the dimension -1 is negative",
        "#RES 0 3010: the amount 0.3333333333333333333333333333 cannot be written in SIE",
        "#VER A 1: #TRANS : no account number",
        "#VER A 1: #TRANS 1930: the quantity NaN cannot be written",
    ]


def test_a_record_too_long_is_an_error() -> None:
    data, problems = write_sie(SieFile(prosa="x" * 70_000), "out.se")
    assert data is None
    assert problems[0].message == "#PROSA: the record is longer than 65536 bytes"


def test_added_and_struck_rows() -> None:
    voucher = Voucher(
        "A",
        "8",
        DAY,
        "Rättad",
        rows=(
            Row("1930", (), Decimal(100)),
            Row("3010", ((1, "2"),), Decimal(-100), DAY, "", signature="Anna", added=True),
        ),
        struck=(Row("3011", (), Decimal(-100), signature="Anna"),),
        registered=dt.date(2024, 2, 2),
        signature="Bo",
    )
    text, _ = written(SieFile(vouchers=(voucher,)))
    assert (
        "#VER A 8 20240131 Rättad 20240202 Bo\r\n{\r\n#TRANS 1930 {} 100.00\r\n"
        '#RTRANS 3010 {1 2} -100.00 20240131 "" "" Anna\r\n'
        '#TRANS 3010 {1 2} -100.00 20240131 "" "" Anna\r\n'
        '#BTRANS 3011 {} -100.00 "" "" "" Anna\r\n}\r\n'
    ) in text
    (back,) = read_back(text.encode("cp437")).vouchers
    assert without_lines(SieFile(vouchers=(back,))).vouchers == (voucher,)


UTF8_BY_CHANCE = "the file's characters outside ASCII happen to form UTF-8"


def test_text_that_would_read_as_utf8_is_refused() -> None:
    """CP437's ╤º are the bytes of UTF-8's ѧ: a file with only such text would be read as
    UTF-8 (real CP437 text has å, ä or ö, which are never UTF-8)."""
    data, problems = write_sie(SieFile(accounts={"1930": "Bank"}, currency="╤º"), "out.se")
    assert data is None
    assert [(p.line, p.message.startswith(UTF8_BY_CHANCE)) for p in problems] == [(7, True)]
    data, problems = write_sie(SieFile(accounts={"1930": "Bänk"}, currency="╤º"), "out.se")
    assert data is not None and problems == []
    assert read_back(data).currency == "╤º"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.[sS][eE]")), ids=lambda p: p.name[:8])
def test_real_files_written_and_read_back(path: Path) -> None:
    sie, _ = parse_sie(path.name, path.read_bytes())
    assert sie is not None
    data, problems = write_sie(sie)
    assert data is not None and problems == []
    assert same_records(read_back(data)) == same_records(sie)


# -- property: whatever our writer can write, our reader reads back ----------------------------

PC8_TEXT = "".join(
    char for char in bytes(range(256)).decode("cp437") if unicodedata.category(char) != "Cc"
)
texts = st.text(alphabet=PC8_TEXT, max_size=20).filter(lambda t: not t.endswith("\\"))
words = st.sampled_from(["", "#", "A", "Bank konto", '"', "{}", "\\x", "0027", "Ö\u00a0"]) | texts
numbers = st.text(alphabet="0123456789", min_size=1, max_size=6)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
cents = st.integers(-(10**13), 10**13).map(lambda n: Decimal(n).scaleb(-2))
amounts = cents | st.integers(-(10**9), 10**9).map(Decimal)
objects = st.lists(st.tuples(st.integers(0, 30), words), max_size=3).map(tuple)
quantities = st.none() | st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)


@st.composite
def rows(draw: st.DrawFn, amount: Decimal | None = None, *, added: bool | None = None) -> Row:
    return Row(
        draw(numbers),
        draw(objects),
        draw(amounts) if amount is None else amount,
        draw(st.none() | dates),
        draw(words),
        draw(quantities),
        draw(words),
        draw(st.booleans()) if added is None else added,
    )


@st.composite
def vouchers(draw: st.DrawFn) -> Voucher:
    counted = [draw(rows()) for _ in range(draw(st.integers(0, 4)))]
    if counted:
        rest = sum((row.amount for row in counted[1:]), Decimal(0))
        counted[0] = counted[0]._replace(amount=-rest)
    return Voucher(
        draw(words),
        draw(words),
        draw(dates),
        draw(words),
        tuple(counted),
        tuple(draw(st.lists(rows(added=False), max_size=2))),
        draw(st.none() | dates),
        draw(words),
    )


@st.composite
def sie_files(draw: st.DrawFn) -> SieFile:
    generated = draw(st.none() | dates)
    years = draw(
        st.dictionaries(
            st.integers(-5, 0),
            st.tuples(dates, dates).map(lambda d: FiscalYear(min(d), max(d))),
            max_size=3,
        )
    )
    accounts = st.dictionaries(numbers, words, max_size=5)
    keys = st.tuples(st.integers(-5, 0), numbers)
    return SieFile(
        flag=draw(st.sampled_from([0, 1])),
        program=draw(words),
        program_version=draw(words),
        generated=generated,
        generated_by=draw(words) if generated else "",
        sie_type=draw(st.integers(1, 4)),
        prosa=draw(words),
        company_type=draw(words),
        company_id=draw(words),
        orgnr=draw(words),
        company_name=draw(words),
        tax_year=draw(st.none() | st.integers(0, 9999)),
        chart_type=draw(words),
        currency=draw(words),
        years=years,
        accounts=draw(accounts),
        account_types=draw(st.dictionaries(numbers, st.sampled_from(ACCOUNT_TYPES), max_size=4)),
        dims=draw(st.dictionaries(st.integers(0, 30), words, max_size=3)),
        objects=draw(st.dictionaries(st.tuples(st.integers(0, 30), words), words, max_size=3)),
        opening=draw(st.dictionaries(keys, amounts, max_size=4)),
        closing=draw(st.dictionaries(keys, amounts, max_size=4)),
        results=draw(st.dictionaries(keys, amounts, max_size=4)),
        vouchers=tuple(draw(st.lists(vouchers(), max_size=4))),
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(sie_files())
def test_what_is_written_reads_back_the_same(sie: SieFile) -> None:
    data, problems = write_sie(sie, "out.se")
    if data is None:  # text that happens to form UTF-8 (see the test below)
        assert [p.message.startswith(UTF8_BY_CHANCE) for p in problems] == [True]
        return
    assert problems == []
    back, read_problems = parse_sie("out.se", data)
    assert back is not None
    assert [p for p in read_problems if p.severity == "error"] == []
    assert back.checksum is not None and back.checksum == back.checksum_computed
    assert same_records(back) == sie


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.tuples(st.integers(0, 9), st.text()), max_size=2))
def test_any_text_is_written_as_pc8_and_every_change_reported(
    text: str, pairs: list[ObjectRef]
) -> None:
    row = Row("1930", tuple(pairs), Decimal(0), text=text)
    voucher = Voucher(text, "1", DAY, text, rows=(row,))
    data, problems = write_sie(SieFile(accounts={"1930": text}, vouchers=(voucher,)), "out.se")
    if data is None:  # text that happens to form UTF-8 (see above)
        refused = [p.message for p in problems if p.severity == "error"]
        assert len(refused) == 1 and refused[0].startswith(UTF8_BY_CHANCE)
        return
    back = read_back(data)
    name = back.accounts["1930"]
    (voucher,) = back.vouchers
    assert name == voucher.series == voucher.text == voucher.rows[0].text
    assert to_pc8(name) == (name, [])  # PC8 holds it, and it has no control character
    codes = [code for _, code in voucher.rows[0].objects]
    changed = name != text or codes != [code for _, code in pairs]
    assert bool(problems) == changed
    assert all(p.severity == "warning" for p in problems)
