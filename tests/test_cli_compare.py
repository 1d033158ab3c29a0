"""`--compare/--no-compare` on summary, result, projects, balance and export: the year
before beside the year, in the terminal, the JSON ("previous") and the workbook."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from compare_books import ONE_YEAR, TWO_YEARS
from report_books import write_books
from sodertorn_ledger.cli import app

runner = CliRunner()
REPORTS = ("summary", "result", "projects", "balance")
M = "−"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def rows_of(output: str) -> list[list[str]]:
    """Each line's cells (two or more spaces apart), the rules left out."""
    lines = [line for line in output.splitlines() if line.strip() and "──" not in line]
    return [[c for c in re.split(r"\s{2,}", line.strip()) if c] for line in lines]


def headings(output: str, first: str) -> list[str]:
    return next(row for row in rows_of(output) if row[0] == first)


def as_json(*args: str) -> dict[str, Any]:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture
def two_years(tmp_path: Path) -> str:
    return str(write_books(tmp_path / "books", TWO_YEARS))


@pytest.fixture
def one_year(tmp_path: Path) -> str:
    return str(write_books(tmp_path / "books", ONE_YEAR))


def test_summary_shows_the_year_before_by_default(two_years: str) -> None:
    code, out, err = run("summary", "2020", "-f", two_years)
    assert code == 0
    assert headings(out, "Fond") == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
        "Ingående balans 2019",
        "Intäkter 2019",
        "Kostnader 2019",
        "Utgående balans 2019",
    ]
    rows = {row[0]: row[1:] for row in rows_of(out)}
    # Drift: IB 250 (2019 not closed), Intäkter 501, Kostnader −300, UB 451; 2019's blank IB.
    assert rows["Drift"] == ["250", "501", f"{M}300", "451", "400", f"{M}150", "250"]
    assert rows["Summa"] == ["1 500", "501", f"{M}300", "1 701", "1 000", "700", f"{M}200", "1 500"]
    # The provisional note is still there, and the warning.
    assert "Ingående balanser 2020 är preliminära" in out
    assert "2019 is not closed" in err


@pytest.mark.parametrize(("columns", "stacked"), [(90, True), (250, False)])
def test_a_terminal_too_narrow_for_both_years_gets_them_one_below_the_other(
    two_years: str, monkeypatch: pytest.MonkeyPatch, columns: int, stacked: bool
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws as for a terminal
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run("summary", "2020", "-f", two_years)
    assert code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in plain.splitlines()) <= columns
    tables = [row for row in rows_of(plain) if row[0] == "Fond"]
    if stacked:
        # The year's table, then the year before's as `ledger summary 2019` shows it.
        assert [row[1:] for row in tables] == [
            ["Ingående balans 2020", "Intäkter", "Kostnader", "Utgående balans 2020"],
            ["Ingående balans 2019", "Intäkter", "Kostnader", "Utgående balans 2019"],
        ]
        assert "Sammanställning 2019" in plain
        sums = [row[1:] for row in rows_of(plain) if row[0] == "Summa"]
        assert sums == [["1 500", "501", f"{M}300", "1 701"], ["1 000", "700", f"{M}200", "1 500"]]
    else:
        assert len(tables) == 1 and tables[0][-1] == "Utgående balans 2019"


def test_summary_no_compare_is_the_years_table_alone(two_years: str) -> None:
    code, out, _ = run("summary", "2020", "-f", two_years, "--no-compare")
    assert code == 0
    assert headings(out, "Fond") == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
    ]
    data = as_json("summary", "2020", "-f", two_years, "--no-compare")
    assert data["previous"] is None
    assert all(fund["previous"] is None for fund in data["funds"])


