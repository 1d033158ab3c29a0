"""The reports reconcile and say so (issue 15), through the command line: IB = UB of the
year before with transfers between funds in a column of their own, provisional opening
balances, projects = the Projekt line of `ledger result`, the accounts that unbalance
the balance sheet, and --strict for scripts."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import require_program
from report_books import write_books
from sodertorn_ledger.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"
D = Decimal
M = "−"
DRIFT = "Södertörnssamarbetet drift"
REPORTS = ["summary", "result", "projects", "balance"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def ledger_json(command: str, year: int, main: Path) -> dict[str, Any]:
    code, out, err = run(command, str(year), "-f", str(main), "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def copy_books(folder: Path) -> Path:
    shutil.copytree(BUNDLED, folder / "ledger", ignore=shutil.ignore_patterns(".*"))
    return folder / "ledger" / "main.journal"


def append(main: Path, year: int, text: str) -> None:
    with (main.parent / f"{year}.journal").open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().split("  ") if c.strip()]


def row(output: str, name: str) -> list[str]:
    """The cells of the table row that starts with `name`, stripped."""
    line = next(x for x in output.splitlines() if x.strip().startswith(name + "  "))
    return [c.strip() for c in cells(line)]


# --- IB = UB of the year before; Överföringar ------------------------------------------

TRANSFER_2021 = """\
2021-03-10 * Samarbetskommittén | Medel till konferensen
    fonder:drift från 2018                             100 000,00 kr
    fonder:södertörnskonferensen                      -100 000,00 kr
