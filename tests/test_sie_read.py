"""Reading SIE 4: three real files from three programs, a hand-written file for every rule
of the format and every rule real files break, and hostile input (never a traceback)."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import zlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sodertorn_ledger.problems import Problem, format_problem
from sodertorn_ledger.sie import read as sie_read
from sodertorn_ledger.sie.model import (
    FiscalYear,
    Row,
    SieFile,
    Voucher,
    account_sums,
    year_number,
)
from sodertorn_ledger.sie.read import parse_sie, read_sie

FIXTURES = Path(__file__).parent / "fixtures" / "sie"
NORSTEDTS = FIXTURES / "norstedts-bokslut-2011_SIE4E_ksumma.se"
MAMUT = FIXTURES / "mamut-enterprise-14_SIE4_EXPORT.SE"
BL = FIXTURES / "bl-administration-2011_BL0001_typ4.SE"

HEADER = """#FLAGGA 0
#PROGRAM "Test" 1.0
#FORMAT PC8
#GEN 20240115
#SIETYP 4
#FNAMN "Södertörns Test"
#RAR 0 20240101 20241231
"""


def parse(
    text: str, *, header: bool = True, encoding: str = "cp437"
) -> tuple[SieFile, list[Problem]]:
    """A hand-written file (after a valid header), read; it must give records."""
    sie, problems = parse_sie("test.se", ((HEADER if header else "") + text).encode(encoding))
    assert sie is not None, problems
    return sie, problems


def errors(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems if p.severity == "warning"]


def line_of(problems: list[Problem], part: str) -> int:
    (found,) = [p for p in problems if part in p.message]
    return found.line


def one_voucher(sie: SieFile) -> Voucher:
    (voucher,) = sie.vouchers
    return voucher


def naive_sums(path: Path) -> dict[str, Decimal]:
    """The sum of every #TRANS line per account, read by a regular expression: an oracle
    independent of the reader (right for these files: every #RTRANS there has its copy)."""
    sums: dict[str, Decimal] = {}
    pattern = re.compile(r'^[ \t]*#TRANS[ \t]+"?(\d+)"?[ \t]*\{[^}]*\}[ \t]*(-?[\d.]+)')
    for line in path.read_bytes().decode("cp437").split("\n"):
        match = pattern.match(line)
        if match:
            account, amount = match.groups()
            sums[account] = sums.get(account, Decimal(0)) + Decimal(amount)
    return sums


# -- the three real files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "vouchers", "rows", "program"),
    [
        (NORSTEDTS, 177, 678, "Norstedts Bokslut"),
        (MAMUT, 168, 458, "Mamut Enterprise"),
        (BL, 84, 405, "BL Administration"),
    ],
)
def test_real_files_counts(path: Path, vouchers: int, rows: int, program: str) -> None:
    sie, problems = read_sie(path)
    assert sie is not None
    assert errors(problems) == []
    assert sie.program == program
    assert len(sie.vouchers) == vouchers
    assert sum(len(v.rows) for v in sie.vouchers) == rows
    assert account_sums(sie.vouchers) == naive_sums(path)
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("path", [NORSTEDTS, MAMUT, BL])
def test_real_files_balance_and_reconcile(path: Path) -> None:
    """Every voucher sums to zero, and for these full-year exports IB + the year's rows =
    UB on every balance account, and the rows = RES on every result account."""
    sie, _ = read_sie(path)
    assert sie is not None
    assert all(sum(r.amount for r in v.rows) == 0 for v in sie.vouchers)
    assert all(year_number(sie.years, v.date) == 0 for v in sie.vouchers)
    sums = account_sums(sie.vouchers)
    for (year, account), closing in sie.closing.items():
        if year == 0:
            assert sie.opening.get((0, account), 0) + sums.get(account, 0) == closing, account
    for (year, account), result in sie.results.items():
        if year == 0:
            assert sums.get(account, 0) == result, account


def test_norstedts() -> None:
    sie, problems = read_sie(NORSTEDTS)
    assert sie is not None
    assert problems == []
    assert sie.checksum == sie.checksum_computed == 854227682
    assert sie.years == {
        0: FiscalYear(dt.date(2009, 7, 1), dt.date(2010, 6, 30)),
        -1: FiscalYear(dt.date(2008, 7, 1), dt.date(2009, 6, 30)),
    }
    assert sie.generated == dt.date(2011, 3, 17)
    assert sie.generated_by == "QQ"
    assert sie.company_id == "0123"
    assert sie.orgnr == "556639-1537"
    assert sie.chart_type == "EUBAS97"
    assert sie.dims == {1: "Kostnadsställe", 6: "Projekt"}
    assert sie.accounts["1060"] == "Hyresrätter"  # unquoted, with å in CP437
    assert len(sie.accounts) == 351
    assert (len(sie.opening), len(sie.closing), len(sie.results)) == (56, 55, 130)
    assert sie.opening[(0, "1930")] == Decimal("1254288.77")
    assert sie.closing[(0, "1930")] == Decimal("2312331.81")
    assert sie.opening[(0, "2081")] == Decimal("-300000")
    assert sie.results[(0, "3740")] == Decimal("-2.80")
    first = sie.vouchers[0]
    assert (first.series, first.number, first.date, first.text) == (
        "A",
        "1",
        dt.date(2009, 7, 1),
        "Återföring",
    )
    assert first.rows[0].date is not None
    # Three vouchers with nothing between their braces: counted, with no rows.
    empty = [(v.series, v.number, v.line) for v in sie.vouchers if not v.rows]
    assert empty == [("B", "17", 1149), ("D", "12", 1476), ("D", "13", 1479)]
    text = [r.text for v in sie.vouchers for r in v.rows]
    assert "BE/FA20064/FORA" in text and "BE/FA20065/Poseidon hyra" in text


