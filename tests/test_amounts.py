"""Amounts read as hledger 1.25 reads them (each case checked against the real hledger)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from sodertorn_ledger.journal.amounts import (
    AmountError,
    NumberStyleError,
    fits_style,
    parse_amount,
)
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.reports.trial_balance import trial_balance


@pytest.mark.parametrize(
    ("text", "decimal_mark", "styles", "value", "commodity"),
    [
        ("1 824 368,40 kr", None, {}, "1824368.40", "kr"),
        ("-1 450 kr", None, {}, "-1450", "kr"),
        ("kr -1450", None, {}, "-1450", "kr"),
        ("-kr 1450", None, {}, "-1450", "kr"),
        ("1824368.40 SEK", None, {}, "1824368.40", "SEK"),
        ("1.824.368,40 kr", None, {}, "1824368.40", "kr"),
        ("1,824,368.40 kr", None, {}, "1824368.40", "kr"),
        ("1,234 kr", None, {}, "1.234", "kr"),
        ("1.234 kr", None, {}, "1.234", "kr"),
        ("1.2.3 kr", None, {}, "123", "kr"),
        ("1 2 kr", None, {}, "12", "kr"),
        ("+5 kr", None, {}, "5", "kr"),
        ("kr5", None, {}, "5", "kr"),
        ("-5,5kr", None, {}, "-5.5", "kr"),
        (".5 kr", None, {}, "0.5", "kr"),
        ("5. kr", None, {}, "5", "kr"),
        ("1.234 kr", ",", {}, "1234", "kr"),
        ("1,234 kr", ".", {}, "1234", "kr"),
        ("1,234 kr", None, {"kr": ","}, "1.234", "kr"),
        ("1.234 kr", None, {"kr": ","}, "1234", "kr"),
        ("1,234 kr", None, {"kr": "."}, "1234", "kr"),
        ("1,234 kr", ",", {"kr": "."}, "1.234", "kr"),  # the directive wins over the style
        ("10", None, {}, "10", ""),
        ("1.5, kr", None, {}, "15", "kr"),
        # A mark at either end is a decimal mark (hledger 1.25): in books that declare it.
        ("6, kr", ",", {}, "6", "kr"),
        ("kr ,5", ",", {}, "0.5", "kr"),
        ("74. kr", ".", {}, "74", "kr"),
        ("kr .9", ".", {}, "0.9", "kr"),
        # The books' style: the other mark between digit groups of three.
        ("1.234.567,00 kr", ",", {}, "1234567.00", "kr"),
        ("-1.234 kr", ",", {}, "-1234", "kr"),
        ("kr 999.999,5", None, {"kr": ","}, "999999.5", "kr"),
        ("1,234,567.00 kr", ".", {}, "1234567.00", "kr"),
        ("12,345 kr", ".", {}, "12345", "kr"),
        ("1 234 567,5 kr", ",", {}, "1234567.5", "kr"),
        ("1 234 567.5 kr", ".", {}, "1234567.5", "kr"),
        ('"Skr x" 5', None, {}, "5", "Skr x"),
    ],
)
def test_reads_like_hledger(
    text: str, decimal_mark: str | None, styles: dict[str, str | None], value: str, commodity: str
) -> None:
    amount = parse_amount(text, decimal_mark, styles)
    assert amount.quantity == Decimal(value)
    assert amount.commodity == commodity


COMMA = (
    "these books write ',' as the decimal mark and '.' only between groups of three digits "
    "(1.234.567,00)"
)
POINT = (
    "these books write '.' as the decimal mark and ',' only between groups of three digits "
    "(1,234,567.00)"
)


POINT_IN_COMMA = "has a decimal point, but these books use a decimal comma"
COMMA_IN_POINT = "has a decimal comma, but these books use a decimal point"


@pytest.mark.parametrize(
    ("text", "decimal_mark", "styles", "number", "why", "suggestion"),
    [
        ("469.00 kr", ",", {}, "469.00", POINT_IN_COMMA, "469,00"),
        ("-1.5 kr", ",", {}, "1.5", POINT_IN_COMMA, "1,5"),
        ("kr 1 234.50", ",", {}, "1 234.50", POINT_IN_COMMA, "1 234,50"),
        ("1,234.56 kr", ",", {}, "1,234.56", POINT_IN_COMMA, "1.234,56"),
        ("1,234,567.89 kr", None, {"kr": ","}, "1,234,567.89", POINT_IN_COMMA, "1.234.567,89"),
        ("0.500 kr", ",", {}, "0.500", POINT_IN_COMMA, "0,500"),
        ("1234.567 kr", ",", {}, "1234.567", POINT_IN_COMMA, "1234,567"),
        (".5 kr", ",", {}, ".5", POINT_IN_COMMA, "0,5"),
        ("6. kr", ",", {}, "6.", POINT_IN_COMMA, "6"),
        ("1,234,567 kr", ",", {}, "1,234,567", "has more than one decimal comma", "1.234.567"),
        ("1,234,56 kr", ",", {}, "1,234,56", "has more than one decimal comma", ""),
        ("12.34.567 kr", ",", {}, "12.34.567", "has '.' out of place", ""),
        ("1.234.56 kr", ",", {}, "1.234.56", "has '.' out of place", ""),
        ("469,00 kr", ".", {}, "469,00", COMMA_IN_POINT, "469.00"),
        ("1 234,5 kr", None, {"kr": "."}, "1 234,5", COMMA_IN_POINT, "1 234.5"),
        ("kr ,9", ".", {}, ",9", COMMA_IN_POINT, "0.9"),
        ("1.234.567 kr", ".", {}, "1.234.567", "has more than one decimal point", "1,234,567"),
        # The decimal-mark directive wins over a commodity style (as in hledger).
        ("1.234,5 kr", ".", {"kr": ","}, "1.234,5", COMMA_IN_POINT, "1,234.5"),
    ],
)
def test_a_number_not_in_the_declared_style_is_refused(
    text: str,
    decimal_mark: str | None,
    styles: dict[str, str | None],
    number: str,
    why: str,
    suggestion: str,
) -> None:
    # hledger reads each of these (469.00 as 46900 in comma books): see journal-format.md.
    with pytest.raises(NumberStyleError) as raised:
        parse_amount(text, decimal_mark, styles, limited=True)
    error = raised.value
    assert error.message == f"'{number}' {why}"
    assert (error.suggestion, error.offset) == (suggestion, text.index(number))
    rule = COMMA if error.mark == "," else POINT
    if suggestion:
        assert error.hint == f"did you mean {suggestion}? {rule[0].upper()}{rule[1:]}"
    else:
        assert error.hint == rule
    assert error.commodity == "kr"
    # Books that declare nothing read it as hledger does.
    parse_amount(text, None, {})


@pytest.mark.parametrize(
    ("number", "mark", "fits"),
    [
        ("469,00", ",", True),
        ("1", ",", True),
        ("1.234.567", ",", True),
        ("999.999,99", ",", True),
        ("1 234,5", ",", True),
        ("469.00", ",", False),
        ("1.2345", ",", False),
        ("0.123", ",", False),  # no digit group starts with 0
        ("1234.567", ",", False),  # a first group of more than three digits
        ("1 234.567", ",", False),  # mixed with space groups
        ("1,2,3", ",", False),
        ("1,234.5", ",", False),
        ("1,234,567.89", ".", True),
        ("469,00", ".", False),
    ],
)
def test_fits_style(number: str, mark: str, fits: bool) -> None:
    assert fits_style(number, mark) is fits


def test_ambiguous_amount_is_flagged_only_when_no_directive_decides() -> None:
    assert parse_amount("1,234 kr", None, {}).ambiguous_mark == ","
    assert parse_amount("1,234 kr", ",", {}).ambiguous_mark is None
    assert parse_amount("1,5 kr", None, {}).ambiguous_mark is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1\u00a0234 kr", "no-break space (U+00A0)"),
        ("1\u2009234 kr", "thin space (U+2009)"),
        ("\u22125 kr", "Unicode minus sign (U+2212)"),
        ("1 234.567,5 kr", "mixes digit group marks"),
        ("1.234,567.5 kr", "mixes digit group marks"),
        ("kr", "no number"),
        ("5 kr kr", "after the amount"),
        ("--5 kr", "unexpected '-'"),
        ("5 kr 3", "after the amount"),
        (",5 kr", "it starts with ','"),
        ("0., kr", "two marks in a row"),
        (".60,095 kr", "it starts with '.'"),
    ],
)
def test_rejects_with_a_message(text: str, fragment: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text, None, {})
    assert fragment in info.value.message


def test_lookalike_error_points_at_the_character() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("1 000\u00a0000 kr", None, {})
    assert info.value.offset == 5
    assert "ordinary space" in info.value.hint


# --- the limit on an amount's length, and exact sums ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "999 999 999 999 999,9999 kr",  # 15 digits and 4 decimals: the longest
        "-999999999999999.9999 kr",
        "kr 999.999.999.999.999,9999",
        "0000000000000000000001 kr",  # leading zeros are no digits of the value
        "0,0001 kr",
        "-0,0000 kr",
    ],
)
def test_the_longest_amounts_are_read(text: str) -> None:
    assert parse_amount(text, None, {}, limited=True).quantity.adjusted() < 15


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("1 000 000 000 000 000 kr", "more than 15 digits before the decimal mark", 0),
        ("-1000000000000000 kr", "more than 15 digits before the decimal mark", 1),
        ("kr -9999999999999999,5", "more than 15 digits before the decimal mark", 4),
        ("1234567890123456789012345678901234567890 kr", "more than 15 digits", 0),
        ("1,23456 kr", "more than 4 decimals", 0),
        ("1,50000 kr", "more than 4 decimals", 0),  # as written: the zeros count
        ("-0,00000 kr", "more than 4 decimals", 1),
    ],
)
def test_longer_amounts_are_refused(text: str, message: str, offset: int) -> None:
    with pytest.raises(AmountError, match=message) as raised:
        parse_amount(text, ",", {}, limited=True)
    assert raised.value.offset == offset
    assert "docs/journal-format.md" in raised.value.hint
    parse_amount(text, ",", {})  # a commodity directive's sample is not an amount


def test_a_sum_of_the_longest_amounts_is_exact(tmp_path: Path) -> None:
    # 2 000 transactions of the longest amounts: every sum the reports make needs up to 23
    # digits, and Python's default context keeps 28. Were any sum rounded, or made in
    # floating point, a figure below would be off.
    count = 2000
    longest = "999 999 999 999 999,9999 kr"
    text = "decimal-mark ,\n" + "".join(
        f"2020-01-01 t\n    a  {longest}\n    b  -999 999 999 999 999,9998 kr\n    c\n\n"
        for _ in range(count)
    )
    # … and one transaction whose amounts differ from zero only in the 20th digit.
    text += (
        "2020-01-02 u\n"
        f"    a  {longest}\n    a  {longest}\n"
        "    b  -999 999 999 999 999,9999 kr\n    b  -999 999 999 999 999,9998 kr\n"
    )
    path = tmp_path / "main.journal"
    path.write_text(text, encoding="utf-8")
    journal = load_journal(path)
    ((problem),) = journal.errors
    assert problem.line == 5 * count + 2
    assert problem.message == "transaction does not balance: the amounts add up to 0,0001 kr"

    units = 9_999_999_999_999_999_999  # the longest amount in 10^-4 kr
    exact = {  # from strings: exact (arithmetic on Decimals is what is tested)
        "a": Decimal(f"{count * units}E-4"),
        "b": Decimal(f"{-count * (units - 1)}E-4"),
        "c": Decimal(f"{-count}E-4"),
    }
    balances = dict(trial_balance(journal).rows)
    assert balances == exact
    assert trial_balance(journal).total == 0
    assert exact["a"] == Decimal("1999999999999999999.8000")  # 23 digits: a float has 16
    # The same sums in a context of fewer digits are off: the test would catch a rounding.
    with localcontext() as short:
        short.prec = 22
        assert dict(trial_balance(journal).rows) != exact