"""


def assert_ib_is_last_ub(last: dict[str, Any], this: dict[str, Any]) -> None:
    """Every fund's IB is its UB of the year before; the drift fund's result moved at the
    close into the new fund "… drift från YEAR", and the drift fund starts at zero."""
    closing = {f["name"]: f["closing"] for f in last["funds"]}
    expected = {**closing, f"{DRIFT} från {last['year']}": closing[DRIFT], DRIFT: "0.00"}
    assert {f["name"]: f["opening"] for f in this["funds"]} == expected
    assert this["total"]["opening"] == last["total"]["closing"]


def assert_rows_add_up(summary: dict[str, Any]) -> None:
    for fund in [*summary["funds"], summary["total"]]:
        parts = ("opening", "income", "costs", "transfers")
        assert sum(D(fund[k]) for k in parts) == D(fund["closing"]), fund


def test_a_transfer_between_funds_is_not_an_opening_balance(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    append(main, 2021, TRANSFER_2021)
    code, out, err = run("summary", "2021", "-f", str(main), "--no-compare")
    assert (code, err) == (0, "")
    assert cells(out.splitlines()[2]) == [
        "Fond",
        "Ingående balans 2021",
        "Intäkter",
        "Kostnader",
        "Överföringar",
        "Utgående balans 2021",
    ]
    assert row(out, "Södertörnskonferensen") == ["Södertörnskonferensen", "100 000", "100 000"]
    assert row(out, f"{DRIFT} från 2018") == [
        f"{DRIFT} från 2018",
        "110 853",
        f"{M}100 000",
        "10 853",
    ]
    # The Summa shows every column, the transfers' 0 too: they only move money.
    assert row(out, "Summa") == ["Summa", "1 381 130", "0", "0", "0", "1 381 130"]
    data = ledger_json("summary", 2021, main)
    rows = {f["name"]: f for f in data["funds"]}
    assert rows["Södertörnskonferensen"]["opening"] == "0.00"
    assert rows["Södertörnskonferensen"]["transfers"] == "100000.00"
    assert rows[f"{DRIFT} från 2018"]["opening"] == "110853.00"
    assert rows[f"{DRIFT} från 2018"]["transfers"] == "-100000.00"
    assert data["total"]["transfers"] == "0.00"
    assert_rows_add_up(data)
    assert_ib_is_last_ub(ledger_json("summary", 2020, main), data)


def test_the_workbook_has_the_transfers_and_ub_adds_them(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    append(main, 2021, TRANSFER_2021)
    target = tmp_path / "2021.xlsx"
    code, _, err = run("export", "2021", str(target), "-f", str(main), "--no-compare")
    assert code == 0, err
    ws = openpyxl.load_workbook(target)["Sammanställning 2021"]
    assert [c.value for c in ws[3]][4:] == ["Överföringar", "Utgående balans 2021"]
    names = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    konferensen = 4 + names.index("Södertörnskonferensen")
    assert ws.cell(konferensen, 2).value is None  # IB 0: blank, as published
    assert ws.cell(konferensen, 5).value == 100000
    assert (
        ws.cell(konferensen, 6).value
        == f"=B{konferensen}+C{konferensen}+D{konferensen}+E{konferensen}"
    )
    summa = 4 + names.index("Summa")
    assert ws.cell(summa, 5).value == f"=SUM(E4:E{summa - 1})"
    assert ws.cell(summa, 5).number_format.count(";") == 1  # a Summa shows its 0


def test_three_years_ib_is_always_last_years_ub(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    append(
        main,
        2021,
        TRANSFER_2021 + "\n2021-01-31 * Salems kommun | Avgift 2021  ; avgift:2021\n"
        "    tillgångar:kundfordringar                            67 836,00 kr\n"
        "    intäkter:drift:avgifter:salem\n"
        "\n2021-05-05 * Konferens | Lokal\n"
        "    kostnader:södertörnskonferensen                      40 000,00 kr\n"
        "    tillgångar:bank\n"
        "\n2021-09-01 * Samarbetskommittén | Tillbaka till modellen\n"
        "    fonder:bidrag från tillväxtverket                    77 793,00 kr\n"
        "    fonder:södertörnsmodellen                           -77 793,00 kr\n",
    )
    code, _, err = run("close", "2021", "-f", str(main))
    assert code == 0, err
    s2020, s2021, s2022 = (ledger_json("summary", y, main) for y in (2020, 2021, 2022))
    assert_ib_is_last_ub(s2020, s2021)
    assert_ib_is_last_ub(s2021, s2022)
    for summary in (s2020, s2021, s2022):
        assert_rows_add_up(summary)
        assert summary["provisional"] is False
    transfers = {f["name"]: D(f["transfers"]) for f in s2021["funds"] if D(f["transfers"])}
    assert transfers == {
        "Södertörnsmodellen": D("77793.00"),
        "Södertörnskonferensen": D("100000.00"),
        "Bidrag från Tillväxtverket": D("-77793.00"),
        f"{DRIFT} från 2018": D("-100000.00"),
    }
    assert sum(transfers.values()) == 0 and s2021["total"]["transfers"] == "0.00"
    assert all(f["transfers"] == "0.00" for s in (s2020, s2022) for f in s["funds"])
    # The close carried the conference's result into its balance: 100 000 − 40 000.
    konferensen = {f["name"]: f for f in s2022["funds"]}["Södertörnskonferensen"]
    assert konferensen["opening"] == "60000.00"
    check = subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


# --- provisional opening balances ------------------------------------------------------

OPEN_2020 = """\
2020-01-01 Ingående balans 2020
    tillgångar:bank   1 500,00 kr
    fonder:modellen  -1 500,00 kr
2020-02-01 Avgift
    tillgångar:bank   300,00 kr
    intäkter:drift:avgifter:botkyrka
2021-02-01 Avgift
    tillgångar:bank   310,00 kr
    intäkter:drift:avgifter:botkyrka
2021-03-01 Kartor | Details  ; projekt:Kartor
    kostnader:drift:projekt   100,00 kr
    tillgångar:bank