def test_norstedts_one_byte_changed_fails_its_checksum() -> None:
    data = NORSTEDTS.read_bytes()
    changed = data.replace(b"\t1070\tGoodwill", b"\t1070\tGoodwilk", 1)
    assert len(changed) == len(data) and changed != data
    sie, problems = parse_sie("changed.se", changed)
    assert sie is not None
    assert sie.accounts["1070"] == "Goodwilk"
    assert sie.checksum == 854227682 != sie.checksum_computed
    (problem,) = problems
    assert problem.severity == "error"
    assert "#KSUMMA 854227682 does not match" in problem.message
    assert problem.line == data.count(b"\n")  # the closing #KSUMMA, the last line


def test_norstedts_cut_short() -> None:
    data = NORSTEDTS.read_bytes()
    cut = data[: data.rindex(b"#VER")]
    sie, problems = parse_sie("cut.se", cut)
    assert sie is not None
    assert errors(problems) == ["the file has an opening #KSUMMA but no closing one"]
    sie, problems = parse_sie("cut.se", data[: data.rindex(b"#TRANS")])
    assert sie is not None
    assert len(sie.vouchers) == 176
    assert "the file ends inside the voucher at line" in errors(problems)[0]


def test_mamut() -> None:
    sie, problems = read_sie(MAMUT)
    assert sie is not None
    assert problems == []
    assert sie.format == "PC8"  # written "PC8", quoted
    assert sie.chart_type == "EUBAS97"
    assert sie.generated_by == "mikaelb"
    assert sie.dims == {1: "Department", 6: "Project", 10: "Invoice", 8: "Customer", 9: "Supplier"}
    assert sie.objects[(8, "30023")] == "Åke Berg & Son"
    assert sie.objects[(6, "2")] == "Renovering  av utsällningslokaler"  # two spaces kept
    rows = [r for v in sie.vouchers for r in v.rows]
    assert sum(1 for r in rows if r.objects) == 391
    assert Counter(len(r.objects) for r in rows) == {0: 67, 1: 22, 2: 265, 3: 99, 4: 5}
    # {8 "30083"<TAB>1 "2"<TAB>10 "12"}: three pairs, TABs inside.
    assert rows[2].objects == ((8, "30083"), (1, "2"), (10, "12"))
    assert rows[2].amount == Decimal("376313.00")
    assert sie.vouchers[0].series == "1"  # quoted series and number
    assert sie.vouchers[0].text == "30083 Svenska Mässan i Göteborg, 12"  # trailing TAB ignored
    assert sie.results[(-1, "3740")] == Decimal("-1.29")
    assert sie.opening[(-1, "1510")] == Decimal("0.00")


def test_bl_administration() -> None:
    sie, problems = read_sie(BL)
    assert sie is not None
    # The one stray Latin-1 byte: a warning on its line, the code kept as CP437 reads it.
    (problem,) = problems
    assert problem.severity == "warning"
    assert problem.line == 40
    assert "0xC5" in problem.message and "'Å'" in problem.message
    assert sie.objects[(6, "┼1")] == "årsta"
    assert sie.company_type == "AB"
    assert sie.years[0] == FiscalYear(dt.date(2009, 7, 1), dt.date(2010, 6, 30))
    # Series "#", a field that starts as a label does.
    hashes = [v for v in sie.vouchers if v.series == "#"]
    assert len(hashes) == 12
    assert hashes[0].rows[0].text == "1820\\A012 Cykel"  # a backslash is itself
    assert hashes[0].registered == dt.date(2009, 12, 2)
    assert hashes[0].signature == "2 Christer Bengtsson"
    # One-decimal amounts.
    assert sie.opening[(0, "1220")] == Decimal("201278.6")
    # #RTRANS with its #TRANS copy is one row; #BTRANS is struck, not counted.
    (a8,) = [v for v in sie.vouchers if (v.series, v.number) == ("A", "8")]
    assert [(r.account, r.amount, r.added) for r in a8.rows] == [
        ("1930", Decimal(0), True),
        ("2640", Decimal(0), True),
    ]
    assert a8.rows[0].date == dt.date(2009, 12, 10)  # the #TRANS copy's date
    assert a8.rows[0].signature == "2 Christer Bengtsson"  # from the #RTRANS
    assert [(r.account, r.amount) for r in a8.struck] == [
        ("1930", Decimal(-1000)),
        ("2640", Decimal(200)),
        ("4010", Decimal(800)),
    ]
    assert sum(1 for v in sie.vouchers for r in v.rows if r.added) == 6
    # { "1" "1"}: a space after the brace, quoted dimension.
    (a9,) = [v for v in sie.vouchers if (v.series, v.number) == ("A", "9")]
    assert a9.rows[0].objects == ((1, "1010"),)
    assert a9.rows[1].objects == ((1, "1100"), (6, "1118"))
    assert a9.registered is None  # written ""


