"""Hostile books through the real program: `ledger check -f …` and `ledger accounts --json
-f …`, each in a process of its own under a time limit and a memory limit.

Every case is made in a fresh folder (CR-only files, a 40-digit amount, 1 200 nested
includes, /dev/zero, a FIFO, a 300-character name, a zip, NUL bytes, a 2 GiB sparse file,
…). Each run must end within `TIMEOUT` seconds and `MEMORY` bytes of address space, with
the expected exit status and message, never a traceback, and print only printable text
and newlines; where the books must be read, the JSON must hold every transaction.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

TIMEOUT = 60  # seconds; each of these takes well under one on an idle machine
MEMORY = 768 * 2**20  # address space: a run takes about 300 MiB, the biggest file read 200
LEDGER = Path(sys.executable).parent / "ledger"
TXN = "2020-01-01 t\n    a  1 kr\n    b\n"


class Case(NamedTuple):
    name: str
    build: Callable[[Path], str]
    """Makes the books in the folder; returns what -f is given."""
    status: int
    shown: str
    """What `check` prints (stdout on success, stderr on an error), at least."""
    balances: dict[str, str] | None = None
    """`accounts --json`'s balances, when the books must be read."""


def _text(name: str, text: str, raw: bool = False) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        (folder / name).write_bytes(text.encode("latin-1" if raw else "utf-8"))
        return name

    return build


def _cr_only(folder: Path) -> str:
    text = "; exported from an old Mac\naccount a\n\n" + (TXN + "\n") * 105
    (folder / "main.journal").write_bytes(text.replace("\n", "\r").encode())
    return "main.journal"


def _deep(cycle: bool) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        for i in range(1200):
            (folder / f"f{i}.journal").write_text(f"include f{i + 1}.journal\n{TXN}")
        (folder / "f1200.journal").write_text(TXN + ("include f0.journal\n" if cycle else ""))
        return "f0.journal"

    return build


def _include(target: str, make: Callable[[Path], None] = lambda _: None) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        make(folder)
        (folder / "main.journal").write_text(f"{TXN}include {target}\n")
        return "main.journal"

    return build


def _given(target: str, make: Callable[[Path], None] = lambda _: None) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        make(folder)
        return target

    return build


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.journal")


def _symlink_to_zero(folder: Path) -> None:
    (folder / "zero.journal").symlink_to("/dev/zero")


def _folder(folder: Path) -> None:
    (folder / "2020").mkdir()


