"""`ledger population` and `ledger fees` through the CLI, on a copy of the bundled books."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import require_program
from sodertorn_ledger.cli import app
from sodertorn_ledger.journal.loader import load_journal

runner = CliRunner()
BUNDLED = Path(__file__).resolve().parent.parent / "ledger"
SCB_FILE = "BE0101N1_20210222-093741.csv"


@pytest.fixture
def books(tmp_path: Path) -> Path:
    shutil.copytree(BUNDLED, tmp_path / "ledger", ignore=shutil.ignore_patterns(".backup"))
    return tmp_path / "ledger" / "main.journal"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def fees_json(books: Path, year: int) -> dict[str, object]:
    code, out, err = run("fees", str(year), "--json", "-f", str(books))
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def add_year_journal(books: Path, year: int) -> Path:
    path = books.parent / f"{year}.journal"
    path.write_text(f"; Södertörnssamarbetet, räkenskaper {year}.\n", encoding="utf-8")
    with books.open("a", encoding="utf-8") as handle:
        handle.write(f"include {year}.journal\n")
    return path


INVOICED_2021 = {
    "population": 507552,
    "fee": "2030208.00",
    "booked": "2030208.00",
    "difference": "0.00",
    "paid": "0.00",
    "unpaid": "2030208.00",
}
"""The 2021 fees as `fees --book` invoices them: nothing is paid yet."""


# --- fees -----------------------------------------------------------------------------------


def test_fees_2020_matches_the_published_total_and_the_books(books: Path) -> None:
    data = fees_json(books, 2020)
    assert data["year"] == 2020 and data["population_date"] == "2019-12-31"
    assert data["rate"] == "4.00"
    members = data["members"]
    assert isinstance(members, list)
    assert members[0] == {
        "code": "0127",
        "name": "Botkyrka",
        "population": 94606,
        "fee": "378424.00",
        "booked": "378424.00",
        "difference": "0.00",
        "paid": "378424.00",
        "unpaid": "0.00",
    }
    assert [m["code"] for m in members] == [
        "0127", "0136", "0126", "0140", "0192", "0128", "0181", "0138"
    ]  # fmt: skip
    assert all(m["difference"] == "0.00" for m in members)
    # Nykvarn pays in January 2021: in the books of 2020 its fee waits on the receivable.
    assert {m["code"]: m["unpaid"] for m in members if m["unpaid"] != "0.00"} == {
        "0140": "44056.00"
    }
    assert data["total"] == {
        "population": 503200,
        "fee": "2012800.00",
        "booked": "2012800.00",
        "difference": "0.00",
        "paid": "1968744.00",
        "unpaid": "44056.00",
    }
    assert data["credits"] == []


def test_fees_2021_and_2019_totals(books: Path) -> None:
    total_2021 = fees_json(books, 2021)["total"]
    assert isinstance(total_2021, dict)
    assert total_2021["population"] == 507552 and total_2021["fee"] == "2030208.00"
    assert total_2021["booked"] == "0.00" and total_2021["difference"] == "-2030208.00"
    total_2019 = fees_json(books, 2019)["total"]
    assert isinstance(total_2019, dict)
    assert total_2019["population"] == 496201 and total_2019["fee"] == "1984804.00"


def test_fees_table_in_swedish(books: Path) -> None:
    code, out, _ = run("fees", "2020", "-f", str(books))
    assert code == 0
    assert "Avgifter 2020: 4 kr per invånare, folkmängd 2019-12-31" in out
    for label in ("Kod", "Kommun", "Folkmängd", "Avgift", "Bokfört", "Differens", "Betalt"):
        assert label in out
    summa = next(line for line in out.splitlines() if "Summa" in line)
    assert summa.split() == [
        "Summa", "503", "200", "2", "012", "800", "2", "012", "800", "0", "1", "968", "744",
        "44", "056",
    ]  # fmt: skip
    nykvarn = next(line for line in out.splitlines() if "Nykvarn" in line)
    assert nykvarn.split()[-4:] == ["0", "0", "44", "056"]  # Differens, Betalt, Obetalt
    assert SCB_FILE in out


def test_missing_member_figure_is_an_error_naming_member_date_and_folder(books: Path) -> None:
    scb = books.parent / "befolkning" / SCB_FILE
    lines = scb.read_bytes().split(b"\r\n")
    scb.write_bytes(b"\r\n".join(line for line in lines if b"0140 Nykvarn" not in line))
    code, _, err = run("fees", "2020", "-f", str(books))
    assert code == 1
    assert "0140 Nykvarn" in err and "2019-12-31" in err
    assert str(books.parent / "befolkning") in err


def test_conflicting_files_name_both(books: Path) -> None:
    folder = books.parent / "befolkning"
    (folder / "egen.csv").write_text("kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2019;94600\n")
    code, _, err = run("fees", "2020", "-f", str(books))
    assert code == 1
    assert f"{folder / 'egen.csv'}:2:" in err
    assert f"{folder / SCB_FILE}:4" in err and "94600" in err and "94606" in err


def test_unreadable_file_is_an_error_naming_it(books: Path) -> None:
    bad = books.parent / "befolkning" / "tabell.px"
    bad.write_text('CHARSET="ANSI";\nSTUB="region";\n', encoding="ascii")
    code, _, err = run("population", "-f", str(books))
    assert code == 1
    assert str(bad) in err and "PC-Axis" in err


def test_no_rate_for_the_year(books: Path) -> None:
    code, _, err = run("fees", "2018", "-f", str(books))
    assert code == 1 and "no fee rate for 2018" in err


# --- population -----------------------------------------------------------------------------


def test_population_json_per_member_with_source(books: Path) -> None:
    code, out, err = run("population", "2019", "--json", "-f", str(books))
    assert code == 0, err
    data = json.loads(out)
    (date,) = data["dates"]
    assert date["date"] == "2019-12-31" and date["total"] == 503200
    assert date["members"][0] == {
        "code": "0127",
        "name": "Botkyrka",
        "population": 94606,
        "file": str(books.parent / "befolkning" / SCB_FILE),
        "line": 4,
        "place": None,
    }


def test_population_all_years_table(books: Path) -> None:
    code, out, _ = run("population", "-f", str(books))
    assert code == 0
    for title, total in (("2018", "496 201"), ("2019", "503 200"), ("2020", "507 552")):
        assert f"Folkmängd 31 december {title}" in out
        assert total in out
    assert "Källa" in out and SCB_FILE in out


def test_population_year_not_found(books: Path) -> None:
    code, _, err = run("population", "2023", "-f", str(books))
    assert code == 1 and "2023" in err and "2019-12-31" in err


# --- booking --------------------------------------------------------------------------------


def test_book_2020_changes_nothing_the_bundled_fees_are_invoiced(books: Path) -> None:
    journal = books.parent / "2020.journal"
    before = journal.read_bytes()
    code, out, err = run("fees", "2020", "--book", "-f", str(books))
    assert code == 0, err
    assert "already invoiced for 2020" in out
    assert "0127 Botkyrka: already invoiced for 2020" in err
    assert journal.read_bytes() == before


def test_book_2021_dry_run_then_book_then_idempotent(books: Path) -> None:
    journal = add_year_journal(books, 2021)
    before = journal.read_bytes()
    code, dry, err = run(
        "fees", "2021", "--book", "--date", "2021-01-29", "--dry-run", "-f", str(books)
    )
    assert code == 0, err
    assert journal.read_bytes() == before
    assert dry.startswith(
        "2021-01-29 * Botkyrka kommun | Avgift 2021, 94 847 invånare à 4 kr"
        "  ; avgift:2021, kommun:0127\n"
        "    tillgångar:kundfordringar                           379 388,00 kr\n"
        "    intäkter:drift:avgifter:botkyrka                   -379 388,00 kr\n\n"
    )
    assert dry.count("avgift:2021") == 8

    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    assert "Booked 8 invoices" in out
    after = journal.read_text(encoding="utf-8")
    assert after == before.decode("utf-8") + "\n" + dry  # exactly what the dry run showed

    loaded = load_journal(books, strict=True)
    assert loaded.errors == []
    data = fees_json(books, 2021)
    assert data["total"] == INVOICED_2021

    code, out, err = run("fees", "2021", "--book", "-f", str(books))
    assert code == 0 and "nothing was booked" in out
    assert journal.read_text(encoding="utf-8") == after


def test_booked_journal_passes_hledger_check(books: Path) -> None:
    hledger = require_program("hledger")
    add_year_journal(books, 2021)
    code, _, err = run("fees", "2021", "--book", "--date", "2021-02-01", "-f", str(books))
    assert code == 0, err
    check = subprocess.run(
        [hledger, "-f", str(books), "check", "--strict"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    bal = subprocess.run(
        [hledger, "-f", str(books), "balance", "intäkter:drift:avgifter", "-p", "2021", "-N",
         "--depth", "3"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert bal.returncode == 0, bal.stderr
    assert "-2 030 208,00 kr" in bal.stdout


def test_book_only_members_not_yet_invoiced(books: Path) -> None:
    journal = books.parent / "2020.journal"
    text = journal.read_text(encoding="utf-8")
    # Nykvarn's invoice loses its fee tag: it no longer counts as invoiced for 2020.
    text = text.replace("; avgift:2020, kommun:0140", "; kommun:0140")
    journal.write_text(text, encoding="utf-8")
    assert fees_json(books, 2020)["total"] == {
        "population": 503200,
        "fee": "2012800.00",
        "booked": "1968744.00",
        "difference": "-44056.00",
        "paid": "1968744.00",
        "unpaid": "0.00",
    }
    code, out, err = run(
        "fees", "2020", "--book", "--date", "2020-12-30", "--dry-run", "-f", str(books)
    )
    assert code == 0, err
    assert out.count("avgift:2020") == 1 and "kommun:0140" in out
    assert "0127 Botkyrka: already invoiced" in err


def test_book_refuses_a_date_outside_the_year_and_a_journal_not_included(books: Path) -> None:
    code, _, err = run("fees", "2020", "--book", "--date", "2021-01-01", "-f", str(books))
    assert code == 1 and "not in 2020" in err
    code, _, err = run("fees", "2020", "--dry-run", "-f", str(books))
    assert code == 2 and "--book" in err  # a usage error
    # A ledger/2021.journal that is not the books': nothing is written beside it.
    other = books.parent / "2021.journal"
    other.write_text("; mina anteckningar\n", encoding="utf-8")
    before = books.read_bytes()
    for dry in ([], ["--dry-run"]):
        code, out, err = run("fees", "2021", "--book", *dry, "-f", str(books))
        assert code == 1 and out == ""
        assert f"{other}: {other} exists but {books} does not include it" in err
        assert "hint: if it holds the books of 2021, add `include 2021.journal` to" in err
        assert err.endswith("ledger: refused to book the fees of 2021; nothing was written\n")
    assert books.read_bytes() == before
    assert other.read_text(encoding="utf-8") == "; mina anteckningar\n"


def test_book_keeps_the_journals_crlf_line_endings(books: Path) -> None:
    journal = add_year_journal(books, 2021)
    journal.write_bytes(b"; 2021\r\n; no final newline")
    code, _, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    data = journal.read_bytes()
    assert data.startswith(b"; 2021\r\n; no final newline\r\n\r\n2021-01-29 * Botkyrka kommun")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert fees_json(books, 2021)["total"] == INVOICED_2021


# --- a new year in one step -------------------------------------------------------------------


def files_of(books: Path) -> dict[str, bytes]:
    """The books' files (backups and the lock file apart)."""
    return {p.name: p.read_bytes() for p in books.parent.iterdir() if p.is_file()}


