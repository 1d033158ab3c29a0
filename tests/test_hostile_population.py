"""Hostile population files through the real CLI: never a traceback, a hang or runaway memory.

Each case puts one bad file (or a FIFO, a device, a folder, ...) in `befolkning/` of a copy
of the bundled books and runs `ledger population 2019` and `ledger fees 2020` as a
subprocess, under a time limit and an address-space limit. Each must exit 1 with the
case's expected lines on stderr (`{file}` is the file's path as printed), print nothing
but printable text and newlines, and leave the books as they were.

The small text files are committed in tests/hostile/population/ with NAME.expected beside
each; binary files, file-system oddities and the big files are made here at run time.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import resource
import shutil
import socket
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sodertorn_ledger.population.loader import read_file_bounded
from sodertorn_ledger.population.model import MAX_FILE_BYTES
from sodertorn_ledger.problems import Problem, printable

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "ledger"
CORPUS = Path(__file__).parent / "hostile" / "population"
TIMEOUT = 60.0
"""Seconds for one command; every case takes well under five."""
MEMORY = 1024 * 1024 * 1024
"""The address space one command may take (RLIMIT_AS): a reader that allocated by what a
file claims would fail here with a MemoryError traceback."""
COMMANDS = (("population", "2019"), ("fees", "2020"))

Make = Callable[[Path], None]


class Case(NamedTuple):
    name: str
    """The entry's name in befolkning/."""
    make: Make
    """Creates befolkning/NAME."""
    expected: tuple[str, ...]
    """Lines stderr must have, in order; ``{file}`` is the path as printed."""


# --- the committed text files ----------------------------------------------------------------


def _committed() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix == ".expected":
            continue
        expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8")
        lines = tuple(line for line in expected.splitlines() if not line.startswith("# "))
        cases.append(Case(path.name, _copy(path), lines))
    return cases


def _copy(source: Path) -> Make:
    def make(target: Path) -> None:
        target.write_bytes(source.read_bytes())

    return make


def _bytes(data: bytes | Callable[[], bytes]) -> Make:
    def make(target: Path) -> None:
        target.write_bytes(data if isinstance(data, bytes) else data())

    return make


# --- workbooks -------------------------------------------------------------------------------


def _workbook(cells: list[list[object]] | None = None, title: str = "Tabell 1") -> bytes:
    """SCB's table of folkmängd per kommun, as Excel saves it (openpyxl here)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    rows = cells or [
        ["Folkmängd per kommun 31 december 2019"],
        ["Kommun", "31 dec 2019"],
        ["Botkyrka", 94606],
        ["Haninge", 92095],
    ]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip with each part replaced by change(name, bytes); None leaves the part out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = change(info.filename, source.read(info))
            if part is not None:
                target.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_XML = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"%s<sheetData>%s</sheetData></worksheet>"
)


def _with_sheet(xml: bytes) -> Callable[[], bytes]:
    return lambda: _rezip(_workbook(), lambda name, part: xml if name == SHEET else part)


def _corrupt_deflate() -> bytes:
    data = bytearray(_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


def _padded_sheet(size: int) -> Callable[[], bytes]:
    """A workbook whose sheet unpacks to `size` bytes: a run of blanks after its XML."""

    def make() -> bytes:
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(_workbook())) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
        ):
            for info in source.infolist():
                part = source.read(info)
                if info.filename != SHEET:
                    target.writestr(info.filename, part)
                    continue
                with target.open(SHEET, "w", force_zip64=size > 2**31) as stream:
                    stream.write(part)
                    chunk = b" " * (1 << 20)
                    for _ in range((size - len(part)) // len(chunk)):
                        stream.write(chunk)
        return out.getvalue()

    return make


def _lying_sizes() -> bytes:
    """The sheet unpacks to 50 MB, but the zip's directory says 100 kB."""
    data = bytearray(_padded_sheet(50 * 1024 * 1024)())
    for offset in _central_entries(bytes(data)):
        name_len = struct.unpack("<H", data[offset + 28 : offset + 30])[0]
        if data[offset + 46 : offset + 46 + name_len] == SHEET.encode():
            data[offset + 24 : offset + 28] = struct.pack("<I", 100 * 1024)
    return bytes(data)


