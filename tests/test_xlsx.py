"""The Excel workbook read back with openpyxl: sheets, headings, number formats, formulas
that are formulas, text that stays text (even when it looks like a formula), and writing
it safely (atomic, no overwrite without --force, one-line errors)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from report_books import write_books
from sodertorn_ledger import __version__
from sodertorn_ledger.render.labels import footnote_marker
from sodertorn_ledger.render.sheet import (
    Amount,
    BarChart,
    Book,
    Count,
    Formula,
    Sheet,
    Style,
    Text,
    column_letter,
    sum_formula,
)
from sodertorn_ledger.render.xlsx import (
    BLANK_ZERO,
    COUNT_FORMAT,
    KRONOR_FORMAT,
    ORE_FORMAT,
    column_widths,
    safe_text,
    workbook_bytes,
)
from xlsx_books import BUNDLED, INJECTIONS, export, injection_books, ledger, ledger_json

SHEETS_2020 = [
    "Sammanställning 2020",
    "Drift 2020",
    "Budget 2020",
    "Projekt 2020",
    "Avgifter 2020",
    "Balansräkning 2020",
    "Underlag 2020",
]

# The formulas the tool itself writes: sums of a range, sums/differences/shares of cells, 0, and
# the sum of the rows a filter shows (SUBTOTAL 109, under the Underlag).
OUR_FORMULA = re.compile(
    r"=(SUM\([A-Z]+\d+:[A-Z]+\d+\)|SUBTOTAL\(109,[A-Z]+\d+:[A-Z]+\d+\)"
    r"|[A-Z]+\d+([-+*/][A-Z]+\d+)*|0)"
)


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def öre(value: object) -> Decimal:
    """A stored number back as exact öre (a spreadsheet keeps the nearest double)."""
    assert isinstance(value, int | float), value
    return Decimal(repr(value)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def bundled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bundled") / "sammanstallning-2020.xlsx"
    code, out, err = export(BUNDLED, target)
    assert code == 0, err
    assert out == f"Wrote {target} ({', '.join(SHEETS_2020)})\n"
    return target


@pytest.fixture(scope="module")
def bundled(bundled_file: Path) -> Any:
    return openpyxl.load_workbook(bundled_file)


@pytest.fixture(scope="module")
def bundled_values(bundled_file: Path) -> Any:
    """The cached results of the formulas, as a viewer that does not calculate sees them."""
    return openpyxl.load_workbook(bundled_file, data_only=True)


# --- the intermediate -------------------------------------------------------------------


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
    with pytest.raises(ValueError):
        column_letter(0)


def test_sheet_rows_are_numbered_as_the_spreadsheet_numbers_them() -> None:
    sheet = Sheet("S")
    assert sheet.add(Text("a")) == 1
    assert sheet.blank() == 2
    assert sheet.add(None, Amount(Decimal(1))) == 3
    assert sheet.cell(3, 2) == Amount(Decimal(1))
    assert sheet.cell(3, 1) is None
    assert sheet.cell(9, 1) is None
    assert sum_formula(2, 4, 9, Decimal(0)).text == "=SUM(B4:B9)"
    assert sum_formula(2, 4, 3, Decimal(0)).text == "=0"  # no rows: nothing to sum
    sheet.add(Formula("SUM(A1:A2)", Decimal(0)))
    with pytest.raises(ValueError, match="a formula starts with '='"):
        workbook_bytes(Book("T", "O", 2020, (sheet,)))


# --- the writer on hand-made data --------------------------------------------------------


def hand_made() -> Book:
    sheet = Sheet("Test 2020", header_rows=3)
    sheet.add(Text("Titel", Style.TITLE))
    sheet.blank()
    sheet.add(Text("Namn", Style.HEADING), Text("Belopp", Style.HEADING))
    for payload in INJECTIONS:
        sheet.add(Text(payload), Amount(Decimal("-1234567.89")))
    sheet.add(Text("ctrl\x07char"), Amount(Decimal("0.005")), Amount(Decimal("4.00"), ore=True))
    sheet.add(Text("folk"), Count(503200))
    sheet.add(
        Text("Summa", Style.TOTAL), sum_formula(2, 4, 8, Decimal("-4938271.555"), style=Style.TOTAL)
    )
    sheet.chart = BarChart("Diagram", 1, 2, 4, 7)
    return Book("Titel & mer", "Org & Co", 2020, (sheet,))


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    data = workbook_bytes(hand_made())
    ws = load(data)["Test 2020"]
    for row, payload in enumerate(INJECTIONS, start=4):
        cell = ws.cell(row, 1)
        assert cell.value == payload
        assert cell.data_type == "s"
    # And in the file itself: no formula element holds any of it.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas == ["SUM(B4:B8)"]
    assert "HYPERLINK" in xml  # as a string value, not a formula


def test_cells_hold_exact_values_with_swedish_formats() -> None:
    ws = load(workbook_bytes(hand_made()))["Test 2020"]
    assert ws["B4"].value == pytest.approx(-1234567.89, abs=0)
    assert öre(ws["B4"].value) == Decimal("-1234567.89")
    assert ws["B4"].number_format == KRONOR_FORMAT
    assert ws["C8"].value == 4 and ws["C8"].number_format == ORE_FORMAT
    assert ws["B8"].value == pytest.approx(0.005, abs=0)  # not rounded in the file
    assert ws["B9"].value == 503200 and ws["B9"].number_format == COUNT_FORMAT
    assert ws["B10"].value == "=SUM(B4:B8)" and ws["B10"].data_type == "f"
    assert ws["B10"].number_format == KRONOR_FORMAT
    assert ws["A8"].value == "ctrl\ufffdchar"  # a control character cannot be stored


def test_formulas_carry_the_tools_result_as_their_cached_value() -> None:
    # What a viewer that does not calculate (a mail preview) shows.
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(hand_made())), data_only=True)
    assert ws["Test 2020"]["B10"].value == pytest.approx(-4938271.555, abs=0)


def test_number_format_shows_whole_kronor_space_thousands_and_a_real_minus() -> None:
    positive, negative = KRONOR_FORMAT.split(";")
    assert positive == "[$-41D]#,##0"  # Swedish locale: space between thousands
    assert negative == "[$-41D]−#,##0"  # U+2212, as the report prints it
    assert ORE_FORMAT.split(";")[0] == "[$-41D]#,##0.00"
    # One rule for zero (render/labels.py): a row of a published table blank, else 0.
    assert BLANK_ZERO == ';""'
    ws = load(
        workbook_bytes(
            Book(
                "T",
                "O",
                2020,
                (
                    _sheet_of(
                        Amount(Decimal(0)),
                        Amount(Decimal(0), blank_zero=True),
                        Formula("=0", Decimal(0), blank_zero=True),
                        Amount(Decimal(0), ore=True, blank_zero=True),
                    ),
                ),
            )
        )
    )["Z"]
    assert [c.number_format for c in ws[1]] == [
        KRONOR_FORMAT,
        KRONOR_FORMAT + ';""',
        KRONOR_FORMAT + ';""',
        ORE_FORMAT + ';""',
    ]


def _sheet_of(*cells: Amount | Formula) -> Sheet:
    sheet = Sheet("Z")
    sheet.add(*cells)
    return sheet


def test_layout_print_setup_and_properties() -> None:
    wb = load(workbook_bytes(hand_made()))
    ws = wb["Test 2020"]
    assert ws.freeze_panes == "B4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.oddFooter.left.text == "Org && Co"  # '&' is a footer code unless doubled
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A3"].font.b and ws["A3"].border.bottom.style == "thin"
    assert ws["B3"].alignment.horizontal == "right"  # heading over figures
    assert ws["A10"].font.b and ws["B10"].font.b
    assert ws["B10"].border.top.style == "thin"
    assert wb.properties.title == "Titel & mer"
    assert wb.properties.creator == f"sodertorn-ledger {__version__}"
    custom = {p.name: p.value for p in wb.custom_doc_props.props}
    assert custom == {"Organisation": "Org & Co", "År": 2020}
    assert len(ws._charts) == 1


def test_column_widths_fit_the_longest_label_but_not_titles_or_notes() -> None:
    sheet = Sheet("W")
    sheet.add(Text("A very long title that spills over", Style.TITLE))
    sheet.add(Text("kort"), Amount(Decimal("-1234567.89")))
    sheet.add(Text("en längre etikett"), None)
    sheet.add(Text("a note that is even longer than the label", Style.NOTE))
    widths = column_widths(sheet)
    assert len(widths) == 2
    assert len("en längre etikett") < widths[0] < len("a note that is even longer")
    assert widths[1] >= len("-1 234 568")


def test_safe_text_cuts_what_a_cell_cannot_hold() -> None:
    assert safe_text("x" * 40000) == "x" * 32766 + "…"
    assert safe_text("tab\tand\nnewline") == "tab\tand\nnewline"


# --- the annual workbook of the bundled books --------------------------------------------


def test_bundled_sheet_names_in_order(bundled: Any) -> None:
    assert bundled.sheetnames == SHEETS_2020


def test_bundled_summary_sheet(bundled: Any, bundled_values: Any) -> None:
    ws = bundled["Sammanställning 2020"]
    cached = bundled_values["Sammanställning 2020"]
    summary = ledger_json("summary", 2020, BUNDLED)
    assert ws["A1"].value == "Sammanställning 2020"
    assert [c.value for c in ws[3]] == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
    ]
    assert all(c.font.b for c in ws[3])
    funds = summary["funds"]
    marker = 0
    for row, fund in enumerate(funds, start=4):
        name = fund["name"]
        if fund["note"]:
            marker += 1
            name += " " + footnote_marker(marker)
        assert ws.cell(row, 1).value == name
        for column, key in enumerate(("opening", "income", "costs"), start=2):
            cell = ws.cell(row, column)
            if Decimal(fund[key]) == 0:
                assert cell.value is None  # blank, as in the published table
            else:
                assert öre(cell.value) == Decimal(fund[key])
                assert cell.number_format == KRONOR_FORMAT + BLANK_ZERO
        assert ws.cell(row, 5).value == f"=B{row}+C{row}+D{row}"
        assert ws.cell(row, 5).data_type == "f"
        assert öre(cached.cell(row, 5).value) == Decimal(fund["closing"])
    total = 4 + len(funds)
    last = total - 1
    assert [c.value for c in ws[total]] == [
        "Summa",
        f"=SUM(B4:B{last})",
        f"=SUM(C4:C{last})",
        f"=SUM(D4:D{last})",
        f"=SUM(E4:E{last})",
    ]
    totals = [öre(c.value) for c in cached[total][1:]]
    assert totals == [
        Decimal(summary["total"][k]) for k in ("opening", "income", "costs", "closing")
    ]
    assert all(c.font.b for c in ws[total])
    assert ws.cell(total + 1, 1).value == "¹⁾ medel som överförts från Nynäshamn 28 jan 2020"
    assert ws.cell(total + 2, 1).value == "²⁾ avser systemanalysen från 2019"
    assert ws.freeze_panes == "B4"
    assert ws.column_dimensions["A"].width >= len("Södertörnssamarbetet drift från 2019")
    (chart,) = ws._charts
    assert chart.barDir == "bar"


def test_bundled_other_sheets_headings_and_formulas(bundled: Any) -> None:
    drift = bundled["Drift 2020"]
    assert drift["A1"].value == "Södertörnssamarbetet drift 2020"
    assert [c.value for c in drift[3]] == [None, "Intäkter", "Kostnader"]
    assert drift["A4"].value == "Intäkt kommunerna"
    assert öre(drift["B4"].value) == Decimal("2012800.00")
    assert drift["A13"].value == "Projekt" and öre(drift["C13"].value) == Decimal("320300.00")
    assert [c.value for c in drift[14]] == ["Summa", "=SUM(B4:B13)", "=SUM(C4:C13)"]
    assert [c.value for c in drift[15]] == ["Årets överskott", "=B14-C14", None]

    projects = bundled["Projekt 2020"]
    assert [c.value for c in projects[3]] == ["Projekt / leverantör", "Kostnad", "Varav leverantör"]
    names = [r[0].value for r in projects.iter_rows(min_row=4) if r[1].value is not None]
    assert names[:3] == [
        "Näringslivsanalyser Great",
        "Bisnode analys 2020",
        "Produktion kartor, Details",
    ]
    assert names[3] == "Summa"

    fees = bundled["Avgifter 2020"]
    assert [c.value for c in fees[4]] == [
        "Kommunkod",
        "Kommun",
        "Folkmängd 31 dec 2019",
        "Kr per invånare",
        "Avgift",
        "Bokfört",
        "Differens",
        "Betalt",
        "Obetalt",
    ]
    assert fees["A5"].value == "0127" and fees["A5"].data_type == "s"  # the leading zero
    assert fees["C5"].value == 94606 and fees["C5"].number_format == COUNT_FORMAT
    assert fees["E5"].value == "=C5*D5" and fees["G5"].value == "=F5-E5"
    assert fees["H8"].value == 0 and fees["I8"].value == "=F8-H8"  # Nykvarn: not paid
    assert fees["C13"].value == "=SUM(C5:C12)" and fees["C13"].number_format == COUNT_FORMAT
    assert fees["I13"].value == "=SUM(I5:I12)"
    assert fees.freeze_panes == "C5"

    balance = bundled["Balansräkning 2020"]
    labels = [r[0].value for r in balance.iter_rows(min_row=1)]
    for label in ("Tillgångar", "Summa tillgångar", "Skulder", "Summa skulder"):
        assert label in labels
    assert "Summa skulder och fonder" in labels
    assert "Bank" in labels
    bank = next(r[0] for r in balance.iter_rows(min_row=1) if r[0].value == "Bank")
    assert bank.alignment.indent == 1


def test_every_formula_is_ours_and_every_label_is_text(bundled: Any) -> None:
    for ws in bundled.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert OUR_FORMULA.fullmatch(cell.value), (ws.title, cell.coordinate)
                elif isinstance(cell.value, str):
                    assert cell.data_type == "s"


def test_formula_looking_payees_tags_and_accounts_stay_text(tmp_path: Path) -> None:
    journal = injection_books(tmp_path / "books")
    target = tmp_path / "out.xlsx"
    code, _, err = export(journal, target)
    assert code == 0, err
    wb = openpyxl.load_workbook(target)
    texts: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert OUR_FORMULA.fullmatch(cell.value), (ws.title, cell.coordinate)
                elif isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts.add(cell.value)
    # Each payload arrived, as text: as a payee, a project and an account.
    for payload in INJECTIONS:
        assert payload in texts
    assert "=1+1" in texts  # an account
    assert '=HYPERLINK("http://x")' in texts  # a project
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                for formula in re.findall(r"<f>(.*?)</f>", xml):
                    assert "HYPERLINK" not in formula and "cmd" not in formula


# --- writing the file ---------------------------------------------------------------------


def test_default_path_and_no_overwrite_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = ledger("export", "2020", "-f", str(BUNDLED))
    assert code == 0, err
    target = tmp_path / "sammanstallning-2020.xlsx"
    assert out.startswith("Wrote sammanstallning-2020.xlsx (")
    first = target.read_bytes()
    target.write_bytes(b"the user's own work")

    code, out, err = ledger("export", "2020", "-f", str(BUNDLED))
    assert code == 1
    assert err == "ledger: sammanstallning-2020.xlsx already exists; use --force to overwrite it\n"
    assert target.read_bytes() == b"the user's own work"

    code, _, err = ledger("export", "2020", "--force", "-f", str(BUNDLED))
    assert code == 0, err
    assert target.read_bytes()[:4] == first[:4] == b"PK\x03\x04"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sammanstallning-2020.xlsx"]


def test_failed_write_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)

    # The rename is the last step: everything before it (the temporary file) must go.
    monkeypatch.setattr("sodertorn_ledger.fileio.os.replace", refuse)
    target = tmp_path / "out.xlsx"
    code, out, err = export(BUNDLED, target)
    assert code == 1
    assert err == f"ledger: cannot write {target}: Permission denied\n"
    assert out == ""
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone too


def test_a_folder_nobody_may_write_in() -> None:
    # /proc refuses new files even to root: a real failure from the operating system.
    target = Path("/proc/sammanstallning-2020.xlsx")
    code, out, err = export(BUNDLED, target)
    assert code == 1
    assert out == ""
    assert err.startswith(f"ledger: cannot write {target}: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/out.xlsx", "cannot write {target}: no folder {folder}/missing"),
        ("books.journal", "{target}: the workbook's name must end in .xlsx"),
        ("a-folder.xlsx", "{target} is a folder; give the workbook's file name"),
    ],
)
def test_refused_targets(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "a-folder.xlsx").mkdir()
    (tmp_path / "books.journal").write_text("my books\n", encoding="utf-8")
    target = tmp_path / name
    code, out, err = export(BUNDLED, target)
    assert (code, out) == (1, "")
    assert err == "ledger: " + message.format(target=target, folder=tmp_path) + "\n"
    assert (tmp_path / "books.journal").read_text(encoding="utf-8") == "my books\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.xlsx", "books.journal"]


def test_missing_population_leaves_out_the_fees_sheet_with_a_warning(tmp_path: Path) -> None:
    journal = injection_books(tmp_path / "books")
    for file in (tmp_path / "books" / "befolkning").iterdir():
        file.unlink()
    (tmp_path / "books" / "befolkning").rmdir()
    target = tmp_path / "out.xlsx"
    code, out, err = export(journal, target)
    assert code == 0
    assert out.startswith("Wrote ")
    assert "the Avgifter 2020 sheet is left out" in err
    assert openpyxl.load_workbook(target).sheetnames == [
        "Sammanställning 2020",
        "Drift 2020",
        "Projekt 2020",
        "Balansräkning 2020",
        "Underlag 2020",
    ]


def test_a_year_without_transactions_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    code, _, err = export(BUNDLED, target, year=2031)
    assert code == 1
    assert err.startswith("ledger: no transactions in 2031")
    assert not target.exists()


def test_summary_xlsx_writes_the_same_workbook_and_keeps_the_json_clean(tmp_path: Path) -> None:
    target = tmp_path / "summa.xlsx"
    code, out, err = ledger("summary", "2020", "--json", "--xlsx", str(target), "-f", str(BUNDLED))
    assert code == 0, err
    assert json.loads(out)["total"]["closing"] == "1381130.20"
    assert err == f"Wrote {target} ({', '.join(SHEETS_2020)})\n"
    assert openpyxl.load_workbook(target).sheetnames == SHEETS_2020

    code, out, err = ledger("summary", "2020", "--xlsx", str(target), "-f", str(BUNDLED))
    assert (code, out) == (1, "")
    assert err == f"ledger: {target} already exists; use --force to overwrite it\n"
    code, out, err = ledger("summary", "2020", "--xlsx", str(target), "--force", "-f", str(BUNDLED))
    assert code == 0, err
    assert "Sammanställning 2020" in out


def test_money_in_no_fund_shows_as_a_note_and_a_difference(tmp_path: Path) -> None:
    # An income account the settings put in no fund: the Sammanställning says so, and the
    # balance sheet shows the difference as a live formula. No projects: Summa is 0.
    journal = write_books(
        tmp_path / "books",
        """
2020-02-01 * Okänd intäkt
    tillgångar:bank           500,25 kr
    intäkter:okänd
""",
    )
    target = tmp_path / "out.xlsx"
    code, _, err = export(journal, target)
    assert code == 0
    assert "accounts in no fund" in err and "intäkter:okänd" in err
    wb = openpyxl.load_workbook(target)
    notes = [r[0].value for r in wb["Sammanställning 2020"].iter_rows()]
    assert "Konton utan fond, ej med i tabellen: intäkter:okänd" in notes
    balance = wb["Balansräkning 2020"]
    rows = {r[0].value: r[1] for r in balance.iter_rows() if r[0].value}
    difference = rows["Skillnad (tillgångar − skulder − fonder)"]
    assert OUR_FORMULA.fullmatch(difference.value) and difference.value.count("-") == 2
    cached = openpyxl.load_workbook(target, data_only=True)["Balansräkning 2020"]
    assert öre(cached[difference.coordinate].value) == Decimal("500.25")
    projects = wb["Projekt 2020"]
    summa = next(r for r in projects.iter_rows() if r[0].value == "Summa")
    assert summa[1].value == "=0"
    assert any(r[0].value == "Inga projektkostnader 2020." for r in projects.iter_rows())
