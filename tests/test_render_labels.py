"""What every renderer shows the same way: footnote markers, account labels, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from sodertorn_ledger.render.labels import (
    account_label,
    date_sv,
    footnote_marker,
    provisional_note,
    summary_figures,
    summary_headings,
    with_marker,
)
from sodertorn_ledger.reports.funds import Totals


def test_markers_as_published() -> None:
    assert footnote_marker(1) == "¹⁾"
    assert footnote_marker(2) == "²⁾"
    assert footnote_marker(12) == "¹²⁾"


def test_a_name_carries_its_marker_only_when_it_has_one() -> None:
    assert with_marker("Kommunikationsprojekt", 1) == "Kommunikationsprojekt ¹⁾"
    assert with_marker("Södertörnsmodellen", None) == "Södertörnsmodellen"


def test_account_labels() -> None:
    assert account_label("tillgångar:bank") == "Bank"
    assert account_label("skulder:semesterlöneskuld") == "Semesterlöneskuld"
    assert account_label("kassa") == "Kassa"


def test_dates_in_swedish() -> None:
    assert date_sv(dt.date(2020, 12, 31)) == "31 december 2020"
    assert date_sv(dt.date(2021, 3, 1)) == "1 mars 2021"


def test_the_sammanstallning_columns_have_transfers_only_when_asked() -> None:
    row = Totals(D(1), D(2), D(-3), D(4), D(4))
    assert summary_headings(2021, transfers=False)[1:] == [
        "Ingående balans 2021",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2021",
    ]
    assert summary_headings(2021, transfers=True)[4] == "Överföringar"
    assert summary_figures(row, transfers=False) == (D(1), D(2), D(-3), D(4))
    assert summary_figures(row, transfers=True) == (D(1), D(2), D(-3), D(4), D(4))


def test_the_provisional_note_names_the_year_to_close() -> None:
    assert provisional_note(2021) == (
        "Ingående balanser 2021 är preliminära: 2020 är inte bokslutat (ledger close 2020)."
    )
