"""Amounts read as hledger 1.25 reads them (each case checked against the real hledger)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sodertorn_ledger.journal.amounts import AmountError, parse_amount


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
        ("1.5 kr", ",", {}, "15", "kr"),
        ("1,234.56 kr", ",", {}, "1234.56", "kr"),
        ("1,234 kr", ".", {}, "1234", "kr"),
        ("1 234,5 kr", ".", {}, "1234.5", "kr"),
        ("1,234 kr", None, {"kr": ","}, "1.234", "kr"),
        ("1.234 kr", None, {"kr": ","}, "1234", "kr"),
        ("1,234 kr", None, {"kr": "."}, "1234", "kr"),
        ("1,234 kr", ",", {"kr": "."}, "1.234", "kr"),  # the directive wins over the style
        ("10", None, {}, "10", ""),
        # A mark at either end is a decimal mark whatever the directives say (hledger 1.25).
        ("6. kr", ",", {}, "6", "kr"),
        (".5 kr", ",", {}, "0.5", "kr"),
        ("74, kr", ".", {}, "74", "kr"),
        ("kr ,9", ".", {}, "0.9", "kr"),
        ("1.5, kr", None, {}, "15", "kr"),
        ('"Skr x" 5', None, {}, "5", "Skr x"),
    ],
)
def test_reads_like_hledger(
    text: str, decimal_mark: str | None, styles: dict[str, str | None], value: str, commodity: str
) -> None:
    amount = parse_amount(text, decimal_mark, styles)
    assert amount.quantity == Decimal(value)
    assert amount.commodity == commodity


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
