"""The report commands through the CLI: every published figure of chapter 7 from the
bundled books, in the table and in the JSON, and the edge cases of the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import require_program
from manual import assert_shows, page
from report_books import SMALL_SETTINGS, write_books
from sodertorn_ledger.cli import app
from sodertorn_ledger.money import format_sv

runner = CliRunner()
BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"
M = "−"  # the minus sign the tables print

SUMMARY_ROWS = [
    ["Södertörnssamarbetet drift", "2 012 800", f"{M}1 824 368", "188 432"],
    ["Södertörnsmodellen", "521 307", f"{M}1 450", "519 857"],
    ["Kommunikationsprojekt ¹⁾", "50 500", "50 500"],
    ["Södertörnskonferensen"],
    ["Bidrag från Tillväxtverket ²⁾", "277 793", "277 793"],
    ["Södertörnssamarbetet drift från 2019", "233 696", "233 696"],
    ["Södertörnssamarbetet drift från 2018", "110 853", "110 853"],
    ["Summa", "1 143 649", "2 063 300", f"{M}1 825 818", "1 381 130"],
]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def cells(line: str) -> list[str]:
    """A table row's non-empty cells (columns are two or more spaces apart)."""
    return [c for c in re.split(r"\s{2,}", line.strip()) if c]


def rows_of(output: str) -> list[list[str]]:
    return [cells(line) for line in output.splitlines() if line.strip()]


def test_summary_table_every_published_cell() -> None:
    code, out, err = run("summary", "2020", "-f", str(BOOKS))
    assert code == 0, err
    rows = rows_of(out)
    assert rows[0] == ["Sammanställning 2020"]
    assert rows[1] == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
    ]
    body = [r for r in rows if not r[0].startswith(("─", "¹", "²"))][2:]
    assert body == SUMMARY_ROWS
    assert "¹⁾ medel som överförts från Nynäshamn 28 jan 2020" in out.splitlines()
    assert "²⁾ avser systemanalysen från 2019" in out.splitlines()
    assert err == ""


def test_summary_columns_line_up() -> None:
    # Each figure sits in its column: the right edge of a cell is its heading's.
    _, out, _ = run("summary", "2020", "-f", str(BOOKS))
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("Fond"))
    ub_end = header.index("Utgående balans 2020") + len("Utgående balans 2020")
    costs_end = header.index("Kostnader") + len("Kostnader")
    drift = next(line for line in lines if line.strip().startswith("Södertörnssamarbetet drift "))
    assert drift[:ub_end].endswith("188 432")
    assert drift[:costs_end].endswith(f"{M}1 824 368")
    modellen = next(line for line in lines if "Södertörnsmodellen" in line)
    ib_end = header.index("Ingående balans 2020") + len("Ingående balans 2020")
    assert modellen[:ib_end].endswith("521 307")