# -- the format's rules, one hand-written file each ------------------------------------------


def test_a_minimal_file() -> None:
    sie, problems = parse(
        """#KONTO 1930 "Bank"
#KONTO 3010 Avgifter
#KTYP 1930 T
#VER A 1 20240131 "Avgift Botkyrka"
{
#TRANS 1930 {} 1500.00
#TRANS 3010 {} -1500.00
}
"""
    )
    assert problems == []
    assert sie.company_name == "Södertörns Test"
    assert sie.accounts == {"1930": "Bank", "3010": "Avgifter"}
    assert sie.account_types == {"1930": "T"}
    assert sie.vouchers == (
        Voucher(
            "A",
            "1",
            dt.date(2024, 1, 31),
            "Avgift Botkyrka",
            rows=(
                Row("1930", (), Decimal("1500.00"), line=13),
                Row("3010", (), Decimal("-1500.00"), line=14),
            ),
            line=11,
        ),
    )
    assert sie.checksum is None and sie.checksum_computed is None


def test_a_dos_end_of_file() -> None:
    sie, problems = parse_sie("dos.se", (HEADER + "#KONTO 1930 Bank\r\n").encode("cp437") + b"\x1a")
    assert sie is not None and problems == []
    assert sie.accounts == {"1930": "Bank"}


def test_separators_blank_lines_and_crlf() -> None:
    text = (
        HEADER + '\r\n\t \r\n#KONTO\t\t1930 \t  "Bank konto"  \r\n\r\n'
        "#VER  A\t1 20240131\r\n\r\n{\r\n\r\n  \t#TRANS 1930 {} 1\r\n"
        "\t#TRANS 2440 {} -1\r\n\r\n}\r\n"
    )
    sie, problems = parse_sie("crlf.se", text.encode("cp437"))
    assert sie is not None and problems == []
    assert sie.accounts == {"1930": "Bank konto"}
    assert [r.amount for r in one_voucher(sie).rows] == [1, -1]


def test_quoting_and_escaped_quotes() -> None:
    sie, problems = parse(
        r"""#KONTO 1930 "Bank \"Nordea\" konto"
#KONTO 1931 "C:\temp\"
#KONTO 1932 "a\\"b"
#KONTO 1933 ""
#KONTO "1934" "{inga} objekt"
#KONTO 1935 Hyresrätt extra "fält" {1 "2"}
"""
    )
    assert errors(problems) == ["a quoted field is not closed with a quote"]
    assert sie.accounts == {
        "1930": 'Bank "Nordea" konto',
        "1932": 'a\\"b',
        "1933": "",
        "1934": "{inga} objekt",
        "1935": "Hyresrätt",  # trailing fields are ignored (§7)
    }


def test_object_lists() -> None:
    sie, problems = parse(
        '#DIM 1 "Kostnadsställe"\n#DIM 6 Projekt\n#OBJEKT 6 "P 1" "Ett projekt"\n'
        "#VER A 1 20240131\n{\n"
        '#TRANS 5010 {1\t"2"\t6 "P 1"} 100\n'
        '#TRANS 5010 {\t6\t"P 1"\t}\t-50\n'
        '#TRANS 1930 {   } -50 20240201 "bank" 3 "sign" extra "fields"\n'
        "}\n"
    )
    assert problems == []
    assert sie.dims == {1: "Kostnadsställe", 6: "Projekt"}
    assert sie.objects == {(6, "P 1"): "Ett projekt"}
    rows = one_voucher(sie).rows
    assert rows[0].objects == ((1, "2"), (6, "P 1"))
    assert rows[1].objects == ((6, "P 1"),)
    assert rows[2] == Row(
        "1930", (), Decimal(-50), dt.date(2024, 2, 1), "bank", Decimal(3), "sign", line=15
    )


def test_bad_object_lists() -> None:
    sie, problems = parse(
        "#VER A 1 20240131\n{\n#TRANS 5010 {1} 100\n#TRANS 1930 {} -100\n}\n"
        '#VER A 2 20240131\n{\n#TRANS 5010 {x "1"} 100\n#TRANS 1930 {} -100\n}\n'
        '#VER A 3 20240131\n{\n#TRANS 5010 {1 "1" 100\n#TRANS 1930 {} -100\n}\n'
        '#VER A 4 20240131\n{\n#TRANS 5010 {1 {2 "1"}} 100\n#TRANS 1930 {} -100\n}\n'
        "#VER A 5 20240131\n{\n#TRANS 5010 100\n#TRANS 1930 {} -100\n}\n"
    )
    assert errors(problems) == [
        "#TRANS: the object list has an odd number of items",
        "#TRANS: 'x' in the object list is not a dimension number",
        "an object list is not closed with }",
        "an object list inside an object list",
    ]
    assert warnings(problems) == ["#TRANS without an object list: read as {}"]
    assert [v.number for v in sie.vouchers] == ["5"]