def _central_entries(data: bytes) -> list[int]:
    offsets = []
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        offsets.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return offsets


def _encrypted() -> bytes:
    """A part marked encrypted (general purpose flag bit 0), in both of its headers."""
    data = bytearray(_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(SHEET).header_offset
    data[local + 6] |= 1
    for offset in _central_entries(bytes(data)):
        name_len = struct.unpack("<H", data[offset + 28 : offset + 30])[0]
        if data[offset + 46 : offset + 46 + name_len] == SHEET.encode():
            data[offset + 8] |= 1
    return bytes(data)


def _many_parts() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"p{n}", b"")
    return out.getvalue()


BOTKYRKA: list[list[object]] = [["Folkmängd 2021"], ["Kommun", "2021"], ["Botkyrka", 94606]]
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
    + SHEET_XML % (b"", b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>')
)
HUGE_DIMENSION = SHEET_XML % (
    b'<dimension ref="A1:XFD1048576"/>',
    b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
)


# --- file-system entries ---------------------------------------------------------------------


def _fifo(target: Path) -> None:
    os.mkfifo(target)


def _symlink_to(source: str) -> Make:
    return lambda target: target.symlink_to(source)


def _socket(target: Path) -> None:
    # A socket's path has a short limit (about 100 bytes): bind by a name relative to the
    # folder, and leave the bound file behind as the entry.
    here = Path.cwd()
    os.chdir(target.parent)
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(target.name)
    finally:
        os.chdir(here)


def _folder(target: Path) -> None:
    target.mkdir()
    (target / "2018.csv").write_text("kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2018;93106\n")


def _sparse(size: int) -> Make:
    def make(target: Path) -> None:
        with target.open("wb") as handle:
            handle.truncate(size)

    return make


def _after_many_files(target: Path) -> None:
    """99 more files beside the bundled one, so that `target` is the 101st."""
    scb = next(target.parent.glob("BE0101N1_*.csv"))
    for n in range(1, 100):
        shutil.copy(scb, target.parent / f"kopia-{n:03d}.csv")
    shutil.copy(scb, target)


def _after_150_MB(target: Path) -> None:
    """A fourth file of 50 MB after three (and the bundled one): past the folder's 200 MB.
    They hold NULs only (each refused as binary, after it is read)."""
    for n in range(3):
        _sparse(MAX_FILE_BYTES)(target.parent / f"stor-{n}.csv")
    _sparse(MAX_FILE_BYTES)(target)


PLAIN = "kommunkod;kommun;år;folkmängd\n"


def _plain_rows(n: int, figure: str) -> Callable[[], bytes]:
    return lambda: (PLAIN + f"0127;Botkyrka;2021;{figure}\n" * n).encode()


def _wide_rows(n: int) -> Callable[[], bytes]:
    header = '"region","Folkmängd 2021","Folkmängd 2022"\n'
    return lambda: (header + '"0127 Botkyrka",94606,94847\n' * n).encode()


def _px_data(n: int) -> Callable[[], bytes]:
    head = (
        'CHARSET="ANSI";\nCODEPAGE="utf-8";\nCONTENTS="Folkmängd";\nSTUB="region";\n'
        'HEADING="år";\nVALUES("region")="0127 Botkyrka";\nVALUES("år")="2021";\nDATA=\n'
    )
    return lambda: head.encode() + b"1 " * n + b";\n"


def _px_cube(a: int, b: int) -> Callable[[], bytes]:
    def make() -> bytes:
        regions = ",".join(f'"{n:04d}"' for n in range(a))
        ages = ",".join(f'"{n}"' for n in range(b))
        return (
            'CHARSET="ANSI";\nCODEPAGE="utf-8";\nCONTENTS="Folkmängd";\n'
            'STUB="region","ålder";\nHEADING="år";\n'
            f'VALUES("region")={regions};\nVALUES("ålder")={ages};\nVALUES("år")="2021";\n'
            "DATA=\n1;\n"
        ).encode()

    return make