"""
PROVISIONAL = (
    "ledger: warning: 2020 is not closed: the opening balances of 2021 are provisional "
    "(run ledger close 2020)\n"
)
NOTE = "Ingående balanser 2021 är preliminära: 2020 är inte bokslutat (ledger close 2020)."


@pytest.mark.parametrize("command", REPORTS)
def test_a_report_on_a_year_after_an_open_year_says_it_is_provisional(
    tmp_path: Path, command: str
) -> None:
    main = write_books(tmp_path, OPEN_2020)
    code, out, err = run(command, "2021", "-f", str(main))
    assert (code, err) == (0, PROVISIONAL)
    assert out.rstrip("\n").splitlines()[-1] == NOTE
    code, out, err = run(command, "2021", "-f", str(main), "--json")
    assert (code, err) == (0, PROVISIONAL)
    assert json.loads(out)["provisional"] is True
    code, out, err = run(command, "2021", "-f", str(main), "--strict")
    assert code == 1 and NOTE in out
    assert err == PROVISIONAL + "ledger: --strict: 1 warning above; exit status 1\n"
    # 2020 has nothing before it: not provisional.
    code, out, err = run(command, "2020", "-f", str(main), "--strict")
    assert (code, err) == (0, "") and NOTE not in out
    assert json.loads(run(command, "2020", "-f", str(main), "--json")[1])["provisional"] is False


def test_the_provisional_opening_shows_last_years_result_in_the_drift_fund(
    tmp_path: Path,
) -> None:
    main = write_books(tmp_path, OPEN_2020)
    drift = ledger_json("summary", 2021, main)["funds"][0]
    assert (drift["opening"], drift["income"], drift["closing"]) == ("300.00", "310.00", "510.00")


def test_every_sheet_of_the_workbook_notes_the_provisional_opening(tmp_path: Path) -> None:
    main = write_books(tmp_path, OPEN_2020)
    target = tmp_path / "out.xlsx"
    code, _, err = run("export", "2021", str(target), "-f", str(main))
    assert code == 0
    assert err.count("is not closed") == 1  # one warning, though every sheet notes it
    workbook = openpyxl.load_workbook(target)
    for sheet in workbook.worksheets:
        assert NOTE in [r[0].value for r in sheet.iter_rows()], sheet.title
    code, _, err = run("export", "2021", str(target), "-f", str(main), "--force", "--strict")
    assert code == 1 and err.endswith("exit status 1\n")
    assert target.is_file()  # written all the same: --strict only says so


def test_the_bundled_books_are_not_provisional_and_strict_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    books = BUNDLED / "main.journal"
    for command in REPORTS:
        code, out, err = run(command, "2020", "-f", str(books), "--strict")
        assert (code, err) == (0, ""), command
        assert "preliminära" not in out
    monkeypatch.chdir(tmp_path)
    code, _, err = run("export", "2020", "-f", str(books), "--strict")
    assert (code, err) == (0, "")


# --- projects reconcile with result's Projekt line -------------------------------------

PROJECTS_2021 = """\
2021-01-01 Ingående balans
    tillgångar:bank   100 000,00 kr
    fonder:modellen  -100 000,00 kr
2021-03-01 * Details | kartor del 1  ; projekt:Kartor
    kostnader:drift:projekt   20 000,00 kr
    tillgångar:bank
2021-04-01 * Bisnode | analys  ; Projekt:Analys
    kostnader:drift:projekt   5 000,00 kr
    tillgångar:bank
2021-05-01 * Konsult AB | workshop
    kostnader:drift:projekt   12 000,00 kr
    tillgångar:bank
2021-06-01 * Konsult AB | lön
    kostnader:drift:personal   7 000,00 kr
    tillgångar:bank