def _zip(folder: Path) -> None:
    with zipfile.ZipFile(folder / "budget.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 100)


def _utf16(folder: Path) -> None:
    (folder / "main.journal").write_bytes(TXN.encode("utf-16"))  # with its byte order mark


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with (folder / name).open("wb") as handle:
            handle.truncate(size)  # nothing written: a file of zeros, with no blocks

    return make


def _three_of_zeros(folder: Path) -> None:
    for name in ("a.dat", "b.dat", "c.dat"):
        _sparse(name, 200 * 2**20)(folder)


def _doubling(folder: Path) -> str:
    for i in range(20):
        (folder / f"f{i}.journal").write_text(f"include f{i + 1}.journal\n" * 2)
    (folder / "f20.journal").write_text(TXN)
    return "f0.journal"


LONG = "a" * 300 + ".journal"
LONGEST = "999 999 999 999 999,9999 kr"

CASES = [
    Case("cr-only", _cr_only, 0, "OK, 1 file, 105 transactions", {"a": "105.00", "b": "-105.00"}),
    Case(
        "mixed-line-ends",
        _text(
            "main.journal",
            "; c\r2020-01-01 a\n    x  5 kr\n    y\r\n2020-01-02 b\r    x  5 kr\r    y\r\r"
            "2020-01-03 bad\r    x  5 kr\r    y  3 kr\r",
        ),
        1,
        "main.journal:9: transaction does not balance: the amounts add up to 8 kr\n"
        "  |\n9 | 2020-01-03 bad\n",
    ),
    Case(
        "crlf-latin1",
        _text("main.journal", "; ok\r\n2020-01-01 Tyresö\r\n    a  1 kr\r\n    b\r\n", raw=True),
        1,
        "main.journal:2:17: the file is not UTF-8 (byte 0xf6)\n  |\n2 | 2020-01-01 Tyres\\xf6\n",
    ),
    Case(
        "amount-40-digits",
        _text("main.journal", "2020-01-01 t\n    a  " + "1234567890" * 4 + " kr\n    b\n"),
        1,
        "main.journal:2:8: the amount has more than 15 digits before the decimal mark",
    ),
    Case(
        "amount-sum-beyond-28-digits",
        _text(
            "main.journal",
            "2020-01-02 u\n    a  10000000000000000000000000000.01 kr\n"
            "    b  -10000000000000000000000000000 kr\n",
        ),
        1,
        "main.journal:2:8: the amount has more than 15 digits before the decimal mark",
    ),
    Case(
        "amount-5-decimals",
        _text("main.journal", "2020-01-01 t\n    a  1 kr = 0,00001 kr\n    b\n"),
        1,
        "main.journal:2:15: the amount has more than 4 decimals",
    ),
    Case(
        "longest-amounts-summed",
        _text(
            "main.journal",
            "decimal-mark ,\n"
            + f"2020-01-01 t\n    a  {LONGEST}\n    b  -{LONGEST}\n    c  0,0001 kr\n    d\n" * 30,
        ),
        0,
        "OK, 1 file, 30 transactions",
        {
            "a": "29999999999999999.997",
            "b": "-29999999999999999.997",
            "c": "0.003",
            "d": "-0.003",
        },
    ),
    Case("includes-1200-deep", _deep(cycle=False), 0, "OK, 1201 files, 1201 transactions"),
    Case(
        "include-cycle-1200-deep",
        _deep(cycle=True),
        1,
        "f1200.journal:4:9: include cycle: f0.journal is already being read",
    ),
    Case(
        "include-dev-zero",
        _include("/dev/zero"),
        1,
        "main.journal:4:9: cannot read /dev/zero: it is a device, not a journal file",
    ),
    Case(
        "include-symlink-to-dev-zero",
        _include("zero.journal", _symlink_to_zero),
        1,
        "main.journal:4:9: cannot read zero.journal: it is a device, not a journal file",
    ),
    Case("given-dev-zero", _given("/dev/zero"), 1, "ledger: no journal file at /dev/zero"),
    Case(
        "given-symlink-to-dev-zero",
        _given("zero.journal", _symlink_to_zero),
        1,
        "ledger: no journal file at zero.journal",
    ),
    Case(
        "include-fifo",
        _include("pipe.journal", _fifo),
        1,
        "main.journal:4:9: cannot read pipe.journal: it is a named pipe (FIFO), not a journal file",
    ),
    Case("given-fifo", _given("pipe.journal", _fifo), 1, "ledger: no journal file at pipe.journal"),
    Case(
        "include-folder",
        _include("2020", _folder),
        1,
        "main.journal:4:9: cannot read 2020: it is a directory, not a journal file",
    ),
    Case("given-folder", _given("2020", _folder), 1, "ledger: no journal file at 2020"),
    Case(
        "include-300-character-name",
        _include(LONG),
        1,
        f"main.journal:4:9: cannot read {LONG}: File name too long",
    ),
    Case(
        "given-300-character-name",
        _given(LONG),
        1,
        f"ledger: cannot read the journal {LONG}: File name too long",
    ),
    Case(
        "include-xlsx",
        _include("budget.xlsx", _zip),
        1,
        "main.journal:4:9: cannot read budget.xlsx: it is not a text file "
        "(it is a zip archive, such as an Excel workbook)",
    ),
    Case(
        "given-xlsx",
        _given("budget.xlsx", _zip),
        1,
        "budget.xlsx: cannot read budget.xlsx: it is not a text file (it is a zip archive",
    ),
    Case(
        "nul-byte",
        _text("main.journal", "; ok\n2020-01-01 t\x00\n    a  1 kr\n    b\n"),
        1,
        "main.journal: cannot read main.journal: it is not a text file (a NUL byte on line 2)",
    ),
    Case(
        "utf-16",
        _given("main.journal", _utf16),
        1,
        "cannot read main.journal: it is not a text file (it is UTF-16 text: save it as UTF-8)",
    ),
    Case(
        "include-2-gib-sparse",
        _include("disk.img", _sparse("disk.img", 2 * 2**30)),
        1,
        "main.journal:4:9: cannot read disk.img: it is more than 256 MiB, "
        "the most a journal file may be",
    ),
    Case(
        "given-2-gib-sparse",
        _given("disk.journal", _sparse("disk.journal", 2 * 2**30)),
        1,
        "disk.journal: cannot read disk.journal: it is more than 256 MiB",
    ),
    Case(
        "books-over-512-mib",
        _include("*.dat", _three_of_zeros),
        1,
        "main.journal:4: cannot read c.dat: the books would be more than 512 MiB in all with it",
    ),
    Case(
        "includes-that-double",
        _doubling,
        1,
        "f19.journal:1:9: cannot read f20.journal: the books have read 10000 files already, "
        "the most they may",
    ),
    Case(
        "200000-comment-blocks",
        _text("main.journal", "comment\nend comment\n" * 200_000 + TXN),
        0,
        "OK, 1 file, 1 transactions",
        {"a": "1.00", "b": "-1.00"},
    ),
    Case(
        "a-line-of-a-million-spaces",
        _text("main.journal", "2020-01-01 t\n    * a" + " a" * 1_000_000 + "\t  5 kr\n    b\n"),
        0,
        "OK, 1 file, 1 transactions",
    ),
    Case(
        "a-name-of-a-million-numbers",
        _text("main.journal", "2020-01-01 t\n    a" + " 1,5" * 1_000_000 + "  5 kr\n    b\n"),
        1,
        "main.journal:2:4000002: the amount '1,5' is read as part of the account name",
    ),
    Case(
        "terminal-escapes",
        _text(
            "main.journal",
            "2020-01-01 \x1b[2J\x1b]0;pwned\x07 t\n    \x1b[31ma  1 kr\n    b  1 kr\n",
        ),
        1,
        "main.journal:1: transaction does not balance: the amounts add up to 2 kr\n"
        "  |\n1 | 2020-01-01 \\x1b[2J\\x1b]0;pwned\\x07 t\n",
    ),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_ledger(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `ledger` program in `folder`, within the time and memory limits."""
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_FILE"}
    command = [str(LEDGER)] if LEDGER.is_file() else [sys.executable, "-m", "sodertorn_ledger"]
    try:
        return subprocess.run(
            [*command, *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=TIMEOUT,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"ledger {' '.join(args)} hung (over {TIMEOUT} s)") from None


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "MemoryError" not in output, output[-3000:]
    odd = {c for c in output if c != "\n" and not c.isprintable()}
    assert not odd, f"unprintable characters in the output: {odd}"


def test_the_corpus_names_each_case_once() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_books(tmp_path: Path, case: Case) -> None:
    given = case.build(tmp_path)

    checked = run_ledger(tmp_path, "check", "-f", given)
    assert_clean(checked)
    assert checked.returncode == case.status, checked.stderr[-3000:]
    assert case.shown in (checked.stdout if case.status == 0 else checked.stderr)

    listed = run_ledger(tmp_path, "accounts", "--json", "-f", given)
    assert_clean(listed)
    assert listed.returncode == case.status, listed.stderr[-3000:]
    if case.status:
        assert listed.stdout == ""
        assert case.shown in listed.stderr
        return
    rows = json.loads(listed.stdout)["accounts"]
    balances = {row["account"]: row["balance"] for row in rows}
    assert sum(Decimal(b) for b in balances.values()) == 0
    if case.balances is not None:
        assert balances == case.balances