def test_unknown_labels_are_ignored() -> None:
    sie, problems = parse(
        '#FOO bar {1 2} "baz"\n#ADRESS "Kontakt" "Gata 1" "123 45 Ort" "08-1"\n'
        '#SRU 1930 7281\n#OIB 0 1930 {1 "1"} 100\n#NYTT\n'
        "#VER A 1 20240131\n{\n#TRANS 1930 {} 1\n#OKÄND 1 2 3\n#TRANS 2440 {} -1\n}\n"
    )
    assert problems == []
    assert len(one_voucher(sie).rows) == 2


def test_labels_in_lower_case_are_read() -> None:
    sie, problems = parse('#konto 1930 "Bank"\n')
    assert problems == []
    assert sie.accounts == {"1930": "Bank"}


def test_account_numbers_are_strings() -> None:
    sie, problems = parse(
        '#KONTO 0027 "Med nolla"\n#IB 0 0027 10\n'
        "#VER A 1 20240131\n{\n#TRANS 0027 {} 10\n#TRANS 9999 {} -10\n}\n"
    )
    assert problems == []
    assert sie.accounts == {"0027": "Med nolla"}
    assert sie.opening == {(0, "0027"): Decimal(10)}
    assert account_sums(sie.vouchers) == {"0027": 10, "9999": -10}  # 9999 never declared


def test_amounts() -> None:
    sie, problems = parse(
        "#IB 0 1930 100\n#IB 0 1931 -9797.5\n#IB 0 1932 0.05\n#IB 0 1933 -0\n#IB 0 1934 007.10\n"
    )
    assert problems == []
    assert list(sie.opening.values()) == [
        Decimal(100),
        Decimal("-9797.50"),
        Decimal("0.05"),
        0,
        Decimal("7.1"),
    ]
    assert str(sie.opening[(0, "1931")]) == "-9797.5"  # exact as written


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("+5", "the amount '+5' has a plus sign: SIE writes none"),
        ("1,50", "the amount '1,50' has a decimal comma: SIE writes a point"),
        ("1.505", "the amount '1.505' has more than two decimals"),
        ("1.", "'1.' is not an amount"),
        (".5", "'.5' is not an amount"),
        ("1e3", "'1e3' is not an amount"),
        ('"1 000"', "'1 000' is not an amount"),
        ("abc", "'abc' is not an amount"),
        ("--1", "'--1' is not an amount"),
        ("NaN", "'NaN' is not an amount"),
    ],
)
def test_bad_amounts(amount: str, message: str) -> None:
    sie, problems = parse(
        f"#IB 0 1930 {amount}\n#VER A 1 20240131\n{{\n#TRANS 1930 {{}} {amount}\n"
        "#TRANS 2440 {} -5\n}\n#VER A 2 20240131\n{\n#TRANS 1930 {} 5\n#TRANS 2440 {} -5\n}\n"
    )
    assert errors(problems) == [f"#IB: {message}", f"#TRANS: {message}"]
    assert [p.line for p in problems] == [8, 11]
    assert problems[0].column == 12
    assert sie.opening == {}
    assert [v.number for v in sie.vouchers] == ["2"]  # a voucher with a bad row is left out


@pytest.mark.parametrize("day", ["20240230", "2024-01-31", "240131", "2024013", "00000101", "x"])
def test_bad_dates(day: str) -> None:
    sie, problems = parse(
        f"#VER A 1 {day}\n{{\n#TRANS 1930 {{}} 5\n#TRANS 2440 {{}} -5\n}}\n"
        f"#VER A 2 20240131\n{{\n#TRANS 1930 {{}} 5 {day}\n#TRANS 2440 {{}} -5\n}}\n"
        f"#RAR -1 {day} 20231231\n"
    )
    assert errors(problems) == [
        f"#VER: the date {day!r} is not a date",
        f"#TRANS: the transaction date {day!r} is not a date",
        f"#RAR: the first day {day!r} is not a date",
    ]
    assert sie.vouchers == ()
    assert list(sie.years) == [0]


def test_an_unbalanced_voucher_is_an_error_and_kept() -> None:
    sie, problems = parse(
        '#VER A 1 20240131 "Fel"\n{\n#TRANS 1930 {} 100\n#TRANS 3010 {} -99.50\n}\n'
    )
    assert errors(problems) == ["voucher A 1 does not balance: its rows sum to 0.50"]
    assert problems[0].line == 8  # the #VER
    assert len(one_voucher(sie).rows) == 2


