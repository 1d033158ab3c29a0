"""SCB's files as people really download them (issue 16): SCB's "Folkmängd per kommun"
workbook, PxWebApi 2's JSON-stat, Statistikdatabasen's English exports. The fixtures are
written by tests/scb_fixtures.py; each alone gives the published fees."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import scb_fixtures
from sodertorn_ledger.cli import app
from sodertorn_ledger.population import parse_population_file, read_population_folder

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = scb_fixtures.FIXTURES
NEW = sorted(scb_fixtures.WRITERS)
"""The fixtures of issue 16, each with every member's folkmängd of 2019 and 2020."""
NAMES = {scb_fixtures.NAMES[code]: code for code in scb_fixtures.MEMBERS}
MEMBERS = {
    (code, 2019 + year): figures[year]
    for code, figures in scb_fixtures.MEMBERS.items()
    for year in (0, 1)
}
runner = CliRunner()


def members_read(name: str, data: bytes) -> dict[tuple[str, int], int]:
    """The members' figures read from a file; no problems."""
    result = parse_population_file(name, data, NAMES)
    assert [p.message for p in result.problems] == []
    return {(f.code, f.date.year): f.population for f in result.figures if f.code in NAMES.values()}


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the fixtures are what the script writes ---------------------------------------------------


@pytest.mark.parametrize("name", NEW)
def test_the_committed_fixture_is_what_the_script_writes(name: str) -> None:
    committed = (FIXTURES / name).read_bytes()
    written = scb_fixtures.WRITERS[name]()
    if name.endswith(".xlsx"):
        # zlib may pack alike data differently elsewhere: the cells are compared.
        assert scb_fixtures.sheet_values(committed) == scb_fixtures.sheet_values(written)
    else:
        assert committed == written, f"run: python tests/scb_fixtures.py ({name})"


def test_the_fixtures_have_290_municipalities_and_scbs_figures_for_the_members() -> None:
    assert len(scb_fixtures.KOMMUNER) == 290
    assert len(set(scb_fixtures.NAMES.values())) == 290
    assert sum(f[0] for f in scb_fixtures.MEMBERS.values()) == 503200
    assert sum(f[1] for f in scb_fixtures.MEMBERS.values()) == 507552


# --- each fixture alone gives the members' figures and the published fees -----------------------


@pytest.mark.parametrize("name", NEW)
def test_each_fixture_gives_every_members_folkmangd_of_2019_and_2020(name: str) -> None:
    assert members_read(name, (FIXTURES / name).read_bytes()) == MEMBERS


@pytest.mark.parametrize(
    ("name", "before", "others"),
    [
        ("population-en-2024.csv", b'"SE110 Stockholms l\xc3\xa4n"', {"00"}),
        ("population-en-2026.csv", b'"01 Stockholm county"', {"00", "01"}),
        ("TAB638-pxwebapi2.json", b'"01": "01 Stockholms l\xc3\xa4n"', {"00", "01", "0180"}),
        ("TAB638-pxwebapi2-en.json", b'"00": "00 Sweden"', {"00", "01", "0180"}),
    ],
)
def test_other_regions_before_the_members_are_read_past(
    name: str, before: bytes, others: set[str]
) -> None:
    data = (FIXTURES / name).read_bytes()
    assert -1 < data.find(before) < data.find(b"0127 Botkyrka")
    result = parse_population_file(name, data, NAMES)
    codes = {f.code for f in result.figures}
    assert codes == set(NAMES.values()) | others  # a län or Riket by its code, never a member


@pytest.fixture
def books(tmp_path: Path) -> Path:
    """A copy of the bundled books, its befolkning/ empty, and books for 2021."""
    shutil.copytree(ROOT / "ledger", tmp_path / "ledger", ignore=shutil.ignore_patterns(".*"))
    for path in (tmp_path / "ledger" / "befolkning").iterdir():
        path.unlink()
    main = tmp_path / "ledger" / "main.journal"
    (main.parent / "2021.journal").write_text("; Södertörnssamarbetet, räkenskaper 2021.\n")
    with main.open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    return main


def fees_total(books: Path, year: int) -> dict[str, Any]:
    result = runner.invoke(app, ["fees", str(year), "--json", "-f", str(books)])
    assert result.exit_code == 0, result.stderr
    total = json.loads(result.stdout)["total"]
    assert isinstance(total, dict)
    return total


