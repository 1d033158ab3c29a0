"""Reading SCB's population files: one fixture per format, written the way SCB writes them."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sodertorn_ledger.population import (
    PopulationTable,
    merge_figures,
    parse_population_file,
    read_population_folder,
)
from sodertorn_ledger.population.model import (
    BadValue,
    Category,
    parse_count,
    parse_time,
    split_time,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "befolkning"
BUNDLED = ROOT / "ledger" / "befolkning"

NAMES = {
    "Botkyrka": "0127",
    "Haninge": "0136",
    "Huddinge": "0126",
    "Nykvarn": "0140",
    "Nynäshamn": "0192",
    "Salem": "0128",
    "Södertälje": "0181",
    "Tyresö": "0138",
}
# SCB's folkmängd 31 December (DOMAIN.md), and Stockholm, its län and Riket: regions that are
# no member.
SCB = {
    "0127": {2018: 93106, 2019: 94606, 2020: 94847},
    "0136": {2018: 89989, 2019: 92095, 2020: 93690},
    "0126": {2018: 111722, 2019: 112848, 2020: 113234},
    "0140": {2018: 10923, 2019: 11014, 2020: 11222},
    "0192": {2018: 28290, 2019: 28575, 2020: 28811},
    "0128": {2018: 16786, 2019: 16750, 2020: 16959},
    "0181": {2018: 97381, 2019: 98979, 2020: 100111},
    "0138": {2018: 48004, 2019: 48333, 2020: 48678},
    "0180": {2019: 975551, 2020: 975904},
    "01": {2019: 2377081, 2020: 2391990},  # Stockholms län
    "00": {2019: 10327589, 2020: 10379295},  # Riket
}


def dec31(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def read_fixture(name: str) -> dict[tuple[str, int], int]:
    path = FIXTURES / name
    result = parse_population_file(str(path), path.read_bytes(), NAMES)
    assert result.problems == []
    figures = {(f.code, f.date.year): f.population for f in result.figures}
    assert all(f.date == dec31(f.date.year) for f in result.figures)
    assert all(f.file == str(path) for f in result.figures)
    return figures


def expected(codes: list[str], years: list[int]) -> dict[tuple[str, int], int]:
    return {(c, y): SCB[c][y] for c in codes for y in years}


# --- one fixture per format -----------------------------------------------------------------


def test_classic_pxweb_csv_comma_latin1_split_by_sex() -> None:
    raw = (FIXTURES / "pxweb-klassisk-komma-latin1.csv").read_bytes()
    assert raw.startswith(b'"Folkm\xe4ngden') and b"\r\n" in raw  # as SCB wrote it
    assert read_fixture("pxweb-klassisk-komma-latin1.csv") == expected(
        ["0127", "0140", "0181", "0180"], [2019, 2020]
    )


def test_classic_pxweb_csv_keeps_names_decoded_from_latin1() -> None:
    path = FIXTURES / "pxweb-klassisk-komma-latin1.csv"
    result = parse_population_file(str(path), path.read_bytes(), NAMES)
    names = {f.code: f.name for f in result.figures}
    assert names["0181"] == "Södertälje"
    # the line of the first row that makes up the figure
    line = next(f.line for f in result.figures if f.code == "0127" and f.date.year == 2019)
    assert line == 4


def test_classic_pxweb_csv_semicolon_total_not_added_to_parts_and_no_folkokning() -> None:
    raw = (FIXTURES / "pxweb-klassisk-semikolon-cp1252.csv").read_bytes()
    assert b"Folk\xf6kning" in raw
    assert read_fixture("pxweb-klassisk-semikolon-cp1252.csv") == expected(
        ["0127", "0128"], [2019, 2020]
    )


def test_classic_pxweb_tab_separated_bare_codes_year_as_stub() -> None:
    assert read_fixture("pxweb-klassisk-tabb.txt") == expected(["0127", "0140"], [2018, 2019])


def test_current_csv_utf8_bom_names_only_age_and_sex_summed() -> None:
    raw = (FIXTURES / "statistikdatabasen-utf8-bom.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    # Stockholms län is no member and has no code: not in the table.
    assert read_fixture("statistikdatabasen-utf8-bom.csv") == expected(["0128", "0181"], [2020])


def test_csv_with_sex_as_heading_after_the_year() -> None:
    # PX-Web puts every heading variable in the column header: tabellinnehåll, år, kön.
    text = (
        '"Folkmängden efter region, tabellinnehåll, år och kön"\r\n\r\n'
        '"region";"Folkmängd 2019 män";"Folkmängd 2019 kvinnor";"Folkökning 2019 män"\r\n'
        '"0140 Nykvarn";5600;5414;40\r\n'
    ).encode("cp1252")
    result = parse_population_file("h.csv", text, NAMES)
    assert result.problems == []
    assert [(f.code, f.population) for f in result.figures] == [("0140", 11014)]


def test_csv_year_only_headers_take_the_contents_from_the_title() -> None:
    text = (
        '"Folkmängden efter region och år"\n\n"region","2019","2020"\n"0138 Tyresö",48333,48678\n'
    )
    result = parse_population_file("t.csv", text.encode("latin-1"), NAMES)
    assert result.problems == []
    assert [(f.date.year, f.population) for f in result.figures] == [(2019, 48333), (2020, 48678)]
    untitled = parse_population_file("u.csv", b'"region","2019"\n"0138",48333\n', NAMES)
    assert untitled.figures == [] and "no Folkmängd" in untitled.problems[0].message


def test_plain_csv() -> None:
    assert read_fixture("egen-tabell.csv") == expected(["0127", "0140", "0128"], [2020])


def test_px_latin1_two_stubs_two_headings_folkokning_missing() -> None:
    raw = (FIXTURES / "BE0101N1-latin1.px").read_bytes()
    assert b'CODEPAGE="iso-8859-1"' in raw and b'".."' in raw
    assert read_fixture("BE0101N1-latin1.px") == expected(
        ["0127", "0140", "0128", "0180"], [2019, 2020]
    )


def test_px_utf8_civil_status_summed() -> None:
    assert read_fixture("BE0101N1-utf8.px") == expected(["0181"], [2018, 2019, 2020])


def test_pxweb_api_v1_json() -> None:
    assert read_fixture("pxweb-api-v1.json") == expected(["0127", "0140"], [2019, 2020])


def test_jsonstat2_takes_total_sex_category() -> None:
    assert read_fixture("jsonstat2.json") == expected(["0127", "0128", "0180"], [2019, 2020])


def test_jsonstat2_sparse_values_and_list_index() -> None:
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [2, 1, 2],
        "dimension": {
            "Region": {"label": "region", "category": {"index": ["0138", "0192"]}},
            "ContentsCode": {
                "category": {"index": ["BE0101N1"], "label": {"BE0101N1": "Folkmängd"}}
            },
            "Tid": {"category": {"index": ["2019", "2020"]}},
        },
        "value": {"0": 48333, "1": 48678, "2": 28575},
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
    }
    result = parse_population_file("x.json", json.dumps(doc).encode(), NAMES)
    assert result.problems == []
    # 0192 2020 is absent from the sparse values: missing, not zero.
    assert {(f.code, f.date.year): f.population for f in result.figures} == {
        ("0138", 2019): 48333,
        ("0138", 2020): 48678,
        ("0192", 2019): 28575,
    }


def test_jsonstat1_dataset() -> None:
    doc = {
        "dataset": {
            "label": "Folkmängden efter region och år",
            "dimension": {
                "Region": {"label": "region", "category": {"index": {"0126": 0}}},
                "Tid": {"label": "år", "category": {"index": {"2019": 0}}},
                "id": ["Region", "Tid"],
                "size": [1, 1],
                "role": {"time": ["Tid"]},
            },
            "value": [112848],
        }
    }
    result = parse_population_file("x.json", json.dumps(doc).encode(), NAMES)
    assert result.problems == []
    assert [(f.code, f.date, f.population) for f in result.figures] == [
        ("0126", dec31(2019), 112848)
    ]


def _scb_excel_table() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tabell 1"
    ws.append(["Folkmängd per kommun 31 december 2020 jämfört med 2019"])
    ws.append([])
    ws.append(["Kommun", "Folkmängd", None, "Förändring", None])
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.append([None, "31 dec 2020", "31 dec 2019", "Antal", "Procent"])
    ws.append(["Stockholms län", 2391990, 2377081, 14909, 0.6])
    for code, name in (("0127", "Botkyrka"), ("0136", "Haninge"), ("0138", "Tyresö")):
        a, b = SCB[code][2020], SCB[code][2019]
        ws.append([name, a, b, a - b, round((a - b) / b * 100, 1)])
    ws.append(["Riket", 10379295, 10327589, 51706, 0.5])
    ws.append([])
    ws.append(["Källa: SCB, befolkningsstatistik"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_scb_excel_table_two_row_header_names_only() -> None:
    result = parse_population_file("folkmangd-kommun-2020.xlsx", _scb_excel_table(), NAMES)
    assert result.problems == []
    assert {(f.code, f.date.year): f.population for f in result.figures} == expected(
        ["0127", "0136", "0138"], [2019, 2020]
    )
    botkyrka = next(f for f in result.figures if f.code == "0127")
    assert botkyrka.line == 6 and botkyrka.name == "Botkyrka"


def test_pxweb_excel_export_with_blank_repeated_stub_labels() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Folkmängden efter region, kön och år"])
    ws.append([None, None, "Folkmängd"])
    ws.append([None, None, 2019])
    ws.append(["0140 Nykvarn", "män", 5600])
    ws.append([None, "kvinnor", 11014 - 5600])
    ws.append(["0192 Nynäshamn", "män", 14300])
    ws.append([None, "kvinnor", 28575 - 14300])
    out = io.BytesIO()
    wb.save(out)
    result = parse_population_file("export.xlsx", out.getvalue(), NAMES)
    assert result.problems == []
    assert {(f.code, f.date.year): f.population for f in result.figures} == expected(
        ["0140", "0192"], [2019]
    )


def _xlsx(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_excel_years_over_sex_columns_takes_the_total_column() -> None:
    a, b = SCB["0181"][2020], SCB["0181"][2019]
    data = _xlsx(
        [
            ["Folkmängd per kommun efter kön 31 december 2020 och 2019"],
            ["Kommunkod", "Kommun", "31 dec 2020", None, None, "31 dec 2019", None, None],
            [None, None, "Män", "Kvinnor", "Totalt", "Män", "Kvinnor", "Totalt"],
            [181, "Södertälje", 50000, a - 50000, a, 49000, b - 49000, b],
        ],
        merges=("C2:E2", "F2:H2"),
    )
    result = parse_population_file("kon.xlsx", data, NAMES)
    assert result.problems == []
    assert {(f.code, f.date.year): f.population for f in result.figures} == expected(
        ["0181"], [2019, 2020]
    )


def test_excel_sex_columns_without_total_are_summed_and_change_left_out() -> None:
    a = SCB["0138"][2020]
    data = _xlsx(
        [
            ["Folkmängd 31 december 2020"],
            [None, 2020, None, "Förändring", None],
            ["Kommun", "Män", "Kvinnor", "Antal", "Procent"],
            ["Tyresö", 24000, a - 24000, 345, 0.7],
        ],
        merges=("B2:C2", "D2:E2"),
    )
    result = parse_population_file("kon.xlsx", data, NAMES)
    assert result.problems == []
    assert [(f.code, f.population) for f in result.figures] == [("0138", a)]


# --- reading rules --------------------------------------------------------------------------


def test_only_one_sex_is_refused_rather_than_summed() -> None:
    text = '"region","kön","Folkmängd 2019"\n"0127 Botkyrka","män",47340\n'
    result = parse_population_file("m.csv", text.encode(), NAMES)
    assert result.figures == []
    assert "män" in result.problems[0].message


def test_missing_part_gives_no_figure() -> None:
    text = (
        '"region","kön","Folkmängd 2019"\n'
        '"0127 Botkyrka","män",..\n"0127 Botkyrka","kvinnor",47000\n'
        '"0140 Nykvarn","män",5500\n"0140 Nykvarn","kvinnor",5514\n'
    )
    result = parse_population_file("m.csv", text.encode(), NAMES)
    assert result.problems == []
    assert [(f.code, f.population) for f in result.figures] == [("0140", 11014)]


def test_file_without_folkmangd_is_an_error() -> None:
    text = '"region","Folkökning 2019"\n"0127 Botkyrka",1500\n'
    result = parse_population_file("okning.csv", text.encode(), NAMES)
    assert result.figures == []
    assert result.problems[0].file == "okning.csv"
    assert "Folkökning" in result.problems[0].message


def test_same_coordinate_twice_with_different_values_in_one_file() -> None:
    text = "kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2019;94606\n0127;Botkyrka;2019;94607\n"
    result = parse_population_file("p.csv", text.encode(), NAMES)
    assert len(result.problems) == 1 and result.problems[0].line == 3


def test_plain_csv_leading_zero_lost_by_a_spreadsheet() -> None:
    text = "kommunkod;kommun;år;folkmängd\n127;Botkyrka;2019;94 606\n"
    result = parse_population_file("p.csv", text.encode(), NAMES)
    assert [(f.code, f.population) for f in result.figures] == [("0127", 94606)]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bad.px", b'CHARSET="ANSI";\nSTUB="region";\n', "DATA"),
        ("bad.json", b'{"columns": [', "JSON"),
        ("bad.json", b'{"hello": 1}', "PxWeb"),
        ("bad.xlsx", b"not a zip file", "Excel"),
        ("bad.csv", b'"just a title"\n\n', "header"),
        ("bad.csv", b'"region","Folkm\xc3\xa4ngd 2019"\n"0127","many"\n', "whole number"),
        ("notes.pdf", b"%PDF-1.4", "supported"),
    ],
)
def test_unreadable_files_are_problems_naming_the_file(name: str, data: bytes, words: str) -> None:
    result = parse_population_file(name, data, NAMES)
    assert result.figures == []
    assert result.problems, "an unreadable file must be reported"
    problem = result.problems[0]
    assert problem.file == name
    assert words.casefold() in (problem.message + " " + problem.hint).casefold()


def test_px_data_count_mismatch_names_the_data_line() -> None:
    text = (
        'CHARSET="ANSI";\nCODEPAGE="utf-8";\nCONTENTS="Folkmängd";\nSTUB="region";\n'
        'HEADING="år";\nVALUES("region")="0127 Botkyrka";\nVALUES("år")="2019","2020";\n'
        "DATA=\n94606;\n"
    )
    result = parse_population_file("short.px", text.encode(), NAMES)
    assert result.problems[0].line == 8
    assert "need 2" in result.problems[0].message


def test_px_without_charset_is_dos_text() -> None:
    text = (
        'CONTENTS="Folkmängd";\nSTUB="region";\nHEADING="år";\n'
        'VALUES("region")="0181 Södertälje";\nVALUES("år")="2019";\nDATA=\n98979;\n'
    )
    result = parse_population_file("dos.px", text.encode("cp850"), NAMES)
    assert result.problems == []
    assert [(f.name, f.population) for f in result.figures] == [("Södertälje", 98979)]


# --- the folder -----------------------------------------------------------------------------


def test_two_files_disagreeing_is_an_error_naming_both(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2019;94606\n")
    (tmp_path / "b.csv").write_text(
        "kommunkod;kommun;år;folkmängd\n0140;Nykvarn;2019;11014\n0127;Botkyrka;2019;94600\n"
    )
    table, problems = read_population_folder(tmp_path, NAMES)
    assert len(problems) == 1
    message = problems[0].message
    assert problems[0].file == str(tmp_path / "b.csv") and problems[0].line == 3
    assert str(tmp_path / "a.csv") in message and "94600" in message and "94606" in message
    # the other figures are kept, not silently dropped
    assert table.get("0140", dec31(2019)) is not None


def test_the_same_figure_in_two_formats_is_fine(tmp_path: Path) -> None:
    for name in ("BE0101N1-latin1.px", "pxweb-klassisk-komma-latin1.csv", "jsonstat2.json"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / ".DS_Store").write_bytes(b"\0\1")
    table, problems = read_population_folder(tmp_path, NAMES)
    assert problems == []
    assert len(table.files) == 3
    assert table.get("0127", dec31(2019)) is not None
    assert table.dates() == [dec31(2019), dec31(2020)]


def test_every_fixture_together_agrees() -> None:
    table, problems = read_population_folder(FIXTURES, NAMES)
    assert problems == []
    for (code, date), figure in table.figures.items():
        assert SCB[code][date.year] == figure.population


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    table, problems = read_population_folder(tmp_path / "befolkning", NAMES)
    assert table.figures == {} and "no population folder" in problems[0].message


def test_merge_reports_conflict_within_results() -> None:
    a = parse_population_file(
        "a.csv", b"kommunkod;kommun;\xc3\xa5r;folkm\xc3\xa4ngd\n0127;B;2019;1\n", NAMES
    )
    b = parse_population_file(
        "b.csv", b"kommunkod;kommun;\xc3\xa5r;folkm\xc3\xa4ngd\n0127;B;2019;2\n", NAMES
    )
    table, problems = merge_figures([("a.csv", a), ("b.csv", b)])
    assert isinstance(table, PopulationTable)
    assert table.get("0127", dec31(2019)) is not None
    assert [p.file for p in problems] == ["b.csv"] and "a.csv:2" in problems[0].message


def test_bundled_figures_are_scbs() -> None:
    table, problems = read_population_folder(BUNDLED, NAMES)
    assert problems == []
    for year, total in ((2018, 496201), (2019, 503200), (2020, 507552)):
        figures = [table.get(code, dec31(year)) for code in NAMES.values()]
        assert all(f is not None for f in figures)
        assert sum(f.population for f in figures if f is not None) == total
    for code in NAMES.values():
        for year in (2018, 2019, 2020):
            figure = table.get(code, dec31(year))
            assert figure is not None and figure.population == SCB[code][year]


# --- small pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2019", dec31(2019)),
        ("2020M06", dt.date(2020, 6, 30)),
        ("2020K1", dt.date(2020, 3, 31)),
        ("2019-12-31", dec31(2019)),
        ("31 dec 2020", dec31(2020)),
        ("31 december 2019", dec31(2019)),
        ("dec", None),
        ("2020M13", None),
    ],
)
def test_parse_time(text: str, date: dt.date | None) -> None:
    assert parse_time(text) == date


def test_split_time() -> None:
    assert split_time("Folkmängd 2019") == ("Folkmängd", "2019")
    assert split_time("2019 Folkmängd") == ("Folkmängd", "2019")
    assert split_time("region") is None
    assert split_time("0127 Botkyrka") is None


def test_parse_count_symbols() -> None:
    assert parse_count("94 606") == 94606
    assert parse_count("..") is None
    assert parse_count('".."') is None
    assert parse_count("-") == 0
    assert parse_count("-36") == -36


def test_total_categories() -> None:
    assert Category("1+2", "").is_total()
    assert Category("tot", "totalt ålder").is_total()
    assert Category("", "Totalt").is_total()
    assert not Category("1", "män").is_total()
    assert not Category("", "100+ år").is_total()


# --- properties -----------------------------------------------------------------------------


_members = st.dictionaries(
    st.sampled_from(sorted(NAMES.items())),
    st.tuples(st.integers(0, 200_000), st.integers(0, 200_000)),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(
    _members,
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["iso-8859-1", "cp1252", "utf-8-sig"]),
    st.booleans(),
    st.booleans(),
)
def test_csv_sum_of_sexes_or_total_row_is_the_folkmangd(
    members: dict[tuple[str, str], tuple[int, int]],
    sep: str,
    encoding: str,
    with_total: bool,
    crlf: bool,
) -> None:
    q = '"{}"'.format
    lines = [q("Folkmängden efter region, kön och år"), ""] if encoding != "utf-8-sig" else []
    lines.append(sep.join([q("region"), q("kön"), q("Folkmängd 2019")]))
    for (name, code), (men, women) in members.items():
        rows = [("män", men), ("kvinnor", women)]
        if with_total:
            rows.insert(0, ("totalt", men + women))
        for sex, n in rows:
            lines.append(sep.join([q(f"{code} {name}"), q(sex), str(n)]))
    data = ("\r\n" if crlf else "\n").join(lines).encode(encoding)
    result = parse_population_file("p.csv", data, NAMES)
    assert result.problems == []
    assert {f.code: f.population for f in result.figures} == {
        code: men + women for (_, code), (men, women) in members.items()
    }


@settings(max_examples=40, deadline=None)
@given(_members, st.sampled_from(["iso-8859-1", "windows-1252", "utf-8"]))
def test_px_sum_of_sexes_is_the_folkmangd(
    members: dict[tuple[str, str], tuple[int, int]], codepage: str
) -> None:
    regions = list(members)
    head = [
        'CHARSET="ANSI";',
        f'CODEPAGE="{codepage}";',
        'CONTENTS="Folkmängden efter region, kön och år";',
        'STUB="region","kön";',
        'HEADING="år";',
        'VALUES("region")=' + ",\n".join(f'"{c} {n}"' for n, c in regions) + ";",
        'VALUES("kön")="män","kvinnor";',
        'VALUES("år")="2019";',
        "DATA=",
    ]
    body = [f"{members[r][0]}\n{members[r][1]}" for r in regions]
    data = ("\n".join(head + body) + ";\n").encode(codepage)
    result = parse_population_file("p.px", data, NAMES)
    assert result.problems == []
    assert {f.code: f.population for f in result.figures} == {
        code: men + women for (_, code), (men, women) in members.items()
    }


# --- plain integers, bounded work (issue 14) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("94606", 94606),
        ("94 606", 94606),
        ("94\u00a0606", 94606),  # no-break space, as Excel and SCB's web tables write it
        ("94\u202f606", 94606),  # narrow no-break space
        ("94\u2009606", 94606),  # thin space
        ("1 000 000", 1_000_000),
        (" 94606 ", 94606),
        ("-36", -36),  # Folkökning may be negative; a negative folkmängd is refused later
        ("\u221236", -36),
        ("100000000", 100_000_000),
        ("0", 0),
    ],
)
def test_parse_count_reads_plain_integers(text: str, value: int) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4.2e4", "has an exponent"),
        ("1E+5", "has an exponent"),
        ("1e999999999", "has an exponent"),
        ("94847²", "has '²' (U+00B2), which is not one of the digits 0–9"),
        ("٩٤٦٠٦", "which is not one of the digits 0–9"),
        ("９４６０６", "which is not one of the digits 0–9"),
        ("94606,0", "has a decimal point or comma"),
        ("94606.5", "has a decimal point or comma"),
        ("94.606", "has a decimal point or comma"),
        ("+94606", "has a plus sign"),
        ("-0", "has a sign on zero"),
        ("9 4606", "digit groups that are not of three"),
        ("94 606\u00a0000", "digit groups that are not of three, or different blanks"),
        ("100000001", "is above 100 000 000"),
        ("9" * 33, "is too long for a number (33 characters)"),
        ("9" * 5000, "is too long for a number (5000 characters)"),
        ("94606 invånare", "is not a whole number"),
        ("NaN", "is not a whole number"),
    ],
)
def test_parse_count_refuses_what_scb_never_writes(text: str, reason: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_count(text)
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 200  # a long text is cut, not quoted whole


def test_a_negative_folkokning_is_read_beside_the_folkmangd() -> None:
    text = '"region","Folkmängd 2019","Folkökning 2019"\n"0128 Salem",16750,-36\n'
    result = parse_population_file("salem.csv", text.encode(), NAMES)
    assert result.problems == []
    assert [(f.code, f.population) for f in result.figures] == [("0128", 16750)]


def _jsonstat_text(value: str) -> bytes:
    return (
        '{"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], '
        '"size": [1, 1, 1], "dimension": {"Region": {"category": {"index": ["0127"]}}, '
        '"ContentsCode": {"category": {"index": ["BE0101N1"], "label": {"BE0101N1": '
        '"Folkmängd"}}}, "Tid": {"category": {"index": ["2019"]}}}, '
        f'"value": [{value}]}}'
    ).encode()


@pytest.mark.parametrize("written", ["94606", "94606.0", "94606.00", '"94606"', '"94 606"'])
def test_json_whole_numbers_are_read_also_as_94606_point_0(written: str) -> None:
    # A JSON number has no integer type of its own: 94606.0 is 94606 as some tools write it.
    result = parse_population_file("x.json", _jsonstat_text(written), NAMES)
    assert result.problems == []
    assert [f.population for f in result.figures] == [94606]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("94606.5", "has a decimal point or comma"),
        ("9.4606e4", "has an exponent"),
        ("1e30", "has an exponent"),
        ("NaN", "is not a whole number"),
        ("Infinity", "is not a whole number"),
        ("100000001", "is above 100 000 000"),
        ("100000001.0", "is above 100 000 000"),
        ("9" * 5000, "is too long for a number"),
        ("true", "true where a number belongs"),
        ("[1]", "an array where a number belongs"),
        ('"4.2e4"', "has an exponent"),
    ],
)
def test_json_figures_that_are_no_count_name_their_key_path(written: str, reason: str) -> None:
    result = parse_population_file("x.json", _jsonstat_text(written), NAMES)
    assert result.figures == []
    message = result.problems[0].message
    assert message.startswith("value[0] (Region 0127, ContentsCode BE0101N1, Tid 2019): ")
    assert reason in message


def test_excel_figures_are_named_by_sheet_and_cell() -> None:
    data = _xlsx(
        [["Folkmängd 2019"], ["Kommun", "2019"], ["Botkyrka", 94606.0], ["Haninge", "4.2e4"]]
    )
    result = parse_population_file("t.xlsx", data, NAMES)
    assert [p.message for p in result.problems] == [
        "Sheet!B4: '4.2e4' has an exponent: a figure is written out in digits"
    ]
    assert result.problems[0].line == 0


def test_binary_kind_knows_utf16_without_a_byte_order_mark() -> None:
    from sodertorn_ledger.population.loader import binary_kind

    assert binary_kind("kommunkod;år\n".encode("utf-16-le")) == "UTF-16 text"
    assert binary_kind("kommunkod;år\n".encode("utf-16-be")) == "UTF-16 text"
    assert binary_kind(b"\x00" * 100) == "binary data (NUL bytes only)"
    assert binary_kind(b"kommunkod;\xe5r\n") is None


def test_a_folder_reads_a_bounded_number_of_files_and_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sodertorn_ledger.population import loader

    for year in (2017, 2018, 2019, 2020):
        (tmp_path / f"{year}.csv").write_text(
            f"kommunkod;kommun;år;folkmängd\n0127;Botkyrka;{year};1\n0128;Salem;{year};2\n"
        )
    monkeypatch.setattr(loader, "MAX_FOLDER_FILES", 3)
    _, problems = read_population_folder(tmp_path, NAMES)
    assert [(Path(p.file).name, p.message) for p in problems] == [
        (
            "2020.csv",
            "not read, nor the files after it: the population folder has more than 3 files",
        )
    ]
    monkeypatch.setattr(loader, "MAX_FOLDER_FILES", 100)
    monkeypatch.setattr(loader, "MAX_FOLDER_FIGURES", 3)
    table, problems = read_population_folder(tmp_path, NAMES)
    assert len(table.figures) == 4
    assert [Path(p.file).name for p in problems] == ["2019.csv"]
    assert "more than 3 figures in its files" in problems[0].message


def test_at_most_twenty_problems_a_file_are_kept(tmp_path: Path) -> None:
    rows = "".join(f"0127;Botkyrka;{1900 + n};{n}e3\n" for n in range(100))
    (tmp_path / "p.csv").write_text("kommunkod;kommun;år;folkmängd\n" + rows)
    _, problems = read_population_folder(tmp_path, NAMES)
    assert len(problems) == 21
    assert problems[-1].message == "and 80 more problems"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        # Each was a traceback (IndexError, StopIteration) before.
        (("DATA=", "CONTVARIABLE=;\nDATA="), ""),
        (('STUB="region";', "STUB=;"), "no region variable"),
        (('STUB="region";', 'STUB="år";'), "no region variable"),
    ],
)
def test_px_with_odd_metadata_is_read_or_refused(change: tuple[str, str], words: str) -> None:
    text = (
        'CHARSET="ANSI";\nCODEPAGE="utf-8";\nCONTENTS="Folkmängd";\nSTUB="region";\n'
        'HEADING="år";\nVALUES("region")="0127 Botkyrka";\nVALUES("år")="2019";\nDATA=\n94606;\n'
    ).replace(*change)
    result = parse_population_file("odd.px", text.encode(), NAMES)
    if words:
        assert words in result.problems[0].message
    else:
        assert result.problems == [] and [f.population for f in result.figures] == [94606]


def test_a_file_of_many_bad_rows_keeps_a_few_problems_and_counts_the_rest() -> None:
    rows = "".join(f'"0127 Botkyrka",{n}e3\n' for n in range(1000))
    result = parse_population_file("p.csv", ('"region","Folkmängd 2021"\n' + rows).encode(), NAMES)
    assert len(result.problems) == 100 and result.omitted == 900
    rows_: list[list[object]] = [["Folkmängd 2021"], ["Kommun", "2021"], ["Salem", 16750]]
    data = _xlsx(rows_ + [["Botkyrka", "1e3"]] * 300)
    result = parse_population_file("p.xlsx", data, NAMES)
    assert len(result.problems) == 100 and result.omitted == 200