def test_summary_json_previous_per_fund(two_years: str) -> None:
    data = as_json("summary", "2020", "-f", two_years)
    funds = {f["name"]: f for f in data["funds"]}
    assert funds["Modellen"]["previous"] == {
        "opening": "1000.00",
        "income": "0.00",
        "costs": "-50.00",
        "transfers": "0.00",
        "closing": "950.00",
    }
    assert data["previous"]["year"] == 2019
    assert data["previous"]["total"]["closing"] == "1500.00"
    # The year's own figures are as without the comparison.
    alone = as_json("summary", "2020", "-f", two_years, "--no-compare")

    def own(funds: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in f.items() if k != "previous"} for f in funds]

    assert own(data["funds"]) == own(alone["funds"])
    assert alone["total"] == data["total"]


def test_result_lines_beside_the_year_before(two_years: str) -> None:
    code, out, _ = run("result", "2020", "-f", two_years)
    assert code == 0
    assert headings(out, "Intäkter") == ["Intäkter", "Kostnader", "Intäkter 2019", "Kostnader 2019"]
    rows = {row[0]: row[1:] for row in rows_of(out)}
    assert rows["Avgifter"] == ["501", "400"]
    assert rows["Personal"] == ["100"]  # nothing in 2019: blank, as published
    assert rows["Projekt"] == ["200", "150"]
    assert rows["Summa"] == ["501", "300", "400", "150"]
    assert rows["Årets överskott"] == ["201", "250"]
    # Each figure stands in its own column: 2019's Projekt under "Kostnader 2019".
    lines = out.splitlines()
    header = next(line for line in lines if "Kostnader 2019" in line)
    projekt = next(line for line in lines if line.strip().startswith("Projekt"))
    assert len(projekt.rstrip()) == header.index("Kostnader 2019") + len("Kostnader 2019")
    data = as_json("result", "2020", "-f", two_years)
    assert data["income"][0]["previous"] == {"amount": "400.00"}
    assert [c["previous"] for c in data["costs"]] == [{"amount": "0.00"}, {"amount": "150.00"}]
    assert data["previous"] == {
        "year": 2019,
        "total": {"income": "400.00", "costs": "150.00"},
        "result": "250.00",
    }


def test_projects_of_one_year_only_show_0_in_the_other(two_years: str) -> None:
    code, out, _ = run("projects", "2020", "-f", two_years)
    assert code == 0
    assert rows_of(out)[1:] == [
        ["Projekt / leverantör", "Kostnad", "Kostnad 2019"],
        ["Kartor, Details", "200", "0"],
        ["Details", "200", "0"],
        ["Analys", "0", "150"],
        ["Konsult AB", "0", "150"],
        ["Summa", "200", "150"],
        ["Summa = raden Projekt i Drift 2020 (ledger result 2020)."],
        ["Ingående balanser 2020 är preliminära: 2019 är inte bokslutat (ledger close 2019)."],
    ]
    data = as_json("projects", "2020", "-f", two_years)
    kartor, analys = data["projects"]
    assert kartor["previous"] is None and kartor["suppliers"][0]["previous"] is None
    assert (analys["amount"], analys["previous"]) == ("0.00", {"amount": "150.00"})
    assert analys["suppliers"] == [
        {"name": "Konsult AB", "amount": "0.00", "previous": {"amount": "150.00"}}
    ]
    assert data["previous"] == {"year": 2019, "total": "150.00"}


def test_balance_beside_the_end_of_the_year_before(two_years: str) -> None:
    code, out, _ = run("balance", "2020", "-f", two_years)
    assert code == 0
    rows = {row[0]: row[1:] for row in rows_of(out)}
    assert rows["Balansräkning 31 december 2020"] == []
    assert rows["Belopp"] == ["Belopp 2019"]
    assert rows["Bank"] == ["1 701", "1 550"]
    assert rows["Leverantörer"] == ["0", "50"]  # paid in 2020
    assert rows["Summa skulder och fonder"] == ["1 701", "1 550"]
    assert "Kontroll: tillgångar = skulder + fonder, stämmer." in out
    data = as_json("balance", "2020", "-f", two_years)
    assert data["liabilities"] == [
        {"account": "skulder:leverantörer", "amount": "0.00", "previous": {"amount": "50.00"}}
    ]
    assert data["previous"]["total"]["assets"] == "1550.00"
    assert data["previous"]["date"] == "2019-12-31"