@pytest.mark.parametrize("name", NEW)
def test_fees_2020_and_2021_from_each_fixture_alone(name: str, books: Path) -> None:
    shutil.copy(FIXTURES / name, books.parent / "befolkning" / name)
    assert fees_total(books, 2020)["fee"] == "2012800.00"
    assert fees_total(books, 2021)["fee"] == "2030208.00"
    assert fees_total(books, 2021)["population"] == 507552


def test_population_names_the_sheet_and_cell_of_each_figure(books: Path) -> None:
    name = "folkmangd-per-kommun-2020.xlsx"
    shutil.copy(FIXTURES / name, books.parent / "befolkning" / name)
    result = runner.invoke(app, ["population", "2020", "-f", str(books)])
    assert result.exit_code == 0, result.stderr
    botkyrka = next(line for line in result.stdout.splitlines() if "Botkyrka" in line)
    # Botkyrka's row on the Totalt sheet (alphabetical: 2 empty rows, title, subtitle, an
    # empty row and the two header rows come first); 2020 is column D.
    row = 8 + sorted(scb_fixtures.NAMES.values(), key=scb_fixtures._swedish).index("Botkyrka")
    assert botkyrka.split()[-2:] == [f"{books.parent / 'befolkning' / name},", f"Totalt!D{row}"]


# --- SCB's "Folkmängd per kommun" workbook ------------------------------------------------------


def read_workbook(data: bytes) -> tuple[dict[tuple[str, int], int], list[str], list[str]]:
    """(members' figures, their places, problems) of a workbook."""
    result = parse_population_file("tabell.xlsx", data, NAMES)
    figures = {(f.code, f.date.year): f.population for f in result.figures}
    return figures, [f.place for f in result.figures], [p.message for p in result.problems]


def test_the_workbook_is_read_from_its_totalt_sheet_both_years() -> None:
    figures, places, problems = read_workbook(scb_fixtures.workbook())
    assert problems == []
    assert figures == MEMBERS  # names of other municipalities are no members
    assert {place.split("!")[0] for place in places} == {"Totalt"}
    assert {place.split("!")[1][0] for place in places} == {"D", "E"}  # 2020, 2019


@pytest.mark.parametrize(
    "order",
    [
        ("Kvinnor", "Män", "Totalt", "Topp 50"),
        ("Män", "Topp 50", "Kvinnor", "Totalt"),
        ("Topp 50", "Kvinnor", "Män"),
        ("Totalt",),
    ],
)
def test_sex_sheets_are_never_read_as_totals_whatever_their_place(order: tuple[str, ...]) -> None:
    figures, places, problems = read_workbook(scb_fixtures.workbook(order))
    assert problems == []
    if "Totalt" in order:
        assert figures == MEMBERS
        assert all(place.startswith("Totalt!") for place in places)
    else:  # only the 50 largest: the members among them
        top = {code for code, _ in figures}
        assert top == {"0126", "0181", "0127", "0136", "0138"}
        assert all(figures[key] == MEMBERS[key] for key in figures)
        assert all(place.startswith("'Topp 50'!") for place in places)


def test_the_sex_sheets_alone_are_added_up() -> None:
    figures, places, problems = read_workbook(scb_fixtures.workbook(("Kvinnor", "Män")))
    assert problems == []
    assert figures == MEMBERS
    assert all(" + Män!" in place and place.startswith("Kvinnor!") for place in places)


def test_one_sex_alone_is_no_folkmangd() -> None:
    result = parse_population_file("kvinnor.xlsx", scb_fixtures.workbook(("Kvinnor",)), NAMES)
    assert result.figures == []
    assert "has only kvinnor: the total cannot be summed" in result.problems[0].message


def _sheet(kind: str = "Totalt", top: int | None = None) -> list[list[Any]]:
    return scb_fixtures._sheet_rows(kind, top)


def test_sheets_that_disagree_name_both_cells() -> None:
    top = _sheet(top=50)
    row = next(r for r in top if len(r) > 2 and r[2] == "Huddinge")
    row[3] += 1
    _, _, problems = read_workbook(xlsx({"Totalt": _sheet(), "Topp 50": top}))
    at = 8 + top[7:].index(row)
    totalt = 8 + [r[2] for r in _sheet()[7:] if len(r) > 2].index("Huddinge")
    assert problems == [
        f"'Topp 50'!D{at}: folkmängd for 0126 2020-12-31 is 113235 here but 113234 in "
        f"Totalt!D{totalt}"
    ]