"""


def projekt_line(main: Path, year: int) -> str:
    costs = ledger_json("result", year, main)["costs"]
    amount: str = next(c["amount"] for c in costs if c["name"] == "Projekt")
    return amount


def test_projects_count_every_cost_on_the_projekt_line(tmp_path: Path) -> None:
    main = write_books(tmp_path, PROJECTS_2021)
    code, out, err = run("projects", "2021", "-f", str(main))
    assert code == 0
    rows = [cells(x) for x in out.splitlines() if x.strip() and not x.strip().startswith("─")]
    assert [[c.strip() for c in r] for r in rows] == [
        ["Projekt 2021"],
        ["Projekt / leverantör", "Kostnad"],
        ["Kartor, Details", "20 000"],
        ["Details", "20 000"],
        ["Analys", "5 000"],
        ["Bisnode", "5 000"],
        ["utan projekt", "12 000"],
        ["Konsult AB", "12 000"],
        ["Summa", "37 000"],
        ["Summa = raden Projekt i Drift 2021 (ledger result 2021)."],
    ]
    journal = str(main)
    lines = main.read_text(encoding="utf-8").splitlines()
    tagged = lines.index("2021-04-01 * Bisnode | analys  ; Projekt:Analys") + 1
    untagged = lines.index("    kostnader:drift:projekt   12 000,00 kr") + 1
    assert err.splitlines() == [
        f"{journal}:{tagged}: warning: the tag Projekt: is counted as projekt:, the project tag "
        "of the settings; written so it is another tag (`hledger tags` lists both)",
        "   |",
        f"{tagged} | 2021-04-01 * Bisnode | analys  ; Projekt:Analys",
        "hint: write it projekt:Analys",
        f"{journal}:{untagged}: warning: a cost on the line Projekt of `ledger result` without a "
        'projekt: tag; `ledger projects` shows it as "utan projekt"',
        "   |",
        f"{untagged} |     kostnader:drift:projekt   12 000,00 kr",
        "hint: tag the transaction (or the posting) with projekt:NAME",
    ]
    data = ledger_json("projects", 2021, main)
    assert data["projects"][-1] == {
        "name": "utan projekt",
        "tag": None,
        "amount": "12000.00",
        "previous": None,
        "suppliers": [{"name": "Konsult AB", "amount": "12000.00", "previous": None}],
    }
    assert data["total"] == projekt_line(main, 2021) == "37000.00"
    assert data["result_lines"] == ["Projekt"] and data["outside_result_lines"] == "0.00"
    code, _, err = run("projects", "2021", "-f", str(main), "--strict")
    assert code == 1 and err.endswith("ledger: --strict: 2 warnings above; exit status 1\n")


def test_projects_summa_is_the_projekt_line_of_the_bundled_books() -> None:
    books = BUNDLED / "main.journal"
    assert ledger_json("projects", 2020, books)["total"] == projekt_line(books, 2020)


def test_a_tagged_cost_of_another_fund_is_said_to_be_outside_the_line(tmp_path: Path) -> None:
    main = write_books(
        tmp_path,
        PROJECTS_2021.split("2021-04-01")[0] + "2021-07-01 * Details | kartor  ; projekt:Kartor\n"
        "    kostnader:modellen   1 500,00 kr\n"
        "    tillgångar:bank\n",
    )
    code, out, err = run("projects", "2021", "-f", str(main))
    assert (code, err) == (0, "")
    assert row(out, "Kartor, Details") == ["Kartor, Details", "21 500"]
    assert out.rstrip().splitlines()[-1] == (
        "Summa = raden Projekt i Drift 2021 (ledger result 2021) och 1 500 kr på andra konton."
    )
    data = ledger_json("projects", 2021, main)
    assert D(data["total"]) - D(data["outside_result_lines"]) == D(projekt_line(main, 2021))


def test_the_project_sheet_has_the_untagged_row(tmp_path: Path) -> None:
    main = write_books(tmp_path, PROJECTS_2021)
    target = tmp_path / "out.xlsx"
    code, _, err = run("export", "2021", str(target), "-f", str(main))
    assert code == 0
    assert err.count("without a projekt: tag") == 1
    ws = openpyxl.load_workbook(target)["Projekt 2021"]
    rows = {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value}
    assert rows["utan projekt"] == 12000
    assert "Summa = raden Projekt i Drift 2021 (ledger result 2021)." in rows


# --- the balance sheet names what unbalances it ----------------------------------------

TYPO = """\
2021-01-01 Ingående balans
    tillgångar:bank   10 000,00 kr
    fonder:modellen  -10 000,00 kr
2021-03-01 * Konsult AB | workshop
    kostnader:modellen   1 200,00 kr
    tilgångar:bank
2021-05-01 Okänt
    tillgångar:bank   10,00 kr
    intäkter:okänt
