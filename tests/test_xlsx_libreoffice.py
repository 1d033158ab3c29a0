"""The workbook opened in a real spreadsheet program: LibreOffice (headless) loads it,
recalculates every formula and saves each sheet as CSV. Every figure it computes — the
Summa cells and UB column included — must equal the tool's own JSON, for the bundled 2020
books and for generated books; and what it *shows* must be the report's whole kronor.

Needs `soffice` (Debian: libreoffice-calc-nogui); in CI (CI=true) a missing one fails.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from compare_books import TWO_YEARS
from conftest import require_program
from report_books import write_books
from sodertorn_ledger.money import MINUS, format_sv
from sodertorn_ledger.render.sheet import Amount, Book, Formula, Sheet
from sodertorn_ledger.render.xlsx import workbook_bytes
from sodertorn_ledger.settings import load_settings
from xlsx_books import (
    BUNDLED,
    INJECTIONS,
    export,
    generated_books,
    injection_books,
    ledger,
    ledger_json,
)

ÖRE = Decimal("0.01")
SHEETS = ("Sammanställning", "Drift", "Projekt", "Avgifter", "Balansräkning", "Underlag")
Grid = list[list[str]]


# LibreOffice trusts the cached results in an .xlsx by default; the workbook carries the
# tool's own results there. This setting ("recalculation on file load: always") makes
# LibreOffice compute every formula itself, so the figures below are its own.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private LibreOffice profile for the module (created once, so later runs start
    fast) that recalculates every formula on load."""
    folder = tmp_path_factory.mktemp("libreoffice-profile")
    (folder / "user").mkdir()
    (folder / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE, "utf-8")
    return folder


def test_libreoffice_computes_the_formulas_itself(tmp_path: Path, profile: Path) -> None:
    # A formula whose cached result is wrong on purpose: LibreOffice must show its own.
    sheet = Sheet("Kontroll 2020")
    sheet.add(Amount(Decimal("1.25")), Amount(Decimal("2.50")), Formula("=A1+B1", Decimal(99)))
    target = tmp_path / "kontroll.xlsx"
    target.write_bytes(workbook_bytes(Book("Kontroll", "Org", 2020, (sheet,))))
    raw = libreoffice_csv(target, tmp_path, profile, as_shown=False)
    assert raw["Kontroll 2020"][0][2] == "3,75"


def libreoffice_csv(xlsx: Path, work: Path, profile: Path, *, as_shown: bool) -> dict[str, Grid]:
    """Every sheet of `xlsx` as LibreOffice computes it, by sheet name.

    The CSV filter's options: comma, double quote, UTF-8 (76), from line 1, default
    language; token 9 "save cell contents as shown" picks displayed text or raw values;
    the last token -1 exports every sheet (LibreOffice 7.2 and later) to FILE-SHEET.csv.
    A private profile keeps the run independent of any user's LibreOffice settings.
    """
    soffice = require_program("soffice")
    shown = "true" if as_shown else "false"
    options = f"44,34,76,1,,0,false,true,{shown},false,false,-1"
    out = work / ("shown" if as_shown else "raw")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sheets: dict[str, Grid] = {}
    for path in sorted(out.glob(f"{xlsx.stem}-*.csv")):
        name = path.stem.removeprefix(f"{xlsx.stem}-")
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[name] = [row for row in csv.reader(handle)]
    assert sheets, f"LibreOffice wrote no CSV: {done.stdout} {done.stderr}"
    return sheets


def number(text: str) -> Decimal:
    """A raw value as LibreOffice writes it (Swedish locale: decimal comma); blank is 0."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(MINUS, "-").replace(",", ".")
    return Decimal(cleaned) if cleaned else Decimal(0)


def same(text: str, expected: str | int) -> bool:
    """A computed cell equals an exact amount of the JSON (to the öre a double carries)."""
    return number(text).quantize(ÖRE) == Decimal(expected).quantize(ÖRE)


def body(grid: Grid, first: int, label: str) -> list[list[str]]:
    """Rows from spreadsheet row `first` up to (not including) the row labelled `label`."""
    rows = grid[first - 1 :]
    end = next(i for i, row in enumerate(rows) if row and row[0] == label)
    return rows[:end]


def row_labelled(grid: Grid, label: str) -> list[str]:
    return next(row for row in grid if row and row[0] == label)


def summary_keys(summary: dict[str, Any]) -> tuple[str, ...]:
    """The Sammanställning's columns of figures: Överföringar only in a year with transfers."""
    transfers = any(Decimal(f["transfers"]) for f in summary["funds"])
    return ("opening", "income", "costs", *(("transfers",) if transfers else ()), "closing")