def test_added_and_struck_rows() -> None:
    sie, problems = parse(
        "#VER A 1 20240131\n{\n"
        "#TRANS 1930 {} 100\n"
        '#BTRANS 3010 {} -100 20240201 "" "" "Anna"\n'
        '#RTRANS 3011 {1 "2"} -100 20240201 "" "" "Anna"\n'
        '#TRANS 3011 {1 "2"} -100\n'
        "}\n"
    )
    assert problems == []
    voucher = one_voucher(sie)
    assert [(r.account, r.amount, r.added, r.signature) for r in voucher.rows] == [
        ("1930", Decimal(100), False, ""),
        ("3011", Decimal(-100), True, "Anna"),
    ]
    assert voucher.rows[1].line == 13  # the #TRANS copy
    assert [(r.account, r.amount, r.added) for r in voucher.struck] == [
        ("3010", Decimal(-100), False)
    ]


def test_an_added_row_without_its_copy_is_counted_once() -> None:
    sie, problems = parse(
        "#VER A 1 20240131\n{\n"
        "#RTRANS 1930 {} 100\n"  # no copy: counted
        "#RTRANS 1930 {} 50\n"
        "#TRANS 1930 {} 40\n"  # not its copy: both counted
        "#TRANS 3010 {} -190\n"
        "}\n"
    )
    assert errors(problems) == []
    assert [p.line for p in problems] == [10, 11]
    assert (
        warnings(problems)
        == ["#RTRANS without the #TRANS copy that always follows it: counted as a row"] * 2
    )
    assert [(r.amount, r.added) for r in one_voucher(sie).rows] == [
        (Decimal(100), True),
        (Decimal(50), True),
        (Decimal(40), False),
        (Decimal(-190), False),
    ]


def test_vouchers_without_counted_rows_are_vouchers() -> None:
    sie, problems = parse(
        '#VER A 1 20240131 "Makulerad"\n{\n}\n'
        "#VER A 2 20240131\n{\n#BTRANS 1930 {} 100\n#BTRANS 3010 {} -100\n}\n"
        "#VER A 3 20240131\n{\n#BTRANS 1930 {} 100\n}\n"
    )
    assert problems == []
    assert [(v.number, len(v.rows), len(v.struck)) for v in sie.vouchers] == [
        ("1", 0, 0),
        ("2", 0, 2),
        ("3", 0, 1),
    ]


def test_series_named_hash_and_empty_series() -> None:
    sie, problems = parse(
        '#VER # 1 20240131 "Avskrivning"\n{\n#TRANS 7830 {} 133\n#TRANS 1229 {} -133\n}\n'
        '#VER "" "" 20240131\n{\n#TRANS 7830 {} 1\n#TRANS 1229 {} -1\n}\n'
        '#VER # 1 20240229 "Samma nummer igen"\n{\n}\n'
    )
    assert problems == []
    assert [(v.series, v.number) for v in sie.vouchers] == [("#", "1"), ("", ""), ("#", "1")]


def test_records_out_of_order_and_partial_exports() -> None:
    """#KONTO after #IB and after the vouchers, #RAR last; IB + rows ≠ UB: no problem."""
    sie, problems = parse(
        "#IB 0 1930 100\n#UB 0 1930 999\n"
        "#VER A 1 20240131\n{\n#TRANS 1930 {} 5\n#TRANS 3010 {} -5\n}\n"
        '#KONTO 1930 "Bank"\n#RAR -1 20230101 20231231\n#DIM 6 "Projekt"\n',
        header=True,
    )
    assert problems == []
    assert sie.accounts == {"1930": "Bank"}
    assert list(sie.years) == [0, -1]


def test_fiscal_years_need_not_be_calendar_years() -> None:
    sie, problems = parse("#RAR -1 20220701 20230630\n#RAR -2 20210501 20220630\n")
    assert problems == []
    assert sie.years[-2] == FiscalYear(dt.date(2021, 5, 1), dt.date(2022, 6, 30))
    assert year_number(sie.years, dt.date(2023, 1, 1)) == -1
    assert year_number(sie.years, dt.date(2020, 1, 1)) is None
    _, problems = parse("#RAR -1 20230630 20220701\n")
    assert errors(problems) == ["#RAR -1: the year ends before it starts"]


def test_quoted_format_and_flag() -> None:
    text = HEADER.replace("#FLAGGA 0", "#FLAGGA 1").replace("#FORMAT PC8", '#FORMAT\t"PC8"')
    sie, problems = parse(text, header=False)
    assert sie.flag == 1 and sie.format == "PC8"
    assert warnings(problems) == ["#FLAGGA 1: this file has already been imported somewhere"]
    assert problems[0].line == 1


def test_other_formats_are_read_with_a_warning() -> None:
    _, problems = parse(HEADER.replace("#FORMAT PC8", "#FORMAT UTF8"), header=False)
    assert warnings(problems) == ["#FORMAT UTF8: SIE allows only PC8 (code page 437); read as PC8"]


def test_missing_required_records() -> None:
    sie, problems = parse('#FNAMN "x"\n', header=False)
    assert warnings(problems) == [
        "no #FLAGGA, #PROGRAM, #FORMAT, #GEN, #SIETYP: SIE requires them at the start of the file"
    ]
    assert problems[0].line == 1
    assert sie.sie_type == 4 and sie.format == "PC8"  # the defaults