def test_summary_json_exact() -> None:
    code, out, _ = run("summary", "2020", "-f", str(BOOKS), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["year"] == 2020
    assert data["funds"][0] == {
        "name": "Södertörnssamarbetet drift",
        "note": None,
        "opening": "0.00",
        "income": "2012800.00",
        "costs": "-1824368.40",
        "transfers": "0.00",
        "closing": "188431.60",
        "previous": None,  # the books start in 2020: no year before to compare with
    }
    assert [(f["name"], f["note"]) for f in data["funds"]] == [
        ("Södertörnssamarbetet drift", None),
        ("Södertörnsmodellen", None),
        ("Kommunikationsprojekt", "medel som överförts från Nynäshamn 28 jan 2020"),
        ("Södertörnskonferensen", None),
        ("Bidrag från Tillväxtverket", "avser systemanalysen från 2019"),
        ("Södertörnssamarbetet drift från 2019", None),
        ("Södertörnssamarbetet drift från 2018", None),
    ]
    assert set(data) == {"year", "provisional", "funds", "total", "previous"}
    assert data["previous"] is None
    assert data["provisional"] is False  # the books start in 2020: nothing before to close
    assert data["total"] == {
        "opening": "1143648.60",
        "income": "2063300.00",
        "costs": "-1825818.40",
        "transfers": "0.00",
        "closing": "1381130.20",
    }
    for fund in data["funds"]:
        assert set(fund) == {
            "name",
            "note",
            "opening",
            "income",
            "costs",
            "transfers",
            "closing",
            "previous",
        }
        assert Decimal(fund["closing"]) == (
            Decimal(fund["opening"]) + Decimal(fund["income"]) + Decimal(fund["costs"])
        )
        assert fund["transfers"] == "0.00"


def test_summary_ore_shows_exact_amounts() -> None:
    code, out, _ = run("summary", "2020", "-f", str(BOOKS), "--ore")
    assert code == 0
    rows = rows_of(out)
    assert ["Södertörnssamarbetet drift", "2 012 800,00", f"{M}1 824 368,40", "188 431,60"] in rows
    assert ["Summa", "1 143 648,60", "2 063 300,00", f"{M}1 825 818,40", "1 381 130,20"] in rows


RESULT_ROWS = [
    ["Intäkt kommunerna", "2 012 800"],
    ["Personalkostnader", "1 444 300"],
    ["Kommunikation, Tele/IT", "5 489"],
    ["Resor och Logi", "330"],
    ["Representation", "31 637"],
    ["Program o Licenser", "1 663"],
    ["Övriga avgifter", "116"],
    ["Övriga konsulter", "10 938"],
    ["Övriga kostnader", "9 596"],
    ["Projekt", "320 300"],
    ["Summa", "2 012 800", "1 824 368"],
    ["Årets överskott", "188 432"],
]


def test_result_table_every_published_line() -> None:
    code, out, err = run("result", "2020", "-f", str(BOOKS))
    assert code == 0, err
    rows = [r for r in rows_of(out) if not r[0].startswith("─")]
    assert rows[0] == ["Södertörnssamarbetet drift 2020"]
    assert rows[1] == ["Intäkter", "Kostnader"]
    assert rows[2:] == RESULT_ROWS
    # Costs sit in the Kostnader column, income in Intäkter.
    lines = out.splitlines()
    header = next(line for line in lines if "Kostnader" in line)
    personal = next(line for line in lines if "Personalkostnader" in line)
    assert personal.rstrip().endswith("1 444 300")
    assert len(personal.rstrip()) == header.index("Kostnader") + len("Kostnader")


def test_result_json() -> None:
    code, out, _ = run("result", "2020", "-f", str(BOOKS), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["income"] == [
        {"name": "Intäkt kommunerna", "amount": "2012800.00", "previous": None}
    ]
    assert [c["name"] for c in data["costs"]] == [r[0] for r in RESULT_ROWS[1:10]]
    assert data["total"] == {"income": "2012800.00", "costs": "1824368.40"}
    assert data["result"] == "188431.60"
    assert sum(Decimal(c["amount"]) for c in data["costs"]) == Decimal("1824368.40")


def test_result_detail_the_postings_under_each_line_make_the_published_figure() -> None:
    code, out, err = run("result", "2020", "-f", str(BOOKS), "--detail", "--json")
    assert code == 0, err
    data = json.loads(out)
    lines = [*data["income"], *data["costs"]]
    published = {row[0]: row[1] for row in RESULT_ROWS[:10]}
    for line in lines:
        total = sum((Decimal(p["amount"]) for p in line["postings"]), Decimal(0))
        assert total == Decimal(line["amount"]), line["name"]
        assert format_sv(total) == published[line["name"]], line["name"]
        assert set(line["postings"][0]) == {
            "date",
            "description",
            "account",
            "amount",
            "file",
            "line",
        }
    # Without --detail the JSON is as before.
    plain = json.loads(run("result", "2020", "-f", str(BOOKS), "--json")[1])
    assert "postings" not in plain["costs"][0]

    code, out, _ = run("result", "2020", "-f", str(BOOKS), "--detail")
    assert code == 0
    rows = [r for r in rows_of(out) if not r[0].startswith("─")]
    # Every published line is there, each followed by its postings, indented.
    assert [r for r in rows if not r[0][:1].isdigit()][2:] == RESULT_ROWS
    at = rows.index(["Representation", "31 637"])
    assert rows[at + 1 : at + 5] == [
        [
            "2020-01-20",
            "Balingsholms gård | Samarbetskommitténs planeringskonferens 16 januari",
            "kostnader:drift:representation",
            "12 400",
        ],
        [
            "2020-03-23",
            "Balingsholms gård | Inställt möte med Region Stockholm 19 mars",
            "kostnader:drift:representation",
            "4 351",
        ],
        [
            "2020-08-31",
            "Balingsholms gård | Möte nätverken kommunikationschefer och näringslivschefer",
            "kostnader:drift:representation",
            "7 286",
        ],
        [
            "2020-09-14",
            "Balingsholms gård | Ledningsgruppens planeringskonferens 10 september",
            "kostnader:drift:representation",
            "7 600",
        ],
    ]
    line = next(line for line in out.splitlines() if "2020-01-20" in line)
    assert line.startswith("    2020-01-20")  # under the line names
    header = next(line for line in out.splitlines() if "Kostnader" in line)
    assert len(line.rstrip()) == header.index("Kostnader") + len("Kostnader")


def test_summary_detail_each_fund_with_its_postings_in_their_columns() -> None:
    code, out, err = run("summary", "2020", "-f", str(BOOKS), "--detail", "--json")
    assert code == 0, err
    data = json.loads(out)
    for fund in data["funds"]:
        for column in ("income", "costs", "transfers"):
            found = [Decimal(p["amount"]) for p in fund["postings"] if p["column"] == column]
            assert sum(found, Decimal(0)) == Decimal(fund[column]), (fund["name"], column)
    assert [len(f["postings"]) for f in data["funds"]] == [69, 1, 1, 0, 0, 0, 0]
    code, out, _ = run("summary", "2020", "-f", str(BOOKS), "--detail")
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("Fond"))
    cost = next(line for line in lines if "kostnader:södertörnsmodellen" in line)
    assert cost.rstrip().endswith(f"{M}1 450")
    assert len(cost.rstrip()) == header.index("Kostnader") + len("Kostnader")
    income = next(line for line in lines if "intäkter:kommunikationsprojekt" in line)
    assert income.rstrip().endswith("50 500")
    assert len(income.rstrip()) == header.index("Intäkter") + len("Intäkter")


def test_projects_detail_each_supplier_with_its_postings() -> None:
    code, out, err = run("projects", "2020", "-f", str(BOOKS), "--detail", "--json")
    assert code == 0, err
    data = json.loads(out)
    great = data["projects"][0]["suppliers"][0]
    assert [(p["date"], p["amount"]) for p in great["postings"]] == [
        ("2020-05-29", "121400.00"),
        ("2020-10-30", "121400.00"),
    ]
    for project in data["projects"]:
        for supplier in project["suppliers"]:
            total = sum(Decimal(p["amount"]) for p in supplier["postings"])
            assert total == Decimal(supplier["amount"])
    code, out, _ = run("projects", "2020", "-f", str(BOOKS), "--detail")
    rows = [r for r in rows_of(out) if not r[0].startswith("─")]
    assert rows[3:6] == [
        ["Great", "242 800"],
        [
            "2020-05-29",
            "Great | Näringslivsanalys Södertörn, del 1",
            "kostnader:drift:projekt",
            "121 400",
        ],
        [
            "2020-10-30",
            "Great | Näringslivsanalys Södertörn, del 2",
            "kostnader:drift:projekt",
            "121 400",
        ],
    ]


def test_projects_table_and_json() -> None:
    code, out, err = run("projects", "2020", "-f", str(BOOKS))
    assert code == 0, err
    rows = [r for r in rows_of(out) if not r[0].startswith("─")]
    assert rows == [
        ["Projekt 2020"],
        ["Projekt / leverantör", "Kostnad"],
        ["Näringslivsanalyser Great", "242 800"],
        ["Great", "242 800"],
        ["Bisnode analys 2020", "55 000"],
        ["Bisnode Sverige AB", "55 000"],
        ["Produktion kartor, Details", "22 500"],
        ["Details", "22 500"],
        ["Summa", "320 300"],
        ["Summa = raden Projekt i Drift 2020 (ledger result 2020)."],
    ]
    code, out, _ = run("projects", "2020", "-f", str(BOOKS), "--json")
    data = json.loads(out)
    assert [(p["name"], p["amount"]) for p in data["projects"]] == [
        ("Näringslivsanalyser Great", "242800.00"),
        ("Bisnode analys 2020", "55000.00"),
        ("Produktion kartor, Details", "22500.00"),
    ]
    assert data["projects"][2]["tag"] == "Produktion kartor"
    assert data["projects"][0]["suppliers"] == [
        {"name": "Great", "amount": "242800.00", "previous": None}
    ]
    assert data["total"] == "320300.00"
    assert data["result_lines"] == ["Projekt"]
    assert data["outside_result_lines"] == "0.00"
    assert data["provisional"] is False


def test_balance_table_and_json() -> None:
    code, out, err = run("balance", "2020", "-f", str(BOOKS))
    assert code == 0, err
    rows = rows_of(out)
    assert rows[0] == ["Balansräkning 31 december 2020"]
    assert ["Kundfordringar", "44 056"] in rows
    assert ["Summa fonder", "1 381 130"] in rows
    for name, ub in [
        ("Södertörnssamarbetet drift", "188 432"),
        ("Södertörnsmodellen", "519 857"),
        ("Kommunikationsprojekt", "50 500"),
        ("Södertörnskonferensen", "0"),
        ("Bidrag från Tillväxtverket", "277 793"),
        ("Södertörnssamarbetet drift från 2019", "233 696"),
        ("Södertörnssamarbetet drift från 2018", "110 853"),
    ]:
        assert [name, ub] in rows
    total_assets = next(r for r in rows if r[0] == "Summa tillgångar")
    total_both = next(r for r in rows if r[0] == "Summa skulder och fonder")
    assert total_assets[1] == total_both[1]
    assert "Kontroll: tillgångar = skulder + fonder, stämmer." in out
    data = json.loads(run("balance", "2020", "-f", str(BOOKS), "--json")[1])
    assert data["balanced"] is True and data["difference"] == "0.00"
    assert data["total"]["funds"] == "1381130.20"
    assert data["total"]["assets"] == data["total"]["liabilities_and_funds"]
    assert Decimal(data["total"]["assets"]) == sum(Decimal(a["amount"]) for a in data["assets"])


@pytest.mark.parametrize("command", ["summary", "result", "projects", "balance"])
def test_a_year_without_transactions_is_a_clear_message(command: str) -> None:
    code, out, err = run(command, "2019", "-f", str(BOOKS))
    assert code == 1
    assert out == ""
    assert err == f"ledger: no transactions in 2019 in {BOOKS} (the books have 2020)\n"


@pytest.mark.parametrize("command", ["summary", "result", "projects", "balance"])
def test_every_report_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert f"ledger {command} 2020" in out
    assert "--ore" in out and "--json" in out


def test_bad_settings_name_the_file_and_key(tmp_path: Path) -> None:
    path = write_books(
        tmp_path,
        "2021-01-01 X\n    tillgångar:bank   1,00 kr\n    intäkter:bidrag\n",
        SMALL_SETTINGS.replace('code = "0127"', 'code = "12"'),
    )
    code, out, err = run("summary", "2021", "-f", str(path))
    assert code == 1 and out == ""
    assert f"{tmp_path / 'sodertorn.toml'}:" in err
    assert "members[1].code: expected the SCB kommunkod" in err
    assert "Traceback" not in err


def test_missing_settings(tmp_path: Path) -> None:
    path = write_books(
        tmp_path, "2021-01-01 X\n    tillgångar:bank   1,00 kr\n    intäkter:bidrag\n"
    )
    (tmp_path / "sodertorn.toml").unlink()
    code, _, err = run("balance", "2021", "-f", str(path))
    assert code == 1
    assert "no settings file" in err


def test_unassigned_accounts_warn_and_unbalance(tmp_path: Path) -> None:
    path = write_books(
        tmp_path, "2021-05-01 Okänt\n    tillgångar:bank   10,00 kr\n    intäkter:okänt\n"
    )
    code, _, err = run("summary", "2021", "-f", str(path))
    assert code == 0
    assert "accounts in no fund" in err and "intäkter:okänt" in err
    code, out, err = run("balance", "2021", "-f", str(path))
    assert code == 1
    assert "stämmer INTE; skillnad 10,00 kr" in out
    assert "intäkter:okänt" in err


def test_deficit_year_says_underskott(tmp_path: Path) -> None:
    path = write_books(
        tmp_path,
        "2021-02-01 Avgift\n    tillgångar:bank   100,00 kr\n    intäkter:drift:avgifter:botkyrka\n"
        "2021-03-01 Lön\n    kostnader:drift:personal   250,25 kr\n    tillgångar:bank\n",
    )
    code, out, _ = run("result", "2021", "-f", str(path))
    assert code == 0
    assert ["Årets underskott", f"{M}150"] in rows_of(out)
    code, out, _ = run("result", "2021", "-f", str(path), "--ore")
    assert ["Årets underskott", f"{M}150,25"] in rows_of(out)


def _hledger_amount(text: str) -> Decimal:
    number = text.replace("kr", "").replace(" ", "").replace("\u00a0", "").strip()
    return Decimal(number.replace(",", ".")) if number else Decimal(0)


def test_hledger_agrees_with_ledger_accounts_on_the_bundled_books() -> None:
    hledger = require_program("hledger")
    done = subprocess.run(
        [hledger, "-f", str(BOOKS), "bal", "-O", "csv", "--no-total"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["account", "balance"]
    theirs = {account: _hledger_amount(balance) for account, balance in rows[1:]}
    code, out, err = run("accounts", "-f", str(BOOKS), "--json")
    assert code == 0, err
    ours = {a["account"]: Decimal(a["balance"]) for a in json.loads(out)["accounts"]}
    ours = {a: b for a, b in ours.items() if b != 0}
    assert ours == theirs
    assert len(ours) == 31


def test_hledger_checks_the_bundled_books() -> None:
    hledger = require_program("hledger")
    done = subprocess.run(
        [hledger, "-f", str(BOOKS), "check", "--strict"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", ["summary", "result", "projects", "balance"])
def test_every_report_is_in_the_manual_with_its_real_output(command: str) -> None:
    manual = page("commands.md")
    assert f"### `ledger {command}`\n" in manual
    _, out, _ = run(command, "2020", "-f", str(BOOKS))
    assert_shows(manual, f"ledger {command} 2020", out)