def check_summary(grid: Grid, summary: dict[str, Any]) -> None:
    keys = summary_keys(summary)
    rows = body(grid, 4, "Summa")
    assert len(rows) == len(summary["funds"])
    for row, fund in zip(rows, summary["funds"], strict=True):
        assert row[0].startswith(fund["name"])
        for cell, key in zip(row[1 : 1 + len(keys)], keys, strict=True):
            assert same(cell, fund[key]), (fund["name"], key, cell, fund[key])
    total = row_labelled(grid, "Summa")
    for cell, key in zip(total[1 : 1 + len(keys)], keys, strict=True):
        assert same(cell, summary["total"][key]), (key, cell)


def check_result(grid: Grid, result: dict[str, Any]) -> None:
    rows = body(grid, 4, "Summa")
    lines = [(x, 1) for x in result["income"]] + [(x, 2) for x in result["costs"]]
    assert len(rows) == len(lines)
    for row, (line, column) in zip(rows, lines, strict=True):
        assert row[0].startswith(line["name"])
        assert same(row[column], line["amount"]), (line, row)
        assert row[3 - column] == ""
    total = row_labelled(grid, "Summa")
    assert same(total[1], result["total"]["income"])
    assert same(total[2], result["total"]["costs"])
    label = "Årets överskott" if Decimal(result["result"]) >= 0 else "Årets underskott"
    assert same(row_labelled(grid, label)[1], result["result"])


def check_projects(grid: Grid, projects: dict[str, Any]) -> None:
    rows = body(grid, 4, "Summa")
    expected: list[tuple[str, int, str]] = []
    for project in projects["projects"]:
        expected.append((project["name"], 1, project["amount"]))
        expected += [(s["name"], 2, s["amount"]) for s in project["suppliers"]]
    assert [(r[0], 1 if r[1] else 2) for r in rows] == [(n, c) for n, c, _ in expected]
    for row, (_, column, amount) in zip(rows, expected, strict=True):
        assert same(row[column], amount), (row, amount)
    assert same(row_labelled(grid, "Summa")[1], projects["total"])


def check_fees(grid: Grid, fees: dict[str, Any]) -> None:
    rows = body(grid, 5, "Summa")
    assert len(rows) == len(fees["members"])
    for row, member in zip(rows, fees["members"], strict=True):
        assert row[:2] == [member["code"], member["name"]]
        assert same(row[2], member["population"])
        assert same(row[3], fees["rate"])
        assert same(row[4], member["fee"]), (member, row)
        assert same(row[5], member["booked"])
        assert same(row[6], member["difference"]), (member, row)
        assert same(row[7], member["paid"])
        assert same(row[8], member["unpaid"]), (member, row)
    total = row_labelled(grid, "Summa")
    assert same(total[2], fees["total"]["population"])
    keys = ("fee", "booked", "difference", "paid", "unpaid")
    for cell, key in zip(total[4:9], keys, strict=True):
        assert same(cell, fees["total"][key]), (key, cell)


def check_balance(grid: Grid, balance: dict[str, Any]) -> None:
    def section(title: str, total_label: str) -> list[list[str]]:
        start = next(i for i, row in enumerate(grid) if row and row[0] == title)
        return body(grid, start + 2, total_label)

    for title, label, key, total in (
        ("Tillgångar", "Summa tillgångar", "assets", "assets"),
        ("Skulder", "Summa skulder", "liabilities", "liabilities"),
        ("Fonder (eget kapital)", "Summa fonder", "funds", "funds"),
    ):
        rows = section(title, label)
        assert len(rows) == len(balance[key]), (title, rows)
        for row, line in zip(rows, balance[key], strict=True):
            assert same(row[1], line["amount"]), (title, row, line)
        assert same(row_labelled(grid, label)[1], balance["total"][total])
    both = row_labelled(grid, "Summa skulder och fonder")
    assert same(both[1], balance["total"]["liabilities_and_funds"])


