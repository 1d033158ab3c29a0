"""Small books written inside the report tests: a journal and its sodertorn.toml."""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.settings import Settings, load_settings

SMALL_SETTINGS = """\
organisation = "Testsamarbetet"
currency = "kr"

[fees]
receivable_account = "tillgångar:fordringar"

[fees.rates]
"2019" = "4.00"

[[members]]
code = "0127"
name = "Botkyrka"
fee_account = "intäkter:drift:avgifter:botkyrka"

[[funds]]
name = "Drift"
income = ["intäkter:drift"]
costs = ["kostnader:drift"]
result_account = "fonder:drift från {year}"

[[funds]]
name = "Modellen"
note = "en fotnot"
account = "fonder:modellen"
income = ["intäkter:modellen"]
costs = ["kostnader:modellen"]

[[funds]]
name = "Bidrag"
note = "en annan fotnot"
account = "fonder:bidrag"
income = ["intäkter:bidrag"]
costs = ["kostnader:bidrag"]

[result]
income = [{ name = "Avgifter", accounts = ["intäkter:drift:avgifter"] }]
costs = [
    { name = "Personal", accounts = ["kostnader:drift:personal"] },
    { name = "Projekt", accounts = ["kostnader:drift:projekt"] },
]

[projects]
tag = "projekt"

[projects.names]
"Kartor" = "Kartor, Details"
"""

HEADER = """\
decimal-mark ,
account tillgångar  ; type:A
account skulder  ; type:L
account fonder  ; type:E
account intäkter  ; type:R
account kostnader  ; type:X
account fonder:bidrag
account fonder:modellen
account intäkter:bidrag
account intäkter:drift:avgifter:botkyrka
account intäkter:modellen
account kostnader:bidrag
account kostnader:drift:personal
account kostnader:drift:projekt
account kostnader:modellen
account tillgångar:fordringar
"""
"""The account classes, and every account SMALL_SETTINGS names: the commands check that
the settings name accounts of the books."""


def write_books(folder: Path, journal: str, settings: str = SMALL_SETTINGS) -> Path:
    """main.journal (HEADER + `journal`) and sodertorn.toml in `folder`; the journal's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "main.journal"
    path.write_text(HEADER + journal, encoding="utf-8")
    (folder / "sodertorn.toml").write_text(settings, encoding="utf-8")
    return path


def small_books(folder: Path, journal: str) -> tuple[Journal, Settings]:
    path = write_books(folder, journal)
    books = load_journal(path)
    assert books.errors == [], books.errors
    return books, load_settings(folder / "sodertorn.toml")