def test_a_sheet_of_one_sex_is_known_by_its_name_too() -> None:
    # A re-saved workbook whose sex sheets say Folkmängd in their title and header.
    women = [
        [cell.replace("Antal kvinnor", "Folkmängd") if isinstance(cell, str) else cell
         for cell in row]
        for row in _sheet("Kvinnor")
    ]  # fmt: skip
    women[5][3] = "Folkmängd 31 december"
    figures, places, problems = read_workbook(xlsx({"Kvinnor": women, "Totalt": _sheet()}))
    assert problems == [] and figures == MEMBERS
    assert all(place.startswith("Totalt!") for place in places)


def test_ranks_are_never_read_even_unlabelled_and_equal_to_a_kommunkod() -> None:
    rows = _sheet()
    # Ranks of 127, 181 and 10 are there, as 0127 Botkyrka's and 0181 Södertälje's codes and
    # län 10 (Blekinge): the rank columns are never regions or figures.
    assert {127, 181, 10} <= {r[0] for r in rows[7:] if r}
    rows[5][0] = None  # no "Rang" over the ranks
    figures, places, problems = read_workbook(xlsx({"Tabell": rows}))
    assert problems == [] and figures == MEMBERS
    assert {place.split("!")[1][0] for place in places} == {"D", "E"}


def test_ranks_beside_a_kommunkod_column() -> None:
    rows: list[list[Any]] = [
        ["Folkmängd per kommun 31 december 2020 jämfört med 2019"],
        [],
        ["Rang", None, "Kommunkod", "Kommun", "Folkmängd 31 december", None],
        [2020, 2019, None, None, 2020, 2019],
        [128, 127, "0127", "Salem", 94847, 94606],  # a code column wins over the name
        [181, 181, 181, "Södertälje", 100111, 98979],  # Excel dropped the leading zero
    ]
    figures, _, problems = read_workbook(xlsx({"Blad1": rows}))
    assert problems == []
    assert figures == {
        ("0127", 2020): 94847,
        ("0127", 2019): 94606,
        ("0181", 2020): 100111,
        ("0181", 2019): 98979,
    }


@pytest.mark.parametrize(
    "written", ["Botkyrka", "BOTKYRKA", " Botkyrka  ", "Botkyrka kommun", "botkyrka Kommun"]
)
def test_names_are_matched_to_the_members_case_blanks_and_kommun_aside(written: str) -> None:
    rows: list[list[Any]] = [["Folkmängd 2019"], ["Kommun", 2019], [written, 94606]]
    rows += [["Salems kommun", 16750], ["Nynäshamns kommun", 28575], ["Botkyrkas", 1]]
    figures, _, problems = read_workbook(xlsx({"Blad1": rows}))
    assert problems == []
    assert figures == {("0127", 2019): 94606, ("0128", 2019): 16750, ("0192", 2019): 28575}


def test_a_row_without_a_name_is_no_municipalitys() -> None:
    # A sum under the table, its label in the rank column: not the row above's (Tyresö's).
    rows: list[list[Any]] = [
        ["Folkmängd per kommun 31 december 2020 jämfört med 2019"],
        [],
        ["Rang", None, "Kommun", "Folkmängd 31 december", None],
        [2020, 2019, None, 2020, 2019],
        [46, 46, "Tyresö", 48678, 48333],
        ["Summa", None, None, 10379295, 10327589],
    ]
    figures, _, problems = read_workbook(xlsx({"Totalt": rows}))
    assert problems == []
    assert figures == {("0138", 2020): 48678, ("0138", 2019): 48333}


def test_a_title_naming_women_in_passing_is_no_sheet_of_women() -> None:
    rows: list[list[Any]] = [
        ["Folkmängd per kommun 31 december 2020; andel kvinnor i procent"],
        ["Kommun", "Folkmängd 2020", "Andel kvinnor, procent"],
        ["Salem", 16959, 50.2],
    ]
    figures, _, problems = read_workbook(xlsx({"Blad1": rows}))
    assert problems == [] and figures == {("0128", 2020): 16959}