def test_book_before_the_years_file_exists_opens_the_year(books: Path) -> None:
    hledger = require_program("hledger")
    new = books.parent / "2021.journal"
    assert not new.exists()
    before = files_of(books)

    # The dry run shows both edits, as a diff, and writes nothing.
    code, dry, err = run(
        "fees", "2021", "--book", "--date", "2021-01-29", "--dry-run", "-f", str(books)
    )
    assert code == 0, err
    assert files_of(books) == before and not new.exists()
    assert dry.startswith(f"--- /dev/null\n+++ {new}\n@@ -0,0 +1,38 @@\n")
    assert dry.count("avgift:2021") == 8
    assert f"--- {books}\n+++ {books}\n" in dry and dry.endswith("+include 2021.journal\n")
    assert err == (
        f"(dry run: nothing written; would have created {new} and included it from "
        f"{books}, and appended 8 invoices to it)\n"
    )
    code, out, err = run(
        "fees", "2021", "--book", "--date", "2021-01-29", "--dry-run", "--json", "-f", str(books)
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] and data["created"] and data["include_added"]
    assert data["file"] == str(new) and len(data["booked"]) == 8

    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    assert out == (
        f"created {new} and included it from {books}\nBooked 8 invoices for 2021 in {new}.\n"
    )
    text = new.read_text(encoding="utf-8")
    # The header a close writes for a new year: one rule in one place.
    assert text.startswith(
        "; Södertörnssamarbetet, räkenskaper 2021.\n;\n"
        "; There is no opening transaction: the opening balances of 2021 are the\n"
    )
    assert books.read_text(encoding="utf-8").endswith(
        "include 2020.journal\ninclude 2021.journal\n"
    )
    # What the dry run showed is what was written.
    import difflib

    shown = "".join(difflib.unified_diff([], text.splitlines(keepends=True), "/dev/null", str(new)))
    assert dry.startswith(shown)
    assert load_journal(books, strict=True).errors == []
    assert fees_json(books, 2021)["total"] == INVOICED_2021

    # Running it again books nothing and opens nothing.
    written = files_of(books)
    code, out, err = run("fees", "2021", "--book", "-f", str(books))
    assert code == 0 and "nothing was booked" in out and "created" not in out
    assert files_of(books) == written

    # The close of 2020 finds 2021 open already: it adds the declaration only.
    code, out, err = run("close", "2020", "-f", str(books))
    assert code == 0, err
    assert f"wrote {books}: account fonder:drift från 2020 added\n" in out
    assert f"wrote {new}" not in out
    assert new.read_text(encoding="utf-8") == text
    assert books.read_text(encoding="utf-8").count("include 2021.journal") == 1
    code, out, err = run("check", "--strict", "-f", str(books))
    assert code == 0, err
    check = subprocess.run(
        [hledger, "-f", str(books), "check", "--strict"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    code, out, err = run("summary", "2021", "-f", str(books), "--json")
    assert code == 0, err
    rows = {f["name"]: f for f in json.loads(out)["funds"]}
    assert rows["Södertörnssamarbetet drift från 2020"]["opening"] == "188431.60"
    assert rows["Södertörnssamarbetet drift"]["income"] == "2030208.00"


def test_a_years_file_a_stopped_run_left_is_included(books: Path) -> None:
    # A close or fees --book killed after making the file, before including it.
    from sodertorn_ledger.close import render_next_year

    new = books.parent / "2021.journal"
    new.write_text(render_next_year(2021, "Södertörnssamarbetet"), encoding="utf-8")
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    assert out.startswith(f"included {new} from {books}\nBooked 8 invoices")
    assert load_journal(books, strict=True).errors == []


def test_a_years_file_an_include_pattern_takes_in(books: Path) -> None:
    text = books.read_text(encoding="utf-8")
    books.write_text(text.replace("include 2020.journal", "include 20*.journal"), encoding="utf-8")
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    assert out.startswith(f"created {books.parent / '2021.journal'} (an include in {books}")
    assert "include 2021.journal" not in books.read_text(encoding="utf-8")
    assert fees_json(books, 2021)["total"] == INVOICED_2021


def test_book_into_a_closed_year_is_refused(books: Path) -> None:
    # 2021 booked (its fees and a cost) and closed, then its fees booked again with one
    # member's invoice lost: a writer never writes into a closed year.
    code, _, err = run("fees", "2021", "--book", "--date", "2021-01-29", "-f", str(books))
    assert code == 0, err
    new = books.parent / "2021.journal"
    with new.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-06-30 * Löner\n    kostnader:drift:personal:löner  1 500 000,00 kr\n"
            "    tillgångar:bank\n"
        )
    assert run("close", "2020", "-f", str(books))[0] == 0
    code, _, err = run("close", "2021", "-f", str(books))
    assert code == 0, err
    new.write_text(
        new.read_text(encoding="utf-8").replace("avgift:2021, kommun:0140", "kommun:0140"),
        encoding="utf-8",
    )
    before = files_of(books)
    closing = (
        new.read_text(encoding="utf-8")
        .split("\n")
        .index("2021-12-31 * Bokslut 2021  ; bokslut:2021")
        + 1
    )
    for dry in (["--dry-run"], []):
        code, out, err = run("fees", "2021", "--book", *dry, "-f", str(books))
        assert code == 1 and out == ""
        assert err.endswith(
            f"{new}:{closing}: 2021 is closed (bokslut:2021 at {new}:{closing}): fees --book, "
            "with invoices dated 2021-01-01, would change a closed year\n"
            f"{' ' * len(str(closing))} |\n{closing} | 2021-12-31 * Bokslut 2021  ; bokslut:2021\n"
            "hint: book it in 2022, the open year, instead; or reopen 2021 first "
            '(docs/close.md, "Correcting a closed year")\n'
            "ledger: refused to book the fees of 2021; nothing was written\n"
        ), err
    assert files_of(books) == before
    # The report of the year still reads (and shows the invoice that is not tagged).
    assert fees_json(books, 2021)["total"] == {
        **INVOICED_2021,
        "booked": "1985320.00",
        "difference": "-44888.00",
        "unpaid": "1985320.00",
    }


# --- paid and unpaid --------------------------------------------------------------------------


def unpaid_json(books: Path, *args: str) -> dict[str, Any]:
    code, out, err = run("fees", "--unpaid", *args, "--json", "-f", str(books))
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def fees_of(books: Path, year: int) -> dict[str, Any]:
    data: dict[str, Any] = fees_json(books, year)
    return data


def line_of(path: Path, text: str) -> int:
    """The line of `path` that starts with `text` (counted from 1)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(text))


def pay_in_2021(books: Path, *transactions: str) -> Path:
    """2020 closed, as in the yearly workflow, then payments booked in 2021.journal."""
    code, _, err = run("close", "2020", "-f", str(books))
    assert code == 0, err
    journal = books.parent / "2021.journal"
    with journal.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"\n{t}" for t in transactions))
    return journal


def nykvarn_pays(date: str, amount: str, tags: str = "kommun:0140") -> str:
    return (
        f"{date} * Nykvarns kommun | Inbetalning avgift 2020  ; {tags}\n"
        f"    tillgångar:bank                                       {amount} kr\n"
        f"    tillgångar:kundfordringar                            -{amount} kr\n"
    )


def test_the_2020_fee_of_nykvarn_is_unpaid_at_the_end_of_2020(books: Path) -> None:
    journal = books.parent / "2020.journal"
    data = unpaid_json(books, "--to", "2020-12-31")
    assert data == {
        "date": "2020-12-31",
        "unpaid": [
            {
                "year": 2020,
                "code": "0140",
                "name": "Nykvarn",
                "invoice_date": "2020-01-31",
                "days": 335,
                "amount": "44056.00",
                "file": str(journal),
                "line": line_of(journal, "2020-01-31 * Nykvarns kommun | Avgift 2020"),
            }
        ],
        "total": "44056.00",
        "credits": [],
    }
    # Before the invoices nothing is owed; the default date is today.
    assert unpaid_json(books, "--to", "2020-01-30")["unpaid"] == []
    assert unpaid_json(books)["date"] == dt.date.today().isoformat()


def test_the_unpaid_total_is_the_receivables_balance_in_hledger(books: Path) -> None:
    hledger = require_program("hledger")
    for date in ("2020-01-31", "2020-02-27", "2020-12-31"):
        total = unpaid_json(books, "--to", date)["total"]
        day_after = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
        bal = subprocess.run(
            [hledger, "-f", str(books), "balance", "tillgångar:kundfordringar", "-e", day_after,
             "-N", "--layout", "bare", "-c", "1.00", "--output-format", "csv"],
            capture_output=True,
            text=True,
        )  # fmt: skip
        assert bal.returncode == 0, bal.stderr
        amount = bal.stdout.splitlines()[1].split('","')[-1].strip('"').replace(",", ".")
        assert Decimal(amount) == Decimal(total), (date, bal.stdout)


def test_paid_once_the_2021_payment_is_booked(books: Path) -> None:
    pay_in_2021(books, nykvarn_pays("2021-01-29", "44 056,00"))
    data = fees_of(books, 2020)
    assert data["total"]["paid"] == "2012800.00" and data["total"]["unpaid"] == "0.00"
    members = {m["code"]: m for m in data["members"]}
    assert members["0140"]["paid"] == "44056.00" and members["0140"]["unpaid"] == "0.00"
    assert unpaid_json(books, "--to", "2021-12-31")["unpaid"] == []
    # The state at a date: at the end of 2020 it is still unpaid.
    assert unpaid_json(books, "--to", "2020-12-31")["total"] == "44056.00"
    code, out, err = run("fees", "--unpaid", "--to", "2021-01-29", "-f", str(books))
    assert code == 0 and err == ""
    assert "Obetalda avgifter 29 januari 2021" in out
    assert "Alla fakturerade avgifter är betalda." in out
    assert next(line for line in out.splitlines() if "Summa" in line).split() == ["Summa", "0"]


def test_a_partial_payment_and_one_tagged_with_its_year(books: Path) -> None:
    pay_in_2021(
        books,
        nykvarn_pays("2021-01-29", "20 000,00"),
        nykvarn_pays("2021-02-26", "24 056,00", "kommun:0140, avgift:2020"),
    )
    (owed,) = unpaid_json(books, "--to", "2021-01-31")["unpaid"]
    assert (owed["code"], owed["amount"], owed["days"]) == ("0140", "24056.00", 366)
    assert unpaid_json(books, "--to", "2021-02-26")["unpaid"] == []
    code, out, _ = run("fees", "--unpaid", "--to", "2021-01-31", "-f", str(books))
    assert code == 0
    row = next(line for line in out.splitlines() if "Nykvarn" in line)
    journal = books.parent / "2020.journal"
    invoiced = line_of(journal, "2020-01-31 * Nykvarns kommun")
    assert row.split() == [
        "2020", "0140", "Nykvarn", "2020-01-31", "366", "24", "056", f"{journal}:{invoiced}"
    ]  # fmt: skip


def test_an_overpayment_is_a_credit_for_the_next_fee(books: Path) -> None:
    pay_in_2021(books, nykvarn_pays("2021-01-29", "50 000,00"))
    data = fees_of(books, 2020)
    members = {m["code"]: m for m in data["members"]}
    assert members["0140"]["paid"] == "44056.00" and members["0140"]["unpaid"] == "0.00"
    credit = [{"code": "0140", "name": "Nykvarn", "amount": "5944.00"}]
    assert data["credits"] == credit
    assert unpaid_json(books, "--to", "2021-01-29")["credits"] == credit
    code, out, _ = run("fees", "2020", "-f", str(books))
    assert code == 0
    assert (
        "Tillgodo (betalt utöver avgifterna, räknas av mot nästa avgift): 0140 Nykvarn 5 944 kr"
        in out
    )
    # The 2021 fees booked: the credit pays Nykvarn's first.
    code, _, err = run("fees", "2021", "--book", "--date", "2021-02-01", "-f", str(books))
    assert code == 0, err
    data = fees_of(books, 2021)
    assert data["credits"] == []
    members = {m["code"]: m for m in data["members"]}
    assert members["0140"]["paid"] == "5944.00" and members["0140"]["unpaid"] == "38944.00"
    unpaid = unpaid_json(books, "--to", "2021-03-03")["unpaid"]
    assert [(u["code"], u["days"]) for u in unpaid][:2] == [("0127", 30), ("0136", 30)]
    assert len(unpaid) == 8 and unpaid[3]["amount"] == "38944.00"


def test_a_payment_that_is_no_members_is_a_warning(books: Path) -> None:
    journal = pay_in_2021(books, nykvarn_pays("2021-01-29", "44 056,00", "kommun:140"))
    line = line_of(journal, "    tillgångar:kundfordringar")
    for args in (["2020"], ["--unpaid", "--to", "2021-12-31"]):
        code, _, err = run("fees", *args, "-f", str(books))
        assert code == 0
        assert err.startswith(
            f"{journal}:{line}: warning: a payment on tillgångar:kundfordringar that pays no "
            "member's fee: kommun:140 is no member's\n"
        )
        assert "hint: tag the payment kommun:CODE with the member's code" in err
    code, _, err = run("fees", "--unpaid", "--to", "2021-12-31", "--strict", "-f", str(books))
    assert code == 1 and "unpaid fee" in err


def test_strict_exits_1_while_a_fee_is_unpaid(books: Path) -> None:
    code, out, err = run("fees", "--unpaid", "--to", "2020-12-31", "--strict", "-f", str(books))
    assert code == 1 and "Nykvarn" in out
    assert err == "ledger: --strict: 1 unpaid fee above; exit status 1\n"
    code, _, err = run("fees", "--unpaid", "--to", "2020-01-30", "--strict", "-f", str(books))
    assert (code, err) == (0, "")


def test_a_fee_booked_straight_to_the_bank_is_warned_about(books: Path) -> None:
    journal = books.parent / "2020.journal"
    text = journal.read_text(encoding="utf-8")
    journal.write_text(
        text.replace(
            "    tillgångar:kundfordringar                             44 056,00 kr\n",
            "    tillgångar:bank                                       44 056,00 kr\n",
        ),
        encoding="utf-8",
    )
    code, _, err = run("fees", "--unpaid", "--to", "2020-12-31", "-f", str(books))
    assert code == 0
    assert "ledger: warning: −44 056,00 kr of the balance of tillgångar:kundfordringar" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2020", "--unpaid"], "YEAR or --unpaid, not both"),
        ([], "give the fee YEAR"),
        (["2020", "--to", "2020-12-31"], "--to and --strict go with --unpaid"),
        (["2020", "--strict"], "--to and --strict go with --unpaid"),
        (["--unpaid", "--book"], "go with YEAR, not with --unpaid"),
        (["--unpaid", "--to", "2020-12-32"], "--to '2020-12-32' is not a date"),
    ],
)
def test_usage_errors(books: Path, args: list[str], message: str) -> None:
    code, out, err = run("fees", *args, "-f", str(books))
    assert code == 2 and out == ""
    assert message in err
