"""Books for the workbook tests: the bundled 2020 books, small books whose payees, tags and
accounts are spreadsheet formulas, and larger generated books; and running the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from report_books import SMALL_SETTINGS, write_books
from sodertorn_ledger.cli import app

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger" / "main.journal"

INJECTIONS = ('=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)")
"""Text that a spreadsheet would run as a formula if it were stored as one."""

# Every payload where the books carry text into the workbook: payee (Projekt: suppliers),
# project tag (Projekt: name), asset and liability account names (Balansräkning).
INJECTION_JOURNAL = """
2020-01-01 * Ingående balans 2020
    tillgångar:bank              1 000,00 kr
    fonder:modellen             -1 000,00 kr

2020-01-31 * Botkyrka kommun | Avgift 2020  ; avgift:2020, kommun:0127
    tillgångar:fordringar       378 424,00 kr
    intäkter:drift:avgifter:botkyrka

2020-03-01 * =HYPERLINK("http://x","y") | Faktura 1  ; projekt:-2+3
    kostnader:drift:projekt       1 234,56 kr
    tillgångar:@SUM(A1)

2020-03-02 * +cmd | Faktura 2  ; projekt:@SUM(A1)
    kostnader:drift:projekt         100,45 kr
    skulder:=1+1

2020-03-03 * -2+3 | Faktura 3  ; projekt:+cmd
    kostnader:drift:personal     10 000,01 kr
    skulder:+cmd

2020-06-30 * @SUM(A1) | Bidrag
    tillgångar:bank              50 000,00 kr
    intäkter:bidrag

2020-07-01 * Leverantör | Faktura 4  ; projekt:=HYPERLINK("http://x")
    kostnader:drift:projekt         200,00 kr
    tillgångar:bank
"""

POPULATION_CSV = "kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2019;94606\n"


def injection_books(folder: Path) -> Path:
    """Small books (one member, three funds) full of formula-looking text; main.journal."""
    path = write_books(folder, INJECTION_JOURNAL, SMALL_SETTINGS)
    (folder / "befolkning").mkdir()
    (folder / "befolkning" / "folkmangd.csv").write_text(POPULATION_CSV, encoding="utf-8")
    return path


def generated_books(folder: Path, n: int = 600, seed: int = 11) -> Path:
    """The benchmark's synthetic books (two years, a close, deficits and öre everywhere)
    with the bundled settings and SCB files beside them; main.journal."""
    from bench.generate import write_books as generate

    books = generate(folder, n, "sv", seed=seed)
    shutil.copy2(REPO / "ledger" / "sodertorn.toml", folder / "sodertorn.toml")
    shutil.copytree(REPO / "ledger" / "befolkning", folder / "befolkning")
    return books.main


runner = CliRunner()


def ledger(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def ledger_json(command: str, year: int, journal: Path, *extra: str) -> dict[str, Any]:
    """The tool's own JSON for a report (`ledger COMMAND YEAR --json`)."""
    code, out, err = ledger(command, str(year), "--json", "-f", str(journal), *extra)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def export(journal: Path, target: Path, *extra: str, year: int = 2020) -> tuple[int, str, str]:
    return ledger("export", str(year), str(target), "-f", str(journal), *extra)