UNDERLAG_COLUMNS = {"Intäkter": "income", "Kostnader": "costs", "Överföringar": "transfers"}


def check_underlag(
    grid: Grid, summary: dict[str, Any], result: dict[str, Any], projects: dict[str, Any]
) -> None:
    """The Underlag's postings, as LibreOffice reads them, add up per fund and column, per
    Drift line and per project to the reports' figures (the amounts are as booked: the
    Sammanställning and the Drift's income show them with the sign turned); the Summa under
    them is LibreOffice's SUBTOTAL of every row."""
    heading = next(i for i, row in enumerate(grid) if row and row[0] == "Datum")
    assert grid[heading][:9] == [
        "Datum",
        "Verifikation/Beskrivning",
        "Konto",
        "Belopp",
        "Fond",
        "Kolumn i Sammanställning",
        "Rad i Drift",
        "Projekt",
        "Fil:rad",
    ]
    rows = body(grid, heading + 2, "")
    assert rows, "no postings"
    total = row_labelled(grid, "Summa, synliga rader")
    by_fund: dict[tuple[str, str], Decimal] = {}
    by_line: dict[str, Decimal] = {}
    by_project: dict[str, Decimal] = {}
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[0]), row
        assert re.fullmatch(r".+:\d+", row[8]), row
        amount = number(row[3])
        if row[4]:
            key = (row[4], UNDERLAG_COLUMNS[row[5]])
            by_fund[key] = by_fund.get(key, Decimal(0)) + amount
        if row[6]:
            by_line[row[6]] = by_line.get(row[6], Decimal(0)) + amount
        if row[7]:
            by_project[row[7]] = by_project.get(row[7], Decimal(0)) + amount
    assert same(total[3], str(sum((number(row[3]) for row in rows), Decimal(0))))
    for fund in summary["funds"]:
        for column in ("income", "costs", "transfers"):
            found = -by_fund.get((fund["name"], column), Decimal(0))
            assert same(str(found), fund[column]), (fund["name"], column, found)
    for sign, lines in ((-1, result["income"]), (1, result["costs"])):
        for line in lines:
            assert same(str(sign * by_line.get(line["name"], Decimal(0))), line["amount"]), line
    # The year's projects: in a comparison, one of the year before alone has 0.00 this year.
    own = [p for p in projects["projects"] if p["previous"] is None or Decimal(p["amount"])]
    assert sorted(by_project) == sorted(p["name"] for p in own)
    for project in own:
        assert same(str(by_project[project["name"]]), project["amount"]), project["name"]


def check_budget(grid: Grid, budget: dict[str, Any]) -> None:
    """The Budget sheet as LibreOffice computes it: Budget and Utfall, the Avvikelse and
    Utfall i % formulas, the sums and Årets resultat equal the tool's JSON."""
    rows = body(grid, 4, "Årets resultat")
    expected = [
        *budget["income"],
        {"name": "Summa intäkter", **budget["total"]["income"]},
        *budget["costs"],
        {"name": "Summa kostnader", **budget["total"]["costs"]},
    ]
    assert len(rows) == len(expected)
    result = row_labelled(grid, "Årets resultat")
    for row, line in [*zip(rows, expected, strict=True), (result, budget["result"])]:
        assert row[0].startswith(line.get("name", "Årets resultat")), (row, line)
        if line["budget"] is None:
            assert row[1] == "", row
        else:
            assert same(row[1], line["budget"]), (row, line)
        assert same(row[2], line["actual"]), (row, line)
        assert same(row[3], line["deviation"]), (row, line)
        if line["percent"] is None:
            assert row[4] == "–", row
        else:
            # The raw value of a percentage cell: the share in per cent, "93,18…%".
            assert row[4].endswith("%"), row
            share = number(row[4].removesuffix("%")).quantize(Decimal("0.1"), ROUND_HALF_UP)
            assert share == Decimal(line["percent"]), (row, line)


def check_shown_summary(grid: Grid, summary: dict[str, Any]) -> None:
    """What a reader sees: whole kronor, each cell rounded on its own, spaces between
    thousands, a real minus; a fund's zero blank, as published, and a Summa always shown
    (the one rule for zero, render/labels.py)."""

    def shown(amount: str, *, total: bool) -> str:
        value = Decimal(amount)
        if value == 0 and not total:
            return ""
        return format_sv(value)

    keys = summary_keys(summary)
    rows = [*body(grid, 4, "Summa"), row_labelled(grid, "Summa")]
    expected = [*summary["funds"], summary["total"]]
    for row, fund in zip(rows, expected, strict=True):
        cells = [c.replace("\u00a0", " ") for c in row[1 : 1 + len(keys)]]
        want = [shown(fund[k], total=fund is summary["total"]) for k in keys]
        assert cells == want, (row[0], cells, want)