def test_english_sheets_of_one_sex_are_added_up_when_there_is_no_total() -> None:
    def sheet(sex: str, count: int) -> list[list[Any]]:
        return [
            [f"Number of {sex} per municipality 31 December 2020"],
            [],
            ["Municipality", f"{sex.title()} 31 December"],
            [None, 2020],
            ["Nykvarn", count],
        ]

    figures, places, problems = read_workbook(
        xlsx({"Women": sheet("women", 5522), "Men": sheet("men", 5700)})
    )
    assert problems == [] and figures == {("0140", 2020): 11222}
    assert places == ["Women!B5 + Men!B5"]


def test_an_english_workbook() -> None:
    rows: list[list[Any]] = [
        [],
        ["Population by municipality 31 December 2020 compared with 2019"],
        [],
        ["Rank", None, "Municipality", "Population 31 December", None, "Change"],
        [2020, 2019, None, 2020, 2019, "%"],
        [37, 37, "Botkyrka", 94847, 94606, 0.3],
        [290, 290, "Bjurholm", 2387, 2393, -0.3],
    ]
    figures, _, problems = read_workbook(xlsx({"Total": rows}))
    assert problems == []
    assert figures == {("0127", 2020): 94847, ("0127", 2019): 94606}


def test_a_bad_figure_is_named_by_sheet_and_cell_and_footnotes_are_read_past() -> None:
    rows = _sheet()
    at = next(n for n, r in enumerate(rows) if len(r) > 2 and r[2] == "Haninge")
    rows[at][4] = "92 095,0"
    _, _, problems = read_workbook(xlsx({"Totalt": rows, "Kvinnor": _sheet("Kvinnor")}))
    assert problems == [
        f"Totalt!E{at + 1}: '92 095,0' has a decimal point or comma: a figure is a whole "
        "number, its digits grouped (if at all) by spaces"
    ]


def test_a_workbook_of_no_folkmangd_names_the_header() -> None:
    rows: list[list[Any]] = [["Födda per kommun"], ["Kommun", 2019], ["Botkyrka", 1200]]
    result = parse_population_file("f.xlsx", xlsx({"Födda": rows}), NAMES)
    assert [(p.line, p.message) for p in result.problems] == [
        (0, "Födda!B2: the year columns are not folkmängd (no 'Folkmängd' in the title or header)")
    ]


def test_two_workbooks_that_disagree_name_the_cells(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(scb_fixtures.workbook(("Totalt",)))
    rows = _sheet()
    at = next(n for n, r in enumerate(rows) if len(r) > 2 and r[2] == "Salem")
    rows[at][3] = 17000
    (tmp_path / "b.xlsx").write_bytes(xlsx({"Totalt": rows}))
    _, problems = read_population_folder(tmp_path, NAMES)
    assert [(p.line, p.message) for p in problems] == [
        (
            0,
            f"Totalt!D{at + 1}: folkmängd 2020-12-31 for 0128 Salem is 17000 here but 16959 "
            f"in {tmp_path / 'a.xlsx'}, Totalt!D{at + 1}",
        )
    ]


# --- PxWebApi 2: JSON-stat 2.0 ------------------------------------------------------------------


def jsonstat(
    regions: dict[str, str],
    sexes: dict[str, str],
    contents: dict[str, str],
    years: list[str],
    values: list[int | None],
    *,
    role: bool = True,
) -> bytes:
    def dimension(label: str, categories: dict[str, str]) -> dict[str, Any]:
        return {
            "label": label,
            "category": {"index": list(categories), "label": categories},
            "extension": {"show": "code_value"},
        }

    ids = ["Region", "Kon", "ContentsCode", "Tid"]
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängden per region, kön och år",
        "id": ids,
        "size": [len(regions), len(sexes), len(contents), len(years)],
        "dimension": {
            "Region": dimension("region", regions),
            "Kon": dimension("kön", sexes),
            "ContentsCode": dimension("tabellinnehåll", contents),
            "Tid": dimension("år", {y: y for y in years}),
        },
        "value": values,
    }
    if role:
        doc["role"] = {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]}
    return json.dumps(doc).encode()