@pytest.mark.parametrize("command", REPORTS)
def test_books_without_the_year_before_show_no_comparison(one_year: str, command: str) -> None:
    code, out, err = run(command, "2020", "-f", one_year)
    assert (code, err) == (0, "")
    assert "2019" not in out
    data = as_json(command, "2020", "-f", one_year)
    assert data["previous"] is None


@pytest.mark.parametrize("command", [*REPORTS, "export"])
def test_compare_asked_for_on_books_without_the_year_before(
    one_year: str, command: str, tmp_path: Path
) -> None:
    extra = [str(tmp_path / "out.xlsx")] if command == "export" else []
    code, out, err = run(command, "2020", *extra, "-f", one_year, "--compare")
    assert (code, out) == (1, "")
    assert err == (
        f"ledger: --compare: no transactions in 2019 in {one_year} to compare 2020 with "
        "(the books have 2020); leave out --compare\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_detail_lists_the_years_postings_only(two_years: str) -> None:
    code, out, _ = run("result", "2020", "-f", two_years, "--detail")
    assert code == 0
    assert "Intäkter 2019" in out
    assert "2019-03-01" not in out  # 2019's postings are not listed
    lines = out.splitlines()
    header = next(line for line in lines if "Kostnader 2019" in line)
    posting = next(line for line in lines if "2020-02-01" in line)
    # Under the year's Kostnader, not in a column of 2019.
    assert len(posting.rstrip()) == header.index("Kostnader") + len("Kostnader")
    data = as_json("summary", "2020", "-f", two_years, "--detail")
    drift = data["funds"][0]
    assert drift["previous"]["income"] == "400.00"
    assert [p["date"][:4] for p in drift["postings"]] == ["2020"] * 3


def test_the_workbook_has_the_year_before(two_years: str, tmp_path: Path) -> None:
    target = tmp_path / "s.xlsx"
    code, _, err = run("export", "2020", str(target), "-f", two_years)
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    summary = book["Sammanställning 2020"]
    assert [c.value for c in summary[3]][5:] == [
        "Ingående balans 2019",
        "Intäkter 2019",
        "Kostnader 2019",
        "Utgående balans 2019",
    ]
    assert summary["I4"].value == "=F4+G4+H4"  # 2019's UB of its own columns
    drift = book["Drift 2020"]
    assert [c.value for c in drift[3]] == [
        None,
        "Intäkter",
        "Kostnader",
        "Intäkter 2019",
        "Kostnader 2019",
    ]
    balance = book["Balansräkning 2020"]
    assert balance["C3"].value == "Belopp 2019"
    code, _, err = run("export", "2020", str(target), "-f", two_years, "--no-compare", "--force")
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book["Sammanställning 2020"].max_column == 5
    assert book["Balansräkning 2020"]["C3"].value is None


def test_transfers_of_the_year_before_get_their_column(tmp_path: Path) -> None:
    moved = "\n2019-09-01 * Kommittén | Till Bidrag\n    fonder:modellen   100,00 kr\n"
    moved += "    fonder:bidrag\n"
    books = str(write_books(tmp_path / "books", TWO_YEARS + moved))
    code, out, _ = run("summary", "2020", "-f", books)
    assert code == 0
    # 2020 has no transfers: its columns as published; 2019's with its Överföringar.
    assert headings(out, "Fond")[1:] == [
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
        "Ingående balans 2019",
        "Intäkter 2019",
        "Kostnader 2019",
        "Överföringar 2019",
        "Utgående balans 2019",
    ]
    rows = {row[0]: row[1:] for row in rows_of(out)}
    assert rows["Bidrag ²⁾"] == ["400", "400", "300", "100", "400"]
    target = tmp_path / "s.xlsx"
    assert run("export", "2020", str(target), "-f", books)[0] == 0
    sheet = openpyxl.load_workbook(target)["Sammanställning 2020"]
    assert sheet["J3"].value == "Utgående balans 2019"
    assert sheet["J4"].value == "=F4+G4+H4+I4"
