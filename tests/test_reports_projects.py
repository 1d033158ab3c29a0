"""`compute_projects`: project costs by tag, with their suppliers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report_books import small_books
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.reports.projects import NO_PROJECT, compute_projects, project_lines
from sodertorn_ledger.reports.result import compute_result
from sodertorn_ledger.settings import Settings, load_settings

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


# --- reconciled with the project line of `ledger result` -------------------------------


def _projekt_line(journal: Journal, settings: Settings, year: int) -> Decimal:
    result = compute_result(journal, settings, year)
    assert result is not None
    return dict((x.name, x.amount) for x in result.costs)["Projekt"]


def test_the_project_line_of_the_bundled_settings() -> None:
    journal = load_journal(BOOKS)
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    assert [line.name for line in project_lines(settings, [])] == ["Projekt"]  # its name
    report = compute_projects(journal, settings, 2020)
    assert report.lines == ("Projekt",) and report.outside == 0 and report.problems == ()


def test_untagged_costs_on_the_line_are_a_row_of_their_own(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        SPANNING + "2021-12-01 Konsult | workshop\n"
        "    kostnader:drift:projekt   700,00 kr\n"
        "    tillgångar:bank\n"
        "2021-12-02 Konsult | lön\n"
        "    kostnader:drift:personal   300,00 kr\n"
        "    tillgångar:bank\n",
    )
    report = compute_projects(journal, settings, 2021)
    untagged = report.projects[-1]
    assert (untagged.tag, untagged.name, untagged.amount) == (None, NO_PROJECT, D("700.00"))
    assert report.total == D("2299.99") == _projekt_line(journal, settings, 2021)
    (problem,) = report.problems
    assert problem.severity == "warning"
    untagged_at = journal.transactions[-2]
    assert (problem.file, problem.line) == (untagged_at.file, untagged_at.postings[0].line)
    assert "without a projekt: tag" in problem.message


def test_a_tag_in_another_case_counts_and_is_named(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2021-11-01 Details | kartor  ; PROJEKT:Kartor\n"
        "    kostnader:drift:projekt   1 000,00 kr\n"
        "    skulder:leverantörer\n"
        "2021-11-02 Details | mer kartor\n"
        "    kostnader:drift:projekt   10,00 kr  ; Projekt:Kartor\n"
        "    skulder:leverantörer\n",
    )
    report = compute_projects(journal, settings, 2021)
    assert [(p.tag, p.amount) for p in report.projects] == [("Kartor", D("1010.00"))]
    assert [(p.line, p.hint) for p in report.problems] == [
        # the transaction's tag: its line; the posting's own tag: the posting's line
        (journal.transactions[-2].line, "write it projekt:Kartor"),
        (journal.transactions[-1].postings[0].line, "write it projekt:Kartor"),
    ]


def test_a_line_with_tagged_costs_is_a_project_line(tmp_path: Path) -> None:
    # A project paid from the Personal line: that line holds project costs too, so its
    # untagged costs are shown (and warned of) rather than left out.
    journal, settings = small_books(
        tmp_path,
        "2021-03-01 Konsult | analys  ; projekt:Analys\n"
        "    kostnader:drift:personal   400,00 kr\n"
        "    tillgångar:bank\n"
        "2021-03-02 Lön\n"
        "    kostnader:drift:personal   100,00 kr\n"
        "    tillgångar:bank\n",
    )
    report = compute_projects(journal, settings, 2021)
    assert report.lines == ("Personal", "Projekt")
    assert [(p.name, p.amount) for p in report.projects] == [
        ("Analys", D("400.00")),
        (NO_PROJECT, D("100.00")),
    ]


def test_the_project_lines_are_named_as_the_tag_or_hold_tagged_costs() -> None:
    settings = load_settings(BOOKS.parent / "sodertorn.toml")
    lines = project_lines(settings, ["kostnader:drift:resor och logi:tåg", "kostnader:x"])
    assert [line.name for line in lines] == ["Resor och Logi", "Projekt"]


def test_a_tagged_cost_of_another_fund_is_outside(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        SPANNING + "2021-12-05 Details | kartor  ; projekt:Kartor\n"
        "    kostnader:modellen   50,00 kr\n"
        "    tillgångar:bank\n",
    )
    report = compute_projects(journal, settings, 2021)
    assert report.outside == D("50.00")
    assert report.total - report.outside == _projekt_line(journal, settings, 2021)
    assert report.problems == ()


def test_detail_each_supplier_is_the_sum_of_its_postings(tmp_path: Path) -> None:
    journal, settings = small_books(tmp_path, SPANNING)
    plain = compute_projects(journal, settings, 2021)
    report = compute_projects(journal, settings, 2021, detail=True)
    assert report.total == plain.total
    assert [(p.name, p.amount) for p in report.projects] == [
        (p.name, p.amount) for p in plain.projects
    ]
    for project in report.projects:
        for supplier in project.suppliers:
            assert sum(p.amount for p in supplier.postings) == supplier.amount
    kartor = report.projects[0]
    assert [
        (s.payee, [(p.description, p.amount) for p in s.postings]) for s in kartor.suppliers
    ] == [
        ("Details", [("Details | kartor del 1", D("1000.00"))]),
        ("Lantmäteriet", [("Lantmäteriet | kartdata", D("99.99"))]),
    ]
    # The payment of the invoice is no cost: not behind any figure.
    assert "betalning" not in {p.description for s in kartor.suppliers for p in s.postings}