def test_header_values() -> None:
    sie, problems = parse(
        '#PROSA "En kommentar"\n#FTYP KOMMUN\n#FNR 42\n#ORGNR 212000-0142\n#TAXAR 2025\n'
        "#KPTYP BAS2024\n#VALUTA SEK\n#SIETYP 4\n"
    )
    assert problems == []
    assert (sie.prosa, sie.company_type, sie.company_id, sie.orgnr) == (
        "En kommentar",
        "KOMMUN",
        "42",
        "212000-0142",
    )
    assert (sie.tax_year, sie.chart_type, sie.currency, sie.sie_type) == (
        2025,
        "BAS2024",
        "SEK",
        4,
    )


def test_bad_header_values() -> None:
    _, problems = parse(
        "#FLAGGA 2\n#SIETYP 5\n#SIETYP x\n#TAXAR tjugo\n#GEN 2024\n#KTYP 1930 X\n#DIM -1 x\n"
        '#IB x 1930 1\n#IB 0 "" 1\n#RAR\n#KONTO {1 2}\n',
        header=False,
    )
    assert errors(problems) == [
        "#FLAGGA 2: the flag is 0 or 1",
        "#SIETYP 5: the type is 1, 2, 3 or 4",
        "#SIETYP: the type 'x' is not a whole number",
        "#TAXAR: the year 'tjugo' is not a whole number",
        "#GEN: the date '2024' is not a date",
        "#KTYP 1930 X: the type is T, S, I or K",
        "#DIM: the dimension -1 is negative",
        "#IB: the year number 'x' is not a whole number",
        "#IB: no account number",
        "#RAR needs a year number (0, -1 …), its first and its last day",
        "#KONTO: no account number",
    ]
    assert [p.line for p in problems if p.severity == "error"] == list(range(1, 12))


def test_duplicates() -> None:
    sie, problems = parse(
        '#KONTO 1930 "Bank"\n#KONTO 1930 "Bank"\n#KONTO 1930 "Banken"\n'
        "#IB 0 1930 1\n#IB 0 1930 2\n#RAR 0 20240101 20241231\n#RAR 0 20230101 20231231\n"
        "#PROGRAM Annat 2\n"
    )
    assert errors(problems) == [
        "#IB 0 1930 again, different from before: the first is kept",
        "#RAR 0 again, different from before: the first is kept",
    ]
    assert warnings(problems) == [
        "#KONTO 1930 again, different from before: the first is kept",
        "a second #PROGRAM, different from the first: the first is kept",
    ]
    assert sie.accounts == {"1930": "Bank"}
    assert sie.opening == {(0, "1930"): 1}
    assert sie.program == "Test"


def test_voucher_structure_errors() -> None:
    sie, problems = parse(
        "#VER A 1 20240131\n#TRANS 1930 {} 1\n#TRANS 2440 {} -1\n}\n"  # no {
        "{\n#TRANS 1930 {} 1\n}\n"  # { without #VER
        "}\n"  # } without {
        "#TRANS 1930 {} 1\n"  # outside a voucher
        "#VER A 2 20240131\n{\n#TRANS 1930 {} 1\n{\n#TRANS 2440 {} -1\n}\n"  # { inside
        "#VER A 3 20240131\n{\n#TRANS 1930 {} 1\n#TRANS 2440 {} -1\n"  # not closed
        "#VER A 4 20240131\n#KONTO 1930 Bank\n"  # no rows block
        "#VER A 5 20240131\n}\n"  # } without {
        "#VER A 6 20240131\n{\n#TRANS 1930 {} 1\n#TRANS 2440 {} -1\n}\n"  # fine
        "#VER A 7 20240131\n{\n#TRANS 1930 {} 1\n#TRANS 2440 {} -1\n"  # the file ends
    )
    assert errors(problems) == [
        "the #VER at line 8 is not followed by a line with {",
        "a { without a #VER before it",
        "a } without its {",
        "#TRANS outside a voucher",
        "a { inside a voucher",
        "the voucher at line 23 is not closed with } before this #VER",
        "the #VER at line 27 has no rows: no { … } follows it",
        "a } without its { after the #VER at line 29",
        "the file ends inside the voucher at line 36",
    ]
    assert [v.number for v in sie.vouchers] == ["6"]


def test_not_a_record() -> None:
    _, problems = parse('1930 Bank\n"#KONTO" 1930 Bank\n')
    assert errors(problems) == ["not a record: a record starts with a #LABEL"] * 2


# -- characters --------------------------------------------------------------------------------


def test_pc8_but_utf8() -> None:
    text = HEADER + '#KONTO 1930 "Företagskonto åäö ÅÄÖ"\n'
    sie, problems = parse_sie("utf8.se", text.encode("utf-8"))
    assert sie is not None
    assert sie.accounts["1930"] == "Företagskonto åäö ÅÄÖ"
    assert sie.company_name == "Södertörns Test"
    assert warnings(problems) == [
        "the file is UTF-8, not PC8 (code page 437) as SIE requires: read as UTF-8"
    ]
    assert (problems[0].line, problems[0].text) == (6, '#FNAMN "Södertörns Test"')


def test_a_utf8_bom() -> None:
    sie, problems = parse_sie("bom.se", b"\xef\xbb\xbf" + HEADER.encode("utf-8"))
    assert sie is not None and sie.flag == 0
    assert len(problems) == 1 and "UTF-8" in problems[0].message