def test_pxwebapi2_takes_the_total_whatever_the_perturbed_parts_add_up_to() -> None:
    # From 2025 (TAB5557 and others) SCB perturbs cells: men + women need not be the total.
    data = jsonstat(
        {"0140": "0140 Nykvarn", "0128": "Salem"},
        {"1": "män", "2": "kvinnor", "1+2": "totalt"},
        {"000000V2": "Folkmängd"},
        ["2025"],
        [5801, 5602, 11400, 8600, 8500, 17103],
    )
    assert members_read("TAB5557.json", data) == {("0140", 2025): 11400, ("0128", 2025): 17103}


def test_pxwebapi2_knows_the_content_by_its_label_not_its_code() -> None:
    data = jsonstat(
        {"0140": "Nykvarn"},
        {"1+2": "total"},
        {"000000V2": "Population", "000000V3": "Population growth"},
        ["2025"],
        [11500, 278],
        role=False,
    )
    assert members_read("TAB5557-en.json", data) == {("0140", 2025): 11500}


@pytest.mark.parametrize(
    "label", ["SE110 Stockholms län", "01 Stockholms län", "00 Riket", "00 Sweden", "Sverige"]
)
def test_other_regions_are_never_a_member(label: str) -> None:
    code = label.split()[0] if label[0].isdigit() else "SE110"
    data = jsonstat(
        {code: label, "0127": "0127 Botkyrka"}, {"1+2": "totalt"}, {"BE0101N1": "Folkmängd"},
        ["2019"], [2377081, 94606],
    )  # fmt: skip
    result = parse_population_file("x.json", data, NAMES)
    assert result.problems == []
    figures = {f.code: f.population for f in result.figures}
    assert figures["0127"] == 94606
    assert set(figures) <= {"0127", "01", "00"}


# --- English labels in every format -------------------------------------------------------------


def test_english_px() -> None:
    text = (
        'CHARSET="ANSI";\nCODEPAGE="utf-8";\nLANGUAGE="en";\n'
        'CONTENTS="Population";\nSTUB="region","sex";\nHEADING="year";\n'
        'VALUES("region")="00 Sweden","0140 Nykvarn";\nVALUES("sex")="men","women";\n'
        'VALUES("year")="2019","2020";\nTIMEVAL("year")=TLIST(A1),"2019","2020";\n'
        "DATA=\n5161111 5183333\n5166478 5195962\n5600 5700\n5414 5522;\n"
    )
    assert members_read("en.px", text.encode()) == {("0140", 2019): 11014, ("0140", 2020): 11222}


def test_english_csv_of_one_sex_is_refused_rather_than_taken_as_the_total() -> None:
    text = '"region","sex","Population 2019"\n"0127 Botkyrka","men",47340\n'
    result = parse_population_file("men.csv", text.encode(), NAMES)
    assert result.figures == []
    assert "'sex' has only men: the total cannot be summed" in result.problems[0].message


def test_population_growth_is_no_population() -> None:
    text = (
        '"Population and population growth by region and year"\n\n'
        '"region","Population 2019","Population growth 2019"\n"0128 Salem",16750,-36\n'
    )
    assert members_read("growth.csv", text.encode()) == {("0128", 2019): 16750}


# --- short commands stay fast -------------------------------------------------------------------


def test_fees_on_the_bundled_csv_imports_no_other_reader() -> None:
    import subprocess
    import sys

    def imported() -> set[str]:
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "sodertorn_ledger", "fees", "2020"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()}

    imported()  # the settings cache is made
    modules = imported()
    assert "sodertorn_ledger.population.csv_files" in modules
    for module in ("openpyxl", "zipfile", "json", "sodertorn_ledger.population.excel"):
        assert module not in modules
    assert not {m for m in modules if m.startswith(("sodertorn_ledger.population.px", "pydantic"))}


def test_a_plain_csv_with_english_headers() -> None:
    text = "municipality code;municipality;year;population\n0127;Botkyrka;2019;94 606\n"
    assert members_read("own.csv", text.encode()) == {("0127", 2019): 94606}


def test_jsonstat_in_english_without_roles_finds_region_and_year_by_label() -> None:
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Omrade", "Period", "Mått"],
        "size": [1, 1, 1],
        "dimension": {
            "Omrade": {"label": "region", "category": {"index": ["0192"]}},
            "Period": {"label": "year", "category": {"index": ["2020"]}},
            "Mått": {"label": "observations", "category": {"label": {"X": "Population"}}},
        },
        "value": [28811],
    }
    assert members_read("en.json", json.dumps(doc).encode()) == {("0192", 2020): 28811}