def export_and_convert(
    journal: Path, work: Path, profile: Path, *, as_shown: bool = True
) -> tuple[dict[str, Grid], dict[str, Grid]]:
    target = work / "sammanstallning-2020.xlsx"
    code, _, err = export(journal, target)
    assert code == 0, err
    raw = libreoffice_csv(target, work, profile, as_shown=False)
    shown = libreoffice_csv(target, work, profile, as_shown=True) if as_shown else {}
    budget = (
        ("Budget",) if load_settings(journal.parent / "sodertorn.toml").budget_for(2020) else ()
    )
    assert sorted(raw) == sorted(f"{name} 2020" for name in (*SHEETS, *budget))
    return raw, shown


def check_everything(journal: Path, raw: dict[str, Grid], shown: dict[str, Grid]) -> None:
    summary = ledger_json("summary", 2020, journal)
    result = ledger_json("result", 2020, journal)
    projects = ledger_json("projects", 2020, journal)
    check_summary(raw["Sammanställning 2020"], summary)
    check_result(raw["Drift 2020"], result)
    check_projects(raw["Projekt 2020"], projects)
    check_underlag(raw["Underlag 2020"], summary, result, projects)
    check_fees(raw["Avgifter 2020"], ledger_json("fees", 2020, journal))
    check_balance(raw["Balansräkning 2020"], ledger_json("balance", 2020, journal))
    check_shown_summary(shown["Sammanställning 2020"], summary)


@pytest.fixture(scope="module")
def bundled(
    tmp_path_factory: pytest.TempPathFactory, profile: Path
) -> tuple[dict[str, Grid], dict[str, Grid]]:
    return export_and_convert(BUNDLED, tmp_path_factory.mktemp("bundled"), profile)


def test_bundled_books_every_figure_as_libreoffice_computes_it(
    bundled: tuple[dict[str, Grid], dict[str, Grid]],
) -> None:
    check_everything(BUNDLED, *bundled)


def test_bundled_books_show_the_published_table(
    bundled: tuple[dict[str, Grid], dict[str, Grid]],
) -> None:
    _, shown = bundled
    rows = [[c.replace("\u00a0", " ") for c in row] for row in shown["Sammanställning 2020"]]
    assert rows[0][0] == "Sammanställning 2020"
    assert rows[2] == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
    ]
    assert rows[3:11] == [
        ["Södertörnssamarbetet drift", "", "2 012 800", f"{MINUS}1 824 368", "188 432"],
        ["Södertörnsmodellen", "521 307", "", f"{MINUS}1 450", "519 857"],
        ["Kommunikationsprojekt ¹⁾", "", "50 500", "", "50 500"],
        ["Södertörnskonferensen", "", "", "", ""],
        ["Bidrag från Tillväxtverket ²⁾", "277 793", "", "", "277 793"],
        ["Södertörnssamarbetet drift från 2019", "233 696", "", "", "233 696"],
        ["Södertörnssamarbetet drift från 2018", "110 853", "", "", "110 853"],
        ["Summa", "1 143 649", "2 063 300", f"{MINUS}1 825 818", "1 381 130"],
    ]
    drift = {row[0]: row[1:] for row in shown["Drift 2020"] if row and row[0]}
    assert drift["Summa"] == ["2\u00a0012\u00a0800", "1\u00a0824\u00a0368"]
    assert drift["Årets överskott"][0] == "188\u00a0432"


