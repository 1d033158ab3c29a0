"""`ledger sie` and `ledger import`: the bundled books as an SIE file that agrees with the
trial balance and reads back, imports that book a file once, refusals that write nothing,
the three real files of tests/fixtures/sie/ imported, and the round trip (export, then
import into empty books: the same balances), on the bundled books and on generated ones."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bas_books import bas_account, write_bas_books
from conftest import require_program
from sodertorn_ledger.cli import app
from sodertorn_ledger.settings import load_settings
from sodertorn_ledger.sie import SieFile, read_sie, write_sie
from sodertorn_ledger.sie.model import FiscalYear, Row, Voucher

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"
FIXTURES = REPO / "tests" / "fixtures" / "sie"
REAL_FILES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix.casefold() == ".se")
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str | Path) -> Any:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def copy_books(folder: Path) -> Path:
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns(".*"))
    return folder / "main.journal"


def empty_books(folder: Path) -> Path:
    """The bundled books' declarations and settings, and no transactions."""
    folder.mkdir(parents=True)
    main = folder / "main.journal"
    text = (BUNDLED / "main.journal").read_text(encoding="utf-8")
    main.write_text(text.replace("include 2020.journal\n", ""), encoding="utf-8")
    shutil.copy(BUNDLED / "sodertorn.toml", folder / "sodertorn.toml")
    return main


def journals(main: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(main.parent.glob("*.journal"))}


def balances(main: Path, *year: str) -> dict[str, str]:
    data = run_json("accounts", *year, "-f", main)
    return {row["account"]: row["balance"] for row in data["accounts"]}