def _sparse_cube(*sizes: int) -> Callable[[], bytes]:
    """A sparse JSON-stat whose size (and categories, all there) make many cells, with one
    value."""
    import json

    def dimension(n: int) -> dict[str, object]:
        return {"category": {"index": [str(i) for i in range(n)]}}

    ids = ["Region", "Alder", "Tid"][: len(sizes)]
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängd",
        "id": ids,
        "size": list(sizes),
        "dimension": {i: dimension(n) for i, n in zip(ids, sizes, strict=True)},
        "value": {"0": 1},
    }
    return lambda: json.dumps(doc).encode()


GENERATED = [
    # Excel workbooks that are not readable
    Case(
        "trasig-deflate.xlsx",
        _bytes(_corrupt_deflate),
        (
            "{file}: not a readable Excel workbook (zlib.error: Error -3 while decompressing "
            "data: …",
        ),
    ),
    Case(
        "trasig-xml.xlsx",
        _bytes(_with_sheet(b"<worksheet><sheetData><row>")),
        ("{file}: not a readable Excel workbook (ParseError: no element found: …",),
    ),
    Case(
        "utan-workbook.xlsx",
        _bytes(lambda: _rezip(_workbook(), lambda n, p: None if n == "xl/workbook.xml" else p)),
        ("{file}: not a readable Excel workbook (KeyError: …",),
    ),
    Case(
        "halv.xlsx",
        _bytes(lambda: _workbook()[: len(_workbook()) // 2]),
        ("{file}: not a readable Excel workbook (BadZipFile: File is not a zip file)",),
    ),
    Case(
        "text.xlsx",
        _bytes(b"kommunkod;kommun;\xc3\xa5r;folkm\xc3\xa4ngd\n"),
        ("{file}: not a readable Excel workbook (BadZipFile: File is not a zip file)",),
    ),
    Case(
        "krypterad.xlsx",
        _bytes(_encrypted),
        ("{file}: not a readable Excel workbook (RuntimeError: File …",),
    ),
    Case(
        "billion-laughs.xlsx",
        _bytes(_with_sheet(BILLION_LAUGHS)),
        ("{file}: not a readable Excel workbook (…",),
    ),
    # Excel workbooks too big to unpack
    Case(
        "zip-bomb-261MB.xlsx",
        _bytes(_padded_sheet(261 * 1024 * 1024)),
        ("{file}: a workbook that unpacks to more than 100 MB: too large for a population file",),
    ),
    Case(
        "tätt-packad.xlsx",
        _bytes(_padded_sheet(20 * 1024 * 1024)),
        (
            "{file}: part 'xl/worksheets/sheet1.xml' unpacks to … MB, … times its packed size: "
            "refused as a zip bomb",
        ),
    ),
    Case(
        "ljuger-om-storleken.xlsx",
        _bytes(_lying_sizes),
        ("{file}: not a readable Excel workbook (…",),
    ),
    Case(
        "tiotusen-delar.xlsx",
        _bytes(_many_parts),
        ("{file}: a zip of more than 10 000 parts",),
    ),
    Case(
        "miljon-rader.xlsx",
        _bytes(_with_sheet(HUGE_DIMENSION)),
        (
            "{file}: sheet 'Tabell 1' has more than 1 000 000 cells (rows × columns): too large "
            "for a population file",
        ),
    ),
    # Excel workbooks with bad figures: the sheet and cell are named
    Case(
        "exponent.xlsx",
        _bytes(lambda: _workbook([*BOTKYRKA, ["Haninge", "4.2e4"]])),
        ("{file}: 'Tabell 1'!B4: '4.2e4' has an exponent: a figure is written out in digits",),
    ),
    Case(
        "utan-stilar.xlsx",
        _bytes(
            lambda: _rezip(
                _workbook([*BOTKYRKA, ["Haninge", "1e3"]]),
                lambda name, part: None if name == "xl/styles.xml" else part,
            )
        ),
        ("{file}: 'Tabell 1'!B4: '1e3' has an exponent: a figure is written out in digits",),
    ),
    Case(
        "upphöjt.xlsx",
        _bytes(lambda: _workbook([*BOTKYRKA, ["Haninge", "92095²"]], "Totalt")),
        ("{file}: Totalt!B4: '92095²' has '²' (U+00B2), which is not one of the digits 0–9",),
    ),
    Case(
        "1e30-som-tal.xlsx",
        _bytes(lambda: _workbook([*BOTKYRKA, ["Haninge", 1e30]])),
        ("{file}: 'Tabell 1'!B4: '1e+30' has an exponent: a figure is written out in digits",),
    ),
    Case(
        "negativ.xlsx",
        _bytes(lambda: _workbook([*BOTKYRKA, ["Haninge", -5]])),
        (
            "{file}: 'Tabell 1'!B4: negative folkmängd -5 for 0136 2021-12-31: a population "
            "has no sign",
        ),
    ),
    Case(
        "styrtecken-i-bladnamn.xlsx",
        _bytes(lambda: _workbook([*BOTKYRKA, ["Haninge", "1,5"]], "Blad\u202e1")),
        (
            "{file}: 'Blad\\u202e1'!B4: '1,5' has a decimal point or comma: a figure is a whole "
            "number, its digits grouped (if at all) by spaces",
        ),
    ),
    # binary files named as text
    Case(
        "arbetsbok.csv",
        _bytes(_workbook),
        ("{file}: not a text file (it looks like a zip archive, such as an Excel .xlsx workbook)",),
    ),
    Case(
        "bild.px",
        _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ("{file}: not a text file (it looks like a PNG image)",),
    ),
    Case(
        "rapport.txt",
        _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("{file}: not a text file (it looks like a PDF document)",),
    ),
    Case(
        "packad.csv",
        _bytes(lambda: gzip.compress(b"kommunkod;kommun;\xc3\xa5r;folkm\xc3\xa4ngd\n")),
        ("{file}: not a text file (it looks like a gzip archive)",),
    ),
    Case(
        "gammal.csv",
        _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
        (
            "{file}: not a text file (it looks like an old Excel .xls workbook or another "
            "Office file)",
        ),
    ),
    Case(
        "utf16.csv",
        _bytes("kommunkod;kommun;år;folkmängd\n0127;Botkyrka;2019;94606\n".encode("utf-16")),
        ("{file}: not a text file (it looks like UTF-16 text)",),
    ),
    Case(
        "utf16-utan-bom.txt",
        _bytes("kommunkod\tkommun\tår\tfolkmängd\n0127\tBotkyrka\t2021\t1\n".encode("utf-16-le")),
        ("{file}: not a text file (it looks like UTF-16 text)",),
    ),
    Case(
        "nollor.json",
        _bytes(b'{"class": "dataset"\x00\x00\x00}'),
        ("{file}: not a text file (it looks like binary data)",),
    ),
    # what is not a regular file
    Case("fifo.csv", _fifo, ("{file}: is a named pipe (FIFO), not a file with figures",)),
    Case("noll.csv", _symlink_to("/dev/zero"), ("{file}: is a device, not a file with figures",)),
    Case("uttag.csv", _socket, ("{file}: is a socket, not a file with figures",)),
    Case("arkiv", _folder, ("{file}: is a folder, not a file with figures",)),
    Case(
        "borta.csv",
        _symlink_to("finns-inte.csv"),
        ("{file}: is a symbolic link to nothing (its target is missing)",),
    ),
    Case(
        "slinga.csv",
        _symlink_to("slinga.csv"),
        ("{file}: cannot read: Too many levels of symbolic links",),
    ),
    Case(
        "för-stor.csv",
        _sparse(MAX_FILE_BYTES + 1),
        (
            "{file}: too large for a population file: 52 428 801 bytes; at most 50 MB "
            "(52 428 800 bytes) is read",
        ),
    ),
    # the folder: a bounded number of files and bytes
    Case(
        "zz.csv",
        _after_many_files,
        (
            "{file}: not read, nor the files after it: the population folder has more than "
            "100 files",
        ),
    ),
    Case(
        "stor-3.csv",
        _after_150_MB,
        (
            "{file}: too large for a population file: 52 428 800 bytes; the folder's files may "
            "have 200 MB together, and those before it have … bytes",
        ),
    ),
    # names that are hard to print
    Case(
        "\x1b[31mröd\x07\n.csv",
        _bytes((PLAIN + "0127;Botkyrka;2021;1e3\n").encode()),
        ("{file}:2: folkmängd '1e3' has an exponent: a figure is written out in digits",),
    ),
    Case(
        "å" * 125 + ".csv",
        _bytes((PLAIN + "0127;Botkyrka;2021;1e3\n").encode()),
        ("{file}:2: folkmängd '1e3' has an exponent: a figure is written out in digits",),
    ),
    # big text files: refused after bounded work
    Case(
        "tomma-rader.csv",
        _bytes(lambda: PLAIN.encode() + b"\n" * 600_000),
        ("{file}: 600 001 lines; a population file has at most 510 000",),
    ),
    Case(
        "lång-rad.csv",
        _bytes(lambda: (PLAIN + "0127;" + "x" * 1_500_000 + "\n").encode()),
        ("{file}:2: line of 1 500 005 characters; at most 1 000 000 are read",),
    ),
    Case(
        "långt-fält.csv",
        _bytes(lambda: (PLAIN + '0127;"' + "x" * 200_000 + '";2019;1\n').encode()),
        ("{file}:2: cannot split the line into fields (field larger than field limit (131072))",),
    ),
    Case(
        "hundratusen-fel.csv",
        _bytes(_plain_rows(100_000, "1e3")),
        (
            "{file}:2: folkmängd '1e3' has an exponent: a figure is written out in digits",
            "{file}: and 99 980 more problems",
        ),
    ),
    Case(
        "för-många-tal.csv",
        _bytes(_wide_rows(260_000)),
        ("{file}:250002: more than 500 000 figures in one file",),
    ),
    Case(
        "miljon-celler.px",
        _bytes(_px_cube(1000, 1000)),
        (
            "{file}:9: the variables (1000 × 1000 × 1) make 1 000 000 cells; at most 500 000 are "
            "read from one file",
        ),
    ),
    Case(
        "49MB-data.px",
        _bytes(_px_data(24_000_000)),
        ("{file}:9: more than 1 000 000 values: too large for a population file",),
    ),
    Case(
        "glest-100000x1000x1000.json",  # measured on main: a hang
        _bytes(_sparse_cube(100_000, 1000, 1000)),
        (
            "{file}: size: the dimensions (100000 × 1000 × 1000) make more than 500 000 cells, "
            "the most read from one file",
        ),
    ),
    Case(
        "glest-1000x400x1.json",
        _bytes(_sparse_cube(1000, 400, 1)),
        (
            "{file}: value: a sparse value for 400 000 cells in a file of … bytes, which could "
            "hold values for … at most: fill in the cells (a list)",
        ),
    ),
    Case(
        "djup-lista.json",
        _bytes(b"[" * 100_000),
        ("{file}: arrays or objects nested too deeply for a population file",),
    ),
    Case(
        "djupa-objekt.json",
        _bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        ("{file}: arrays or objects nested too deeply for a population file",),
    ),
    Case(
        "många-komman.json",
        _bytes(lambda: b"[" + b"0," * 1_600_000 + b"0]"),
        ("{file}: 1 600 000 commas (items): too large for a population file (at most 1 500 000)",),
    ),
]
CASES = _committed() + GENERATED


# --- the runs --------------------------------------------------------------------------------


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _snapshot(folder: Path) -> dict[str, object]:
    """Every entry under `folder` and, for regular files, its bytes (FIFOs are not opened)."""
    seen: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        key = str(path.relative_to(folder))
        if path.is_symlink():
            seen[key] = ("link", os.readlink(path))
        elif path.is_file() and not path.is_socket() and not path.is_fifo():
            seen[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[key] = ("other", info.st_mode)
    return seen


def run_ledger(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_FILE"}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", COLUMNS="100", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "sodertorn_ledger", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=TIMEOUT,
        preexec_fn=_limits,
        check=False,
    )


def _matches(line: str, want: str) -> bool:
    """`want` with ``…`` standing for any text (the reader's words, e.g. zlib's)."""
    parts = want.split("…")
    if len(parts) == 1:
        return line == want
    if not (line.startswith(parts[0]) and line.endswith(parts[-1])):
        return False
    at = len(parts[0])
    for part in parts[1:-1]:
        found = line.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return len(line) - len(parts[-1]) >= at


def _check_output(stderr: str, stdout: str, file: str, expected: tuple[str, ...]) -> None:
    assert "Traceback" not in stderr + stdout, stderr[-3000:]
    assert "Warning:" not in stderr, stderr[-3000:]  # openpyxl's, quoting the workbook
    for text in (stdout, stderr):
        for line in text.split("\n"):
            assert printable(line) == line, f"unprintable output: {line!r}"
    lines = stderr.splitlines()
    at = 0
    for want in expected:
        want = want.replace("{file}", file)
        while at < len(lines) and not _matches(lines[at], want):
            at += 1
        assert at < len(lines), f"expected {want!r} in stderr:\n{stderr[-3000:]}"
        at += 1


def test_the_corpus_is_complete() -> None:
    committed = [p for p in CORPUS.iterdir() if p.suffix != ".expected"]
    assert len(committed) >= 30
    for path in committed:
        sidecar = path.with_name(path.name + ".expected")
        assert sidecar.is_file(), f"{path.name} has no {sidecar.name}"
        assert path.stat().st_size < 64 * 1024, "make big files in the test, not in git"
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert all(case.expected for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[printable(c.name)[:40] for c in CASES])
def test_a_hostile_file_is_a_clean_error(case: Case, tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "ledger", ignore=shutil.ignore_patterns(".backup"))
    books = tmp_path / "ledger" / "main.journal"
    target = books.parent / "befolkning" / case.name
    case.make(target)
    before = _snapshot(tmp_path)
    for command in COMMANDS:
        try:
            result = run_ledger(*command, "-f", str(books), cwd=tmp_path)
        except subprocess.TimeoutExpired:
            pytest.fail(f"ledger {' '.join(command)} hangs on {case.name!r}")
        assert result.returncode == 1, (command, result.stderr[-3000:])
        _check_output(result.stderr, result.stdout, printable(str(target)), case.expected)
        assert result.stdout == ""
    assert _snapshot(tmp_path) == before, "the books changed"


# --- what must still be read -----------------------------------------------------------------


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "ledger", ignore=shutil.ignore_patterns(".backup"))
    folder = tmp_path / "ledger" / "befolkning"
    scb = next(folder.glob("*.csv"))
    moved = tmp_path / "scb.csv"
    scb.rename(moved)
    scb.symlink_to(moved)
    result = run_ledger(
        "population", "2019", "-f", str(folder.parent / "main.journal"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "503 200" in result.stdout


def test_a_file_that_grows_while_read_is_refused() -> None:
    # /proc files claim size 0 and then hold more: as a file that grows after the stat.
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc")
    problem = read_file_bounded(status, limit=16)
    assert isinstance(problem, Problem)
    assert "grew while read" in problem.message
    data = read_file_bounded(status, limit=1 << 20)
    assert isinstance(data, bytes) and b"Name:" in data


def test_a_long_journal_name_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    # Measured on main: `ledger fees 2020 -f NAME` with a 300-character NAME was a traceback
    # (ENAMETOOLONG from pathlib's is_file). `population` reads the settings beside it first.
    long_name = str(tmp_path / ("a" * 300))
    fees = run_ledger("fees", "2020", "-f", long_name, cwd=tmp_path)
    assert fees.returncode == 1 and "Traceback" not in fees.stderr
    assert fees.stderr.startswith("ledger: cannot read the journal ")
    assert fees.stderr.rstrip().endswith(": File name too long")
    population = run_ledger("population", "2019", "-f", long_name, cwd=tmp_path)
    assert population.returncode == 1 and "Traceback" not in population.stderr


def test_a_good_file_with_control_characters_in_its_name_is_shown_escaped(
    tmp_path: Path,
) -> None:
    shutil.copytree(BUNDLED, tmp_path / "ledger", ignore=shutil.ignore_patterns(".backup"))
    folder = tmp_path / "ledger" / "befolkning"
    scb = next(folder.glob("*.csv"))
    scb.rename(folder / "\x1b[31mscb\x07.csv")
    result = run_ledger(
        "population", "2019", "-f", str(folder.parent / "main.journal"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "\\x1b[31mscb\\x07.csv:4" in result.stdout  # the Källa column
    _check_output(result.stderr, result.stdout, "", ())
    fees = run_ledger("fees", "2020", "-f", str(folder.parent / "main.journal"), cwd=tmp_path)
    assert fees.returncode == 0, fees.stderr
    assert "Folkmängd från SCB: " in fees.stdout and "\\x1b[31mscb\\x07.csv" in fees.stdout
    _check_output(fees.stderr, fees.stdout, "", ())


# --- no reader lets an exception out, whatever the bytes -------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "befolkning"
_SEEDS = sorted(p.name for p in FIXTURES.iterdir())
_NOISE = st.sampled_from(
    [b"1e30", b"\xc2\xb2", b"\x00", b'"', b",", b";", b"\n", b"[", b"{", b"}", b"]", b"=", b"("]
) | st.binary(max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_SEEDS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), _NOISE), min_size=1, max_size=6),
)
def test_a_damaged_fixture_is_read_or_refused_never_raises(
    name: str, edits: list[tuple[float, int, bytes]]
) -> None:
    data = bytearray((FIXTURES / name).read_bytes())
    for at, cut, insert in edits:
        i = int(at * len(data))
        data[i : i + cut] = insert
    from sodertorn_ledger.population import parse_population_file

    result = parse_population_file(name, bytes(data), {"Botkyrka": "0127"})
    assert all(p.file == name for p in result.problems)


# --- files at the limits: read, within the same time and memory ------------------------------


def _jsonstat_at_the_cell_limit() -> bytes:
    """247 regions × 101 ages × 2 sexes × 10 years: 498 940 cells, just under the limit."""
    import json

    def dimension(codes: list[str], labels: dict[str, str] | None = None) -> object:
        return {"category": {"index": codes, **({"label": labels} if labels else {})}}

    years = [str(2021 + y) for y in range(10)]
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Alder", "Kon", "ContentsCode", "Tid"],
        "size": [247, 101, 2, 1, 10],
        "dimension": {
            "Region": dimension([f"{n:04d}" for n in range(247)]),
            "Alder": dimension([str(a) for a in range(101)]),
            "Kon": dimension(["1", "2"], {"1": "män", "2": "kvinnor"}),
            "ContentsCode": dimension(["BE0101N1"], {"BE0101N1": "Folkmängd"}),
            "Tid": dimension(years),
        },
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "value": [n % 997 for n in range(247 * 101 * 2 * 10)],
    }
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("499k-celler.json", _bytes(_jsonstat_at_the_cell_limit), 0),
        # 49 MB that decode to four bytes a character (one emoji), 490 000 bad rows
        (
            "49MB-breda-tecken.csv",
            _bytes(
                lambda: (
                    "kommunkod;kommun;år;folkmängd 😀\n".encode()
                    + (b"0127;Botkyrka;2021;" + b"x" * 80 + b"\n") * 490_000
                )
            ),
            1,
        ),
    ],
)
def test_a_file_at_the_limits_is_read_within_time_and_memory(
    name: str, make: Make, code: int, tmp_path: Path
) -> None:
    shutil.copytree(BUNDLED, tmp_path / "ledger", ignore=shutil.ignore_patterns(".backup"))
    books = tmp_path / "ledger" / "main.journal"
    make(books.parent / "befolkning" / name)
    for command in COMMANDS:
        result = run_ledger(*command, "-f", str(books), cwd=tmp_path)
        assert result.returncode == code, result.stderr[-3000:]
        _check_output(result.stderr, result.stdout, "", ())
