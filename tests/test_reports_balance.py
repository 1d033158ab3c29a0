"""`compute_balance`: the balance sheet at 31 December."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.reports.balance import compute_balance
from sodertorn_ledger.reports.funds import compute_summary
from sodertorn_ledger.settings import load_settings

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
D = Decimal


def test_bundled_2020_balances_and_funds_equal_their_ub() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    sheet = compute_balance(journal, settings, 2020)
    assert sheet.date == dt.date(2020, 12, 31)
    assert sheet.balanced and sheet.difference == 0
    summary = compute_summary(journal, settings, 2020)
    assert [(f.name, f.amount) for f in sheet.funds] == [(r.name, r.closing) for r in summary.funds]
    assert sheet.total_funds == D("1381130.20")
    assert [a.name for a in sheet.assets] == ["tillgångar:bank", "tillgångar:kundfordringar"]
    assert sheet.assets[1].amount == D("44056.00")  # Nykvarn paid in January 2021
    assert all(line.amount > 0 for line in sheet.liabilities)
    assert sheet.total_assets == sheet.total_liabilities + sheet.total_funds


def test_balance_includes_earlier_years_and_not_later(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2020-06-01 Bidrag\n"
        "    tillgångar:bank   500,00 kr\n"
        "    intäkter:bidrag\n"
        "2021-06-01 Faktura\n"
        "    kostnader:bidrag   120,40 kr\n"
        "    skulder:leverantörer\n"
        "2022-01-10 Betalning\n"
        "    skulder:leverantörer   120,40 kr\n"
        "    tillgångar:bank\n",
    )
    sheet = compute_balance(journal, settings, 2021)
    assert [(a.name, a.amount) for a in sheet.assets] == [("tillgångar:bank", D("500.00"))]
    assert [(a.name, a.amount) for a in sheet.liabilities] == [
        ("skulder:leverantörer", D("120.40"))
    ]
    assert dict((f.name, f.amount) for f in sheet.funds)["Bidrag"] == D("379.60")
    assert sheet.balanced


def test_accounts_outside_every_fund_unbalance_the_sheet(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-05-01 Okänt\n    tillgångar:bank   10,00 kr\n    intäkter:okänt\n",
    )
    sheet = compute_balance(journal, settings, 2021)
    assert not sheet.balanced
    assert sheet.difference == D("10.00")
    assert sheet.unassigned == ("intäkter:okänt",)


def test_every_account_that_unbalances_the_sheet_is_named_with_its_share(
    tmp_path: Path,
) -> None:
    # A misspelt asset account (no class) and an income account in no fund.
    journal, settings = small_books(
        tmp_path,
        "2021-01-01 Ingående balans\n"
        "    tillgångar:bank   1 000,00 kr\n"
        "    fonder:modellen  -1 000,00 kr\n"
        "2021-03-01 Konsult\n"
        "    kostnader:modellen   120,00 kr\n"
        "    tilgångar:bank\n"
        "2021-05-01 Okänt\n"
        "    tillgångar:bank   10,00 kr\n"
        "    intäkter:okänt\n",
    )
    sheet = compute_balance(journal, settings, 2021)
    assert [(x.name, x.amount) for x in sheet.unbalanced_by] == [
        ("intäkter:okänt", D("10.00")),
        ("tilgångar:bank", D("120.00")),
    ]
    assert sum(x.amount for x in sheet.unbalanced_by) == sheet.difference == D("130.00")
    summary = compute_summary(journal, settings, 2021)
    assert summary.unassigned == ("intäkter:okänt",)
    assert summary.unclassified == ("tilgångar:bank",)


def test_a_balanced_sheet_names_nothing() -> None:
    journal = load_journal(BOOKS)
    sheet = compute_balance(journal, load_settings(BOOKS.parent / "sodertorn.toml"), 2020)
    assert sheet.unbalanced_by == () and not sheet.provisional