"""


def test_the_balance_sheet_names_every_account_that_unbalances_it(tmp_path: Path) -> None:
    main = write_books(tmp_path, TYPO)
    code, out, err = run("balance", "2021", "-f", str(main))
    assert code == 1
    lines = out.rstrip().splitlines()
    assert lines[-2] == (
        "Kontroll: tillgångar = skulder + fonder stämmer INTE; skillnad 1 210,00 kr."
    )
    assert lines[-1] == (
        "Skillnaden kommer från konton som varken är tillgång, skuld eller fond: "
        "intäkter:okänt 10,00 kr, tilgångar:bank 1 200,00 kr."
    )
    assert err == (
        "ledger: warning: the balance sheet does not balance: assets − liabilities − funds = "
        "1 210,00 kr, from accounts that are neither assets, liabilities nor in a fund: "
        "intäkter:okänt 10,00 kr, tilgångar:bank 1 200,00 kr\n"
    )
    code, out, _ = run("balance", "2021", "-f", str(main), "--json")
    data = json.loads(out)
    assert code == 1 and data["difference"] == "1210.00"
    assert data["unbalanced_by"] == [
        {"account": "intäkter:okänt", "amount": "10.00"},
        {"account": "tilgångar:bank", "amount": "1200.00"},
    ]
    assert sum(D(x["amount"]) for x in data["unbalanced_by"]) == D(data["difference"])


def test_the_sammanstallning_warns_of_the_same_accounts(tmp_path: Path) -> None:
    main = write_books(tmp_path, TYPO)
    code, out, err = run("summary", "2021", "-f", str(main))
    assert code == 0
    assert err == (
        "ledger: warning: accounts in no fund, left out of the Sammanställning (add them "
        "to a [[funds]] entry in sodertorn.toml): intäkter:okänt\n"
        "ledger: warning: accounts of no class: neither assets, liabilities, funds, income "
        "nor costs (declare them with a type: tag, or correct the name): tilgångar:bank\n"
    )
    assert out.rstrip().splitlines()[-2:] == [
        "Konton utan fond, ej med i tabellen: intäkter:okänt",
        "Konton utan kontoklass, ej med i tabellen: tilgångar:bank",
    ]
    code, _, err = run("summary", "2021", "-f", str(main), "--strict")
    assert code == 1 and err.endswith("ledger: --strict: 2 warnings above; exit status 1\n")


def test_the_balance_sheet_of_the_workbook_names_them_too(tmp_path: Path) -> None:
    main = write_books(tmp_path, TYPO)
    target = tmp_path / "out.xlsx"
    code, _, err = run("export", "2021", str(target), "-f", str(main))
    assert code == 0 and "tilgångar:bank 1 200,00 kr" in err
    ws = openpyxl.load_workbook(target)["Balansräkning 2021"]
    notes = [r[0].value for r in ws.iter_rows() if r[0].value]
    assert notes[-1] == (
        "Skillnaden kommer från konton som varken är tillgång, skuld eller fond: "
        "intäkter:okänt 10,00 kr, tilgångar:bank 1 200,00 kr."
    )


# --- --strict --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [*REPORTS, "export"])
def test_every_report_has_strict_in_its_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "--strict" in out


def test_result_strict_on_an_account_without_a_line(tmp_path: Path) -> None:
    main = write_books(
        tmp_path,
        "2021-02-01 Resa\n    kostnader:drift:resor   50,00 kr\n    tillgångar:bank\n",
    )
    code, _, err = run("result", "2021", "-f", str(main))
    assert code == 0 and "kostnader:drift:resor" in err
    code, _, err = run("result", "2021", "-f", str(main), "--strict")
    assert code == 1 and err.endswith("ledger: --strict: 1 warning above; exit status 1\n")


# --- one zero style --------------------------------------------------------------------


def test_a_zero_line_of_the_result_is_blank_and_its_summa_shows_0(tmp_path: Path) -> None:
    main = write_books(
        tmp_path,
        "2021-02-01 Lön\n    kostnader:drift:personal   50,00 kr\n    tillgångar:bank\n"
        "2021-02-02 Rättelse\n    tillgångar:bank   50,00 kr\n    kostnader:drift:personal\n",
    )
    code, out, _ = run("result", "2021", "-f", str(main))
    assert code == 0
    assert row(out, "Summa") == ["Summa", "0", "0"]
    assert [x.strip() for x in out.splitlines() if x.strip().startswith("Personal")] == ["Personal"]
    target = tmp_path / "out.xlsx"
    assert run("export", "2021", str(target), "-f", str(main))[0] == 0
    ws = openpyxl.load_workbook(target)["Drift 2021"]
    personal = next(r for r in ws.iter_rows() if r[0].value == "Personal")
    assert personal[2].value is None  # blank, as the terminal shows it
    summa = next(r for r in ws.iter_rows() if r[0].value == "Summa")
    assert summa[2].number_format.count(";") == 1  # two sections: a zero shows as 0