def test_plain_ascii_is_pc8_without_a_warning() -> None:
    sie, problems = parse_sie("ascii.se", HEADER.replace("ö", "o").encode("ascii"))
    assert sie is not None and problems == []


def test_replacement_characters_in_names() -> None:
    text = HEADER + '#KONTO 1930 "F\ufffdretagskonto"\n#OBJEKT 6 P1 "\ufffdrsta"\n'
    sie, problems = parse_sie("lost.se", text.encode("utf-8"))
    assert sie is not None
    assert sie.accounts["1930"] == "F\ufffdretagskonto"
    assert [(p.line, p.message[:6]) for p in problems if "U+FFFD" in p.message] == [
        (8, "U+FFFD"),
        (9, "U+FFFD"),
    ]


def test_many_replacement_characters_are_counted() -> None:
    text = HEADER + "".join(f'#KONTO {n} "\ufffd"\n' for n in range(1000, 1020))
    sie, problems = parse_sie("lost.se", text.encode("utf-8"))
    assert sie is not None and len(sie.accounts) == 20
    assert warnings(problems)[-1] == "U+FFFD on 15 more lines"
    assert len(problems) == 1 + 5 + 1


def test_a_stray_latin1_byte() -> None:
    data = HEADER.encode("cp437") + b'#OBJEKT 6 "\xc51" "\x86rsta"\n'
    sie, problems = parse_sie("latin1.se", data)
    assert sie is not None
    assert sie.objects == {(6, "┼1"): "årsta"}
    (problem,) = problems
    assert problem.line == 8
    assert problem.message == (
        "byte 0xC5 reads as '┼' in PC8 (code page 437), but as 'Å' in Latin-1"
    )


def test_control_characters() -> None:
    sie, problems = parse('#KONTO 1930 "Bank\x1b[31m"\n')
    assert sie.accounts["1930"] == "Bank\x1b[31m"
    assert warnings(problems) == ["a control character in the line"]
    assert "\\x1b" in format_problem(problems[0])  # never sent to the terminal as is


# -- #KSUMMA -----------------------------------------------------------------------------------


def ksumma(body: str) -> int:
    """The CRC of the brief, computed here by hand for the records given as fields."""
    crc = 0
    for line in body.splitlines():
        crc = zlib.crc32("".join(line.split("|")).encode("cp437"), crc)
    return crc


def test_checksum_of_a_small_file() -> None:
    crc = ksumma(
        '#PROGRAM|Test|1.0\n#KONTO|1930|Bank "Ö"\n#VER|A|1|20240131\n'
        "#TRANS|1930|6|P 1|1\n#TRANS|2440|-1"
    )
    text = (
        "#FLAGGA 0\n#KSUMMA\n#PROGRAM Test 1.0\n"
        '#KONTO 1930 "Bank \\"Ö\\""\n#VER A 1 20240131\n{\n#TRANS 1930 {6 "P 1"} 1\n'
        f"#TRANS 2440 {{}} -1\n}}\n#KSUMMA {crc}\n"
    )
    sie, problems = parse_sie("k.se", text.encode("cp437"))
    assert sie is not None
    assert sie.checksum == sie.checksum_computed == crc
    assert errors(problems) == []
    signed = crc - (1 << 32) if crc >= 1 << 31 else crc
    sie, problems = parse_sie("k.se", text.replace(str(crc), str(signed)).encode("cp437"))
    assert sie is not None and errors(problems) == []


def test_checksum_problems() -> None:
    _, problems = parse("#KSUMMA 123\n")
    assert errors(problems) == ["a closing #KSUMMA without an opening one"]
    _, problems = parse("#KSUMMA\n#KONTO 1930 Bank\n#KSUMMA\n#KSUMMA x\n")
    assert errors(problems) == [
        "a second opening #KSUMMA",
        "#KSUMMA needs a whole number",
        "the file has an opening #KSUMMA but no closing one",
    ]
    crc = ksumma("#KONTO|1930|Bank")
    _, problems = parse(
        f"#KSUMMA\n#KONTO 1930 Bank\n#KSUMMA {crc}\n#KONTO 1931 Kassa\n#KSUMMA {crc}\n"
    )
    assert errors(problems) == ["a second closing #KSUMMA"]
    assert warnings(problems) == [
        "a record after the closing #KSUMMA: the checksum does not cover it"
    ]


def test_checksum_with_a_line_too_long() -> None:
    sie, problems = parse("#KSUMMA\n#PROSA " + "x" * 70_000 + "\n#KSUMMA 1\n")
    assert errors(problems) == ["the line is longer than 65536 bytes: not read"]
    assert sie.checksum == 1 and sie.checksum_computed is None


# -- hostile input: problems, never a traceback or a hang ---------------------------------------