def test_bundled_budget_as_libreoffice_computes_it_and_the_terminal_shows_it(
    bundled: tuple[dict[str, Grid], dict[str, Grid]],
) -> None:
    raw, shown = bundled
    data = ledger_json("result", 2020, BUNDLED, "--budget")
    check_budget(raw["Budget 2020"], data)
    # What a reader sees is the terminal's table, row for row: every figure, the sums,
    # Årets resultat and the shares.
    code, out, err = ledger("result", "2020", "--budget", "-f", str(BUNDLED))
    assert code == 0, err
    terminal = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if len(cells := re.split(r"\s{2,}", line.strip())) >= 4
    }
    sheet = {
        row[0]: [c.replace("\u00a0", " ") for c in row[1:5] if c]
        for row in shown["Budget 2020"]
        if row and row[0]
    }
    assert "Summa kostnader" in terminal and "Årets resultat" in terminal
    for label, cells in terminal.items():
        if label != "Budget":  # the headings
            assert sheet[label] == cells, (label, sheet[label], cells)


def test_bundled_fees_paid_and_unpaid_as_the_terminal_shows_them(
    bundled: tuple[dict[str, Grid], dict[str, Grid]],
) -> None:
    # Nykvarn's 2020 fee is paid in 2021: Betalt 0 and Obetalt 44 056 in both.
    _, shown = bundled
    code, out, err = ledger("fees", "2020", "-f", str(BUNDLED))
    assert code == 0, err
    members = ledger_json("fees", 2020, BUNDLED)["members"]
    terminal = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    table = {row[0]: row for row in terminal if len(row) >= 7}  # the members' rows, Summa
    sheet = {row[0]: [c.replace("\u00a0", " ") for c in row] for row in shown["Avgifter 2020"]}
    assert table["0140"][-2:] == ["0", "44 056"] and table["Summa"][-2:] == ["1 968 744", "44 056"]
    assert [c for c in table if c in sheet] == [*(m["code"] for m in members), "Summa"]
    for label, row in table.items():
        if label in sheet:
            assert sheet[label][7:9] == row[-2:], (label, sheet[label], row)


def test_generated_books_every_figure_as_libreoffice_computes_it(
    tmp_path: Path, profile: Path
) -> None:
    # Two years with a close, fees that differ from the rule, öre everywhere.
    journal = generated_books(tmp_path / "books", n=800, seed=11)
    check_everything(journal, *export_and_convert(journal, tmp_path, profile))


def test_formula_looking_text_stays_text_in_libreoffice(tmp_path: Path, profile: Path) -> None:
    journal = injection_books(tmp_path / "books")
    raw, _ = export_and_convert(journal, tmp_path, profile, as_shown=False)
    cells = {cell for grid in raw.values() for row in grid for cell in row}
    for payload in INJECTIONS:
        assert payload in cells  # not "y", 1, #NAME? or an error: the text itself
    check_projects(raw["Projekt 2020"], ledger_json("projects", 2020, journal))
    check_balance(raw["Balansräkning 2020"], ledger_json("balance", 2020, journal))


def test_a_year_with_transfers_as_libreoffice_computes_and_shows_it(
    tmp_path: Path, profile: Path
) -> None:
    # The bundled books closed, then money moved between two funds in 2021: the sheet's
    # Överföringar column, its UB formulas and its Summa must be the tool's own figures.
    shutil.copytree(BUNDLED.parent, tmp_path / "ledger", ignore=shutil.ignore_patterns(".*"))
    journal = tmp_path / "ledger" / "main.journal"
    assert ledger("close", "2020", "-f", str(journal))[0] == 0
    with (journal.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-03-10 * Samarbetskommittén | Medel till konferensen\n"
            "    fonder:drift från 2018                             100 000,50 kr\n"
            "    fonder:södertörnskonferensen\n"
        )
    target = tmp_path / "sammanstallning-2021.xlsx"
    code, _, err = export(journal, target, year=2021)
    assert code == 0, err
    summary = ledger_json("summary", 2021, journal)
    assert summary_keys(summary)[3] == "transfers"
    raw = libreoffice_csv(target, tmp_path, profile, as_shown=False)
    shown = libreoffice_csv(target, tmp_path, profile, as_shown=True)
    assert raw["Sammanställning 2021"][2][4] == "Överföringar"
    check_summary(raw["Sammanställning 2021"], summary)
    check_shown_summary(shown["Sammanställning 2021"], summary)
    check_balance(raw["Balansräkning 2021"], ledger_json("balance", 2021, journal))
    check_underlag(
        raw["Underlag 2021"],
        summary,
        ledger_json("result", 2021, journal),
        ledger_json("projects", 2021, journal),
    )


