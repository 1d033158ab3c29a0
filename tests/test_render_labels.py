"""What every renderer shows the same way: footnote markers, account labels, dates."""

from __future__ import annotations

import datetime as dt

from sodertorn_ledger.render.labels import account_label, date_sv, footnote_marker, with_marker


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