@pytest.fixture(scope="module")
def sie_2020(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled books of 2020 as `ledger sie 2020` writes them."""
    path = tmp_path_factory.mktemp("sie") / "sie-2020.se"
    code, out, err = run("sie", "2020", path, "-f", BUNDLED / "main.journal")
    assert (code, err) == (0, ""), err
    assert out == f"Wrote {path}: 31 accounts, 104 vouchers, #KSUMMA {read(path).checksum}\n"
    return path


def read(path: Path) -> SieFile:
    sie, problems = read_sie(path)
    assert sie is not None and problems == [], problems
    return sie


# -- ledger sie ------------------------------------------------------------------------------


def test_our_reader_reads_the_export_and_its_ksumma_verifies(sie_2020: Path) -> None:
    data = sie_2020.read_bytes()
    assert data.startswith(b"#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM sodertorn-ledger ")
    assert "Södertörnssamarbetet".encode("cp437") in data
    sie = read(sie_2020)
    assert sie.checksum is not None and sie.checksum == sie.checksum_computed
    assert (sie.sie_type, sie.format, sie.flag, sie.orgnr) == (4, "PC8", 0, "222000-1234")
    assert sie.generated == dt.date.today()
    assert len(sie.vouchers) == 104


@pytest.mark.parametrize("year", [["2020"], []])
def test_every_ub_and_res_is_ledger_accounts_through_the_numbers(
    sie_2020: Path, year: list[str]
) -> None:
    # The books start in 2020: the year's movements are the whole books' balances too.
    sie = read(sie_2020)
    numbers = load_settings(BUNDLED / "sodertorn.toml").sie
    expected: dict[str, Decimal] = {}
    for account, balance in balances(BUNDLED / "main.journal", *year).items():
        number = numbers.number_of(account)
        assert number is not None
        expected[number] = expected.get(number, Decimal(0)) + Decimal(balance)
    found = {a: x for (y, a), x in sie.closing.items() if y == 0}
    found.update({a: x for (y, a), x in sie.results.items() if y == 0})
    assert found == expected


def test_an_existing_file_is_kept_unless_force(tmp_path: Path) -> None:
    main = BUNDLED / "main.journal"
    target = tmp_path / "sie.se"
    target.write_bytes(b"mine")
    code, out, err = run("sie", "2020", target, "-f", main)
    assert (code, out) == (1, "")
    assert err == f"ledger: {target} already exists; use --force to overwrite it\n"
    assert target.read_bytes() == b"mine"
    assert run("sie", "2020", target, "--force", "-f", main)[0] == 0
    assert read(target).vouchers


def test_the_default_name_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = run_json("sie", "2020", "-f", BUNDLED / "main.journal")
    sie = read(tmp_path / "sie-2020.se")
    assert data == {
        "year": 2020,
        "path": "sie-2020.se",
        "accounts": 31,
        "vouchers": 104,
        "ksumma": sie.checksum,
    }


def test_source_date_epoch_makes_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612137600")
    main = BUNDLED / "main.journal"
    for name in ("a.se", "b.se"):
        assert run("sie", "2020", tmp_path / name, "-f", main)[0] == 0
    assert (tmp_path / "a.se").read_bytes() == (tmp_path / "b.se").read_bytes()
    assert read(tmp_path / "a.se").generated == dt.date(2021, 2, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run("sie", "2020", tmp_path / "c.se", "-f", main)
    assert code == 1 and "SOURCE_DATE_EPOCH" in err
    assert not (tmp_path / "c.se").exists()


def test_text_pc8_cannot_hold_is_written_in_its_characters_and_said(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    with (main.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2020-12-30 * Leverantör – Euro | Licens 10 €\n"
            "    kostnader:drift:program och licenser                    10,00 kr\n"
            "    skulder:leverantörsskulder\n"
        )
    code, _, err = run("sie", "2020", tmp_path / "x.se", "-f", main)
    assert code == 0, err
    assert "written with '–' as '-', '€' as 'EUR'" in err
    line = err.split(": warning: #VER A 103:")[0].rpartition(":")[2]
    assert f'{line} | #VER A 103 20201230 "Leverantör - Euro | Licens 10 EUR"\n' in err
    texts = {v.text for v in read(tmp_path / "x.se").vouchers}
    assert "Leverantör - Euro | Licens 10 EUR" in texts


def test_accounts_without_a_number_write_nothing(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    settings = main.parent / "sodertorn.toml"
    text = settings.read_text(encoding="utf-8")
    for line in ('"tillgångar:bank" = "1930"\n', '"skulder:skatteverket" = "2710"\n'):
        text = text.replace(line, "")
    settings.write_text(text, encoding="utf-8")
    code, out, err = run("sie", "2020", tmp_path / "x.se", "-f", main)
    assert (code, out) == (1, "")
    assert "account skulder:skatteverket (Källskatt och arbetsgivaravgifter att betala)" in err
    assert "account tillgångar:bank (Bankkonto, all money of the cooperation)" in err
    assert err.endswith("ledger: no SIE file of 2020: 2 problems above; nothing was written\n")
    assert not (tmp_path / "x.se").exists()


# -- ledger import ---------------------------------------------------------------------------


def host_file(path: Path, *vouchers: Voucher, **header: Any) -> Path:
    """An SIE 4 file of the host municipality, written by our own writer."""
    sie = SieFile(
        program="Lönesystemet",
        generated=dt.date(2021, 2, 3),
        orgnr="212000-0142",
        company_name="Värdkommunen",
        years={0: FiscalYear(dt.date(2021, 1, 1), dt.date(2021, 12, 31))},
        accounts={"1930": "Bank", "2710": "Källskatt", "5011": "Månadslön", "5411": "Avgifter"},
        vouchers=vouchers,
    )._replace(**header)
    data, problems = write_sie(sie, str(path))
    assert data is not None, problems
    path.write_bytes(data)
    return path


def salary(number: str, day: dt.date, *rows: tuple[str, str]) -> Voucher:
    return Voucher("L", number, day, "Löner", tuple(Row(a, (), Decimal(x)) for a, x in rows))


SALARIES = (
    salary("1", dt.date(2021, 1, 25), ("5010", "100.00"), ("2710", "-30.00"), ("1930", "-70.00")),
    salary("2", dt.date(2021, 2, 25), ("5410", "31.42"), ("1930", "-31.42")),
)


def test_an_import_books_a_file_once(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    file = host_file(tmp_path / "lon.se", *SALARIES)
    code, out, err = run("import", file, "--dry-run", "-f", main)
    assert code == 0, err
    assert "+2021-01-25 * Löner  ; ver:L-1, sie:212000-0142\n" in out
    assert not (main.parent / "2021.journal").exists()
    first = run_json("import", file, "-f", main)
    assert (first["vouchers"], first["imported"], first["already_imported"]) == (2, 2, 0)
    assert (first["year"], first["target"]) == ([2021], [str(main.parent / "2021.journal")])
    after = journals(main)
    again = run_json("import", file, "-f", main)
    assert (again["vouchers"], again["imported"], again["already_imported"]) == (2, 0, 2)
    assert journals(main) == after
    code, out, err = run("import", file, "-f", main)
    assert (code, err) == (0, "")
    assert out == f"{file}: 2 vouchers; nothing was imported; 2 in the books already.\n"
    assert balances(main, "2021") == {
        "kostnader:drift:personal:arbetsgivaravgifter": "31.42",
        "kostnader:drift:personal:löner": "100.00",
        "skulder:skatteverket": "-30.00",
        "tillgångar:bank": "-101.42",
    }
    # A file with one voucher more: that one is booked.
    more = salary("3", dt.date(2021, 3, 25), ("5010", "1.00"), ("1930", "-1.00"))
    bigger = host_file(tmp_path / "lon2.se", *SALARIES, more)
    code, out, err = run("import", bigger, "-f", main)
    assert out.endswith(
        f"imported 1 voucher into {main.parent / '2021.journal'}; 2 in the books already.\n"
    )


def refused(tmp_path: Path, main: Path, file: Path) -> str:
    before = journals(main)
    backups = sorted((main.parent / ".backup").glob("*"))
    code, out, err = run("import", file, "-f", main)
    assert (code, out) == (1, ""), err
    assert journals(main) == before
    assert sorted((main.parent / ".backup").glob("*")) == backups
    assert err.endswith("nothing was written\n"), err
    return err


def test_an_unbalanced_voucher_is_refused(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    file = host_file(tmp_path / "lon.se", *SALARIES)
    file.write_bytes(file.read_bytes().replace(b"-70.00", b"-71.00"))
    err = refused(tmp_path, main, file)
    assert "does not balance: its rows sum to -1.00" in err
    assert "#KSUMMA" in err  # the change broke the checksum too


def test_a_ksumma_that_does_not_match_is_refused(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    file = host_file(tmp_path / "lon.se", *SALARIES)
    file.write_bytes(file.read_bytes().replace(b"Bank", b"Banc"))
    err = refused(tmp_path, main, file)
    assert "does not match the file's records" in err


def test_every_unmapped_number_is_listed_and_nothing_written(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    rows = (("5011", "100.00"), ("5411", "31.42"), ("0027", "1.00"), ("1930", "-132.42"))
    file = host_file(tmp_path / "lon.se", salary("1", dt.date(2021, 1, 25), *rows))
    err = refused(tmp_path, main, file)
    assert "account 5011 (Månadslön) has no account of the books" in err
    assert "account 5411 (Avgifter) has no account of the books" in err
    assert "account 0027 has no account of the books" in err
    assert '    "5011" = "…"  # Månadslön\n    "5411" = "…"  # Avgifter\n    "0027" = "…"\n' in err
    assert not (main.parent / "2021.journal").exists()


def test_a_voucher_in_a_closed_year_is_refused(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    assert run("close", "2020", "-f", main)[0] == 0
    late = salary("9", dt.date(2020, 12, 30), ("5010", "1.00"), ("1930", "-1.00"))
    file = host_file(tmp_path / "lon.se", *SALARIES, late)
    err = refused(tmp_path, main, file)
    assert "2020 is closed (bokslut:2020 at" in err
    assert f"importing the voucher L 9 at {file}:" in err


def test_flagga_1_is_a_warning(tmp_path: Path) -> None:
    main = copy_books(tmp_path / "ledger")
    file = host_file(tmp_path / "lon.se", *SALARIES, flag=1)
    code, _, err = run("import", file, "-f", main)
    assert code == 0
    assert "warning: #FLAGGA 1: this file has already been imported somewhere" in err


# -- the real files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_a_real_file_is_imported_into_books_made_for_it(tmp_path: Path, name: str) -> None:
    sie, _ = read_sie(FIXTURES / name)
    assert sie is not None
    main = write_bas_books(tmp_path / "books", sie)
    data = run_json("import", FIXTURES / name, "-f", main)
    empty = sum(1 for v in sie.vouchers if not v.rows)
    assert data["vouchers"] == len(sie.vouchers)
    assert (data["imported"], data["already_imported"], data["empty"]) == (
        len(sie.vouchers) - empty,
        0,
        empty,
    )
    assert data["opening"] is True
    years = sorted({v.date.year for v in sie.vouchers})
    assert data["year"] == years
    assert data["target"] == [str(main.parent / f"{y}.journal") for y in years]
    # Every account ends where the file says: #UB of balance accounts, #RES of the others.
    found = balances(main)
    for (year, number), amount in (*sie.closing.items(), *sie.results.items()):
        if year == 0:
            assert Decimal(found.get(bas_account(number), "0")) == amount, number
    again = run_json("import", FIXTURES / name, "-f", main)
    assert (again["imported"], again["already_imported"]) == (0, len(sie.vouchers) - empty)


@pytest.mark.parametrize("name", REAL_FILES)
def test_hledger_checks_the_books_after_an_import(tmp_path: Path, name: str) -> None:
    hledger = require_program("hledger")
    sie, _ = read_sie(FIXTURES / name)
    assert sie is not None
    main = write_bas_books(tmp_path / "books", sie)
    assert run("import", FIXTURES / name, "-f", main)[0] == 0
    done = subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_hledger_checks_the_bundled_books_after_an_import(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    main = copy_books(tmp_path / "ledger")
    assert run("import", host_file(tmp_path / "lon.se", *SALARIES), "-f", main)[0] == 0
    done = subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_a_fiscal_year_across_two_years_goes_to_two_journals(tmp_path: Path) -> None:
    name = "norstedts-bokslut-2011_SIE4E_ksumma.se"
    sie, _ = read_sie(FIXTURES / name)
    assert sie is not None
    main = write_bas_books(tmp_path / "books", sie)
    code, out, err = run("import", FIXTURES / name, "-f", main)
    assert code == 0, err
    assert "the fiscal year 2009-07-01 to 2010-06-30 is in 2 calendar years" in err
    assert "3 without rows, nothing to book" in out
    text = (main.parent / "2009.journal").read_text(encoding="utf-8")
    assert "2009-07-01 * Ingående balans 2009/2010  ; sie:556639-1537\n" in text
    assert "include 2009.journal\ninclude 2010.journal\n" in main.read_text(encoding="utf-8")


# -- the round trip --------------------------------------------------------------------------


def round_trip(main: Path, year: int, folder: Path) -> Path:
    """`ledger sie YEAR` of the books at `main`, imported into empty books; their main."""
    file = folder / f"sie-{year}.se"
    code, _, err = run("sie", str(year), file, "-f", main)
    assert code == 0, err
    empty = empty_books(folder / "empty")
    code, _, err = run("import", file, "-f", empty)
    assert code == 0, err
    return empty


def test_the_bundled_books_round_trip(tmp_path: Path) -> None:
    main = BUNDLED / "main.journal"
    copy = round_trip(main, 2020, tmp_path)
    assert balances(copy) == balances(main)
    assert run_json("summary", "2020", "-f", copy) == run_json("summary", "2020", "-f", main)
    assert run_json("projects", "2020", "-f", copy) == run_json("projects", "2020", "-f", main)


LEAVES = [
    "tillgångar:bank",
    "tillgångar:kundfordringar",
    "skulder:leverantörsskulder",
    "fonder:södertörnsmodellen",
    "fonder:drift från 2019",
    "intäkter:drift:avgifter:salem",
    "intäkter:kommunikationsprojekt",
    "kostnader:drift:personal:löner",
    "kostnader:drift:projekt",
    "kostnader:södertörnskonferensen",
]
TEXT = st.text(st.sampled_from("abcåäöÅÄÖ |-–€0123456789,.()"), min_size=0, max_size=20).map(
    str.strip
)


@st.composite
def books_of_a_year(draw: st.DrawFn) -> str:
    """Transactions of 2020 on the bundled accounts: maybe an opening transaction, then
    balanced ones with any text, some of them with a project."""
    lines: list[str] = []
    if draw(st.booleans()):
        amount = draw(st.integers(1, 10**9))
        lines += [
            "2020-01-01 * Ingående balans 2020",
            f"    tillgångar:bank  {amount / 100:.2f} kr".replace(".", ","),
            "    fonder:södertörnsmodellen",
            "",
        ]
    for _ in range(draw(st.integers(0, 8))):
        day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
        text = draw(TEXT)
        project = draw(st.sampled_from(["", "Kartor", "Analys Great"]))
        tag = f"  ; projekt:{project}" if project else ""
        lines.append(f"{day.isoformat()} * {text or 'x'}{tag}".replace("(", "["))
        accounts = draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4))
        for account in accounts:
            cents = draw(st.integers(-(10**8), 10**8))
            lines.append(f"    {account}  {cents / 100:.2f} kr".replace(".", ","))
        lines += ["    tillgångar:bank", ""]
    return "\n".join(lines)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(transactions=books_of_a_year())
def test_generated_books_round_trip(tmp_path: Path, transactions: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    main = empty_books(folder / "books")
    (main.parent / "2020.journal").write_text(transactions, encoding="utf-8")
    with main.open("a", encoding="utf-8") as handle:
        handle.write("include 2020.journal\n")
    if not transactions:
        return  # no year to export
    copy = round_trip(main, 2020, folder)
    # Every account's balance; an account posted only with nothing (0,00 kr on the books'
    # opening transaction, which #IB leaves out) holds 0 as one never posted to.
    assert nonzero(balances(copy)) == nonzero(balances(main))


def nonzero(found: dict[str, str]) -> dict[str, str]:
    return {account: balance for account, balance in found.items() if Decimal(balance)}