def test_the_year_before_as_libreoffice_computes_and_shows_it(
    tmp_path: Path, profile: Path
) -> None:
    # Two years of small books: the year before's columns of every compared sheet, their
    # formulas recalculated by LibreOffice, are the JSON's "previous", and the sheets show
    # what the terminal shows, cell for cell.
    journal = write_books(tmp_path / "books", TWO_YEARS)
    target = tmp_path / "sammanstallning-2020.xlsx"
    code, _, err = export(journal, target)
    assert code == 0, err
    raw = libreoffice_csv(target, tmp_path, profile, as_shown=False)
    shown = libreoffice_csv(target, tmp_path, profile, as_shown=True)

    summary = ledger_json("summary", 2020, journal)
    check_summary(raw["Sammanställning 2020"], summary)
    grid = raw["Sammanställning 2020"]
    keys = summary_keys(summary)
    before = ("opening", "income", "costs", "closing")  # no transfers in 2019
    assert grid[2][1 + len(keys) :] == [
        "Ingående balans 2019",
        "Intäkter 2019",
        "Kostnader 2019",
        "Utgående balans 2019",
    ]
    for row, fund in zip(body(grid, 4, "Summa"), summary["funds"], strict=True):
        for cell, key in zip(row[1 + len(keys) :], before, strict=True):
            assert same(cell, fund["previous"][key]), (fund["name"], key, cell)
    total = row_labelled(grid, "Summa")[1 + len(keys) :]
    for cell, key in zip(total, before, strict=True):
        assert same(cell, summary["previous"]["total"][key]), (key, cell)

    result = ledger_json("result", 2020, journal)
    check_result(raw["Drift 2020"], result)
    lines = [(x, 3) for x in result["income"]] + [(x, 4) for x in result["costs"]]
    for row, (line, column) in zip(body(raw["Drift 2020"], 4, "Summa"), lines, strict=True):
        assert same(row[column], line["previous"]["amount"]), (line, row)
    totals = row_labelled(raw["Drift 2020"], "Summa")
    assert same(totals[3], result["previous"]["total"]["income"])
    assert same(totals[4], result["previous"]["total"]["costs"])
    assert same(row_labelled(raw["Drift 2020"], "Årets överskott")[3], result["previous"]["result"])

    projects = ledger_json("projects", 2020, journal)
    check_projects(raw["Projekt 2020"], projects)
    expected = []
    for project in projects["projects"]:
        expected.append((3, project["previous"]))
        expected += [(4, s["previous"]) for s in project["suppliers"]]
    for row, (column, was) in zip(body(raw["Projekt 2020"], 4, "Summa"), expected, strict=True):
        assert same(row[column], was["amount"] if was else 0), (row, was)
    assert same(row_labelled(raw["Projekt 2020"], "Summa")[3], projects["previous"]["total"])

    balance = ledger_json("balance", 2020, journal)
    check_balance(raw["Balansräkning 2020"], balance)
    sheet = {row[0]: row for row in raw["Balansräkning 2020"] if row}
    for label, key in (("Summa tillgångar", "assets"), ("Summa skulder", "liabilities")):
        assert same(sheet[label][2], balance["previous"]["total"][key]), label
    both = balance["previous"]["total"]["liabilities_and_funds"]
    assert same(sheet["Summa skulder och fonder"][2], both)

    for command, name in (
        ("summary", "Sammanställning 2020"),
        ("result", "Drift 2020"),
        ("projects", "Projekt 2020"),
        ("balance", "Balansräkning 2020"),
    ):
        code, out, _ = ledger(command, "2020", "-f", str(journal))
        assert code == 0
        terminal = figures_by_label(re.split(r"\s{2,}", line.strip()) for line in out.splitlines())
        on_sheet = figures_by_label(
            [c.replace("\u00a0", " ").strip() for c in row] for row in shown[name]
        )
        assert terminal, command
        for label, figures in terminal.items():
            assert on_sheet[label] == figures, (command, label, on_sheet[label], figures)


def figures_by_label(rows: Iterable[list[str]]) -> dict[str, list[str]]:
    """Each row that has figures: its label (footnote marker and all) and its non-empty
    figures, in order."""
    out = {}
    for row in rows:
        cells = [c for c in row if c]
        if len(cells) > 1 and all(re.fullmatch(f"{MINUS}?[\\d ]+", c) for c in cells[1:]):
            out[cells[0]] = cells[1:]
    return out