def test_not_sie_at_all() -> None:
    for data in (b"", b"\n\n  \t\n"):
        sie, problems = parse_sie("empty.se", data)
        assert sie is not None and len(problems) == 1  # no required records: a warning
    sie, problems = parse_sie("data.csv", b"kommun;belopp\nBotkyrka;1\n")
    assert sie is None
    assert [p.message for p in problems] == ["not an SIE file: its first record is not a #LABEL"]
    assert problems[0].line == 1
    sie, problems = parse_sie("x.pdf", b"%PDF-1.4\n\x00\x01\x02")
    assert sie is None
    assert problems[0].message == "not an SIE file: a binary file (it holds NUL bytes)"


def test_braces_ten_thousand_deep() -> None:
    started = time.monotonic()
    _, problems = parse(
        "#VER A 1 20240131\n{\n#TRANS 1930 " + "{" * 10_000 + "}" * 10_000 + " 1\n}\n"
    )
    assert errors(problems) == ["an object list inside an object list"]
    data = (HEADER + "{\n" * 10_000 + "}\n" * 10_000).encode("cp437")
    nothing, problems = parse_sie("deep.se", data)
    assert nothing is None
    assert problems[-1].message.startswith("too many problems: stopped reading at line")
    assert len(problems) == sie_read.MAX_PROBLEMS + 1
    assert time.monotonic() - started < 10


def test_a_100_mb_line() -> None:
    started = time.monotonic()
    data = HEADER.encode("cp437") + b"#PROSA " + b"x" * 100_000_000 + b'\n#KONTO 1930 "Bank"\n'
    sie, problems = parse_sie("huge.se", data)
    assert sie is not None
    assert errors(problems) == ["the line is longer than 65536 bytes: not read"]
    assert problems[0].line == 8
    assert len(problems[0].text or "") < 300
    assert sie.accounts == {"1930": "Bank"}
    assert time.monotonic() - started < 10


def test_a_huge_number() -> None:
    sie, problems = parse(f"#IB 0 1930 {'9' * 60_000}.99\n#IB {'9' * 30} 1931 1\n")
    assert sie.opening[(0, "1930")] == Decimal("9" * 60_000 + ".99")
    assert len(errors(problems)) == 1


def test_truncated_anywhere() -> None:
    data = BL.read_bytes()
    for cut in range(0, len(data), 997):
        sie, problems = parse_sie("cut.se", data[:cut])
        assert all(isinstance(p, Problem) for p in problems)
        if sie is not None:
            assert all(sum(r.amount for r in v.rows) == 0 for v in sie.vouchers)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    sie, problems = parse_sie("any.se", data)
    assert sie is not None or problems
    for problem in problems:
        format_problem(problem)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_any_change_to_a_real_file(data: st.DataObject) -> None:
    lines = NORSTEDTS.read_bytes().split(b"\n")[:120] + MAMUT.read_bytes().split(b"\n")[-40:]
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        pos = data.draw(st.integers(0, len(line)))
        insert = data.draw(
            st.sampled_from([b"", b'"', b"{", b"}", b"\t", b"#", b"\\", b"\xff", b" "])
        )
        lines[at] = line[:pos] + insert + line[pos + data.draw(st.integers(0, 3)) :]
    _, problems = parse_sie("changed.se", b"\n".join(lines))
    for problem in problems:
        assert problem.line >= 0
        format_problem(problem)


SIE_TOKENS = [
    *("#VER", "#TRANS", "#RTRANS", "#BTRANS", "#KSUMMA", "#KONTO", "#IB", "#RAR", "#OBJEKT"),
    *("{", "}", "{}", '"', '\\"', "\\", "A", "1", "-1", "0", "20240131", "1.5", "-1.5", "1930"),
    *("\t", "\n", "\n", "\n", "\r\n", " ", "#", "{1", '"x y"', "åäö", "┼", "6 P1}", "+1", "1,5"),
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(SIE_TOKENS), max_size=300))
def test_any_sequence_of_sie_tokens(tokens: list[str]) -> None:
    data = ("#FLAGGA 0\n" + " ".join(tokens)).encode("cp437")
    sie, problems = parse_sie("tokens.se", data)
    assert sie is not None or problems[-1].severity == "error"
    for problem in problems:
        assert 0 <= problem.line <= data.count(b"\n") + 1
        format_problem(problem)
    if sie is not None:
        unbalanced = {p.line for p in problems if "does not balance" in p.message}
        for voucher in sie.vouchers:
            assert (sum(r.amount for r in voucher.rows) != 0) == (voucher.line in unbalanced)


# -- files on disk --------------------------------------------------------------------------------


def test_read_from_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sie, problems = read_sie(tmp_path / "missing.se")
    assert sie is None and problems[0].message.startswith("cannot read the file")
    sie, problems = read_sie(tmp_path)
    assert sie is None
    assert problems[0].message in ("not a regular file", "cannot read the file: Is a directory")
    fifo = tmp_path / "fifo.se"
    os.mkfifo(fifo)
    sie, problems = read_sie(fifo)  # never waits for a writer
    assert sie is None and problems == [Problem(str(fifo), 0, "not a regular file")]
    monkeypatch.setattr(sie_read, "MAX_BYTES", 1000)
    sie, problems = read_sie(BL, "bl.se")
    assert sie is None
    assert problems[0].message.startswith("too big for an SIE file")
    assert problems[0].file == "bl.se"
