"""`compute_projects`: project costs by tag, with their suppliers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.reports.projects import compute_projects
from sodertorn_ledger.reports.result import compute_result
from sodertorn_ledger.settings import load_settings

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
D = Decimal


def test_bundled_2020_as_published() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    report = compute_projects(journal, settings, 2020)
    assert [(p.name, p.amount) for p in report.projects] == [
        ("Näringslivsanalyser Great", D("242800.00")),
        ("Bisnode analys 2020", D("55000.00")),
        ("Produktion kartor, Details", D("22500.00")),
    ]
    assert [[s.payee for s in p.suppliers] for p in report.projects] == [
        ["Great"],
        ["Bisnode Sverige AB"],
        ["Details"],
    ]
    assert report.total == D("320300.00")
    result = compute_result(journal, settings, 2020)
    assert result is not None
    assert dict((x.name, x.amount) for x in result.costs)["Projekt"] == report.total


SPANNING = """\
2021-11-01 Details | kartor del 1  ; projekt:Kartor
    kostnader:drift:projekt   1 000,00 kr
    skulder:leverantörer
2021-11-15 Bisnode | analys  ; projekt:Analys
    kostnader:drift:projekt   500,00 kr
    skulder:leverantörer
2021-12-20 Lantmäteriet | kartdata
    kostnader:drift:projekt   99,99 kr  ; projekt:Kartor
    tillgångar:bank
2022-01-20 Details | kartor del 2  ; projekt:Kartor
    kostnader:drift:projekt   2 000,00 kr
    skulder:leverantörer
2022-02-01 Details | betalning  ; projekt:Kartor
    skulder:leverantörer   3 000,00 kr
    tillgångar:bank
"""


def test_project_spanning_two_years(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, SPANNING)
    r2021 = compute_projects(journal, settings, 2021)
    assert [(p.tag, p.name, p.amount) for p in r2021.projects] == [
        ("Kartor", "Kartor, Details", D("1099.99")),
        ("Analys", "Analys", D("500.00")),
    ]
    assert [(s.payee, s.amount) for s in r2021.projects[0].suppliers] == [
        ("Details", D("1000.00")),
        ("Lantmäteriet", D("99.99")),
    ]
    assert r2021.total == D("1599.99")
    r2022 = compute_projects(journal, settings, 2022)
    # The payment is tagged too but touches no cost account: not a cost of the project.
    assert [(p.name, p.amount) for p in r2022.projects] == [("Kartor, Details", D("2000.00"))]
    assert r2022.total == D("2000.00")
