"""Money and numbers: exact amounts, and the one way each kind of number is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sodertorn_ledger.money import (
    MINUS,
    format_count,
    format_sv,
    group_thousands,
    journal_amount,
    round_kr,
    to_json,
)


@pytest.mark.parametrize(
    ("digits", "grouped"),
    [("0", "0"), ("12", "12"), ("123", "123"), ("1234", "1 234"), ("1824368", "1 824 368")],
)
def test_thousands_are_grouped_by_three_from_the_right(digits: str, grouped: str) -> None:
    assert group_thousands(digits) == grouped


@given(st.integers(min_value=0, max_value=10**40))
def test_grouping_keeps_every_digit_in_groups_of_three(n: int) -> None:
    groups = group_thousands(str(n)).split(" ")
    assert "".join(groups) == str(n)
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@pytest.mark.parametrize(
    ("amount", "kronor", "ore"),
    [
        ("-1824368.40", "−1 824 368", "−1 824 368,40"),
        ("5488.50", "5 489", "5 488,50"),
        ("-0.50", "−1", "−0,50"),
        ("-0.004", "0", "0,00"),  # rounds to zero: no sign
        ("0", "0", "0,00"),
        ("1E+30", "1 000 000 000 000 000 000 000 000 000 000", None),
    ],
)
def test_report_amounts_round_half_up_per_cell_with_a_real_minus(
    amount: str, kronor: str, ore: str | None
) -> None:
    assert format_sv(Decimal(amount)) == kronor
    if ore is not None:
        assert format_sv(Decimal(amount), ore=True) == ore


def test_counts_are_grouped_and_carry_the_report_minus() -> None:
    assert format_count(947193) == "947 193"
    assert format_count(-1200) == f"{MINUS}1 200"


def test_journal_amounts_are_written_as_the_books_write_them() -> None:
    assert journal_amount(Decimal("-1378424.5"), "kr") == "-1 378 424,50 kr"
    assert journal_amount(Decimal("-1378424.5"), "kr", ".") == "-1378424.50 kr"
    assert journal_amount(Decimal("5"), "kr", pad_ore=False) == "5 kr"
    assert journal_amount(Decimal("0.125"), "kr") == "0,125 kr"  # never drops a digit


def test_json_amounts_are_exact_strings() -> None:
    assert to_json(Decimal("-1824368.4")) == "-1824368.40"
    assert to_json(Decimal("-0.00")) == "0.00"
    assert to_json(Decimal("0.125")) == "0.125"


def test_round_kr_is_half_up_away_from_zero() -> None:
    assert round_kr(Decimal("2.5")) == 3
    assert round_kr(Decimal("-2.5")) == -3
    assert round_kr(Decimal("2.49")) == 2
