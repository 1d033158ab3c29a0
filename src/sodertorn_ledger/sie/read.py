"""Reading an SIE 4 file into a `SieFile`, and every problem in it as a `Problem`.

`parse_sie` is pure (a name and bytes in); `read_sie` is the only function here that
touches the disk. Neither raises on any input: a file that is not SIE at all (binary,
too big, no #LABEL record first, too many problems) gives None and the reason; any
other file gives its records, every problem with its line, and leaves out what could
not be read:
- a record with an error (a bad amount, date or account) is left out, and a voucher
  with such a row is left out whole, so what is returned never holds half a voucher;
- an unbalanced voucher is kept (it was read as written) and is an error;
- a #KSUMMA that does not match the file is an error.
So a caller that needs the books whole refuses a file with any error.

What real files do that the spec does not allow, read with a warning or silently:
UTF-8 in a file that says PC8 (read as UTF-8, a warning; U+FFFD where a program lost
å/ä/ö, a warning), a stray Latin-1 byte in a CP437 file (kept as CP437 reads it, a
warning), `#FORMAT "PC8"` quoted, TABs inside object lists, a series named ``#``,
integer and one-decimal amounts, records out of the spec's order, accounts used in
#TRANS without a #KONTO, voucher numbers used twice, IB + the year's rows ≠ UB (partial
exports): silently. #FLAGGA 1 (the file was imported somewhere already) is a warning.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sodertorn_ledger.money import ZERO
from sodertorn_ledger.problems import Problem, Severity
from sodertorn_ledger.sie.charset import (
    BOM,
    PC8,
    REPLACEMENT,
    UTF8,
    choose_encoding,
    latin1_suspect,
)
from sodertorn_ledger.sie.model import (
    ACCOUNT_TYPES,
    FiscalYear,
    ObjectRef,
    Row,
    SieFile,
    Voucher,
    voucher_total,
)
from sodertorn_ledger.sie.syntax import (
    MAX_LINE,
    Field,
    checksum_update,
    field_contents,
    parse_amount,
    parse_date,
    parse_integer,
    parse_quantity,
    split_fields,
)

MAX_BYTES = 256 * 1024 * 1024
"""The biggest file read: far above a year of any municipality's books in SIE."""
MAX_PROBLEMS = 1000
"""Reading stops after this many problems: the file is not SIE, or not worth more."""
_NOTED = 5
"""Of each kind of character warning (U+FFFD, Latin-1 byte, control character), this many
lines are reported one by one, then one count."""

_ROWS = frozenset({"#TRANS", "#RTRANS", "#BTRANS"})
_KNOWN_NOT_KEPT = frozenset(
    {
        "#ADRESS",
        "#BKOD",
        "#OMFATTN",
        "#SRU",
        "#ENHET",
        "#UNDERDIM",
        "#OIB",
        "#OUB",
        "#PSALDO",
        "#PBUDGET",
    }
)
_REQUIRED = ("#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NOTES = {
    "control": "a control character",
    "replacement": "U+FFFD",
    "latin1": "a byte that may be Latin-1",
}
_AMOUNT_HINT = "SIE writes amounts with a point, at most two decimals and no plus: -1234.50"

State = Literal["pending", "open", "implicit"]
"""Of the current voucher: its #VER read, waiting for ``{``; inside ``{ … }``; or rows
that came with no ``{`` (an error already reported), until the next other record."""


class _Skip(Exception):
    """A record that cannot be read: its problem is reported, the record is left out."""


def read_sie(
    source: str | os.PathLike[str] | bytes, name: str | None = None
) -> tuple[SieFile | None, list[Problem]]:
    """The SIE file at path `source` (or its bytes) and its problems; `name` is how the
    problems name the file (the path by default)."""
    if isinstance(source, bytes):
        return parse_sie(name or "<sie>", source)
    name = name or os.fspath(source)
    try:
        data = _read_regular_file(Path(source))
    except OSError as error:
        return None, [Problem(name, 0, f"cannot read the file: {error.strerror or error}")]
    if isinstance(data, str):
        return None, [Problem(name, 0, data)]
    return parse_sie(name, data)


def with_source_lines(problems: Sequence[Problem], source: str | os.PathLike[str]) -> list[Problem]:
    """`problems`, those at a line of the SIE file `source` without its text given that
    text, as the reader numbers and decodes the lines (`format_problem` would read a PC8
    file as UTF-8): for problems found after reading, in what was read. The file is read
    once more, by the same rules; one that cannot be read leaves the problems as they are."""
    name = os.fspath(source)
    if not any(p.file == name and p.text is None and p.line > 0 for p in problems):
        return list(problems)
    try:
        data = _read_regular_file(Path(source))
    except OSError:
        return list(problems)
    if isinstance(data, str):
        return list(problems)
    body = data.removeprefix(BOM)
    lines = body.decode(choose_encoding(data), "replace").split("\n")
    out = []
    for problem in problems:
        if problem.file == name and problem.text is None and 0 < problem.line <= len(lines):
            problem = problem._replace(text=lines[problem.line - 1].removesuffix("\r"))
        out.append(problem)
    return out


def _read_regular_file(path: Path) -> bytes | str:
    """The file's bytes, or why it is not read (not a regular file, too big)."""
    # Non-blocking, so that a FIFO in the file's place is refused rather than waited on.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > MAX_BYTES:
            return f"too big for an SIE file ({info.st_size} bytes)"
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return "too big for an SIE file"
    return data


def parse_sie(name: str, data: bytes) -> tuple[SieFile | None, list[Problem]]:
    """The SIE file in `data` and its problems (see the module's docstring)."""
    if len(data) > MAX_BYTES:
        return None, [Problem(name, 0, f"too big for an SIE file ({len(data)} bytes)")]
    if b"\x00" in data:
        return None, [Problem(name, 0, "not an SIE file: a binary file (it holds NUL bytes)")]
    reader = _Reader(name, choose_encoding(data))
    reader.read(data)
    return reader.result()


class _VoucherBuilder:
    """A voucher while its rows are read."""

    __slots__ = ("bad", "head", "pending", "rows", "state", "struck")

    def __init__(self, head: Voucher | None, state: State) -> None:
        self.head = head
        """The #VER as read; None when it could not be read (its rows are still read)."""
        self.state: State = state
        self.bad = head is None
        """True once anything in it is wrong: it is then left out."""
        self.rows: list[Row] = []
        self.struck: list[Row] = []
        self.pending: Row | None = None
        """An #RTRANS waiting for its #TRANS copy."""


class _Reader:
    """The state of one file's reading."""

    __slots__ = (
        "checksum",
        "crc",
        "crc_closed",
        "encoding",
        "first_non_ascii",
        "header",
        "labels",
        "line",
        "name",
        "noted",
        "problems",
        "seen",
        "seen_header",
        "stopped",
        "tables",
        "text",
        "voucher",
        "vouchers",
    )

    def __init__(self, name: str, encoding: str) -> None:
        self.name = name
        self.encoding = encoding
        self.problems: list[Problem] = []
        self.line = 0
        self.text = ""
        """The line being read, as decoded: every problem shows it."""
        self.stopped = False
        self.seen: set[str] = set()
        """The labels read so far."""
        self.noted: dict[str, int] = {}
        self.first_non_ascii: tuple[int, str] | None = None
        """The first line with a character outside ASCII, and its text."""
        self.seen_header: set[str] = set()
        self.header: dict[str, Any] = {}
        """The single values (#PROGRAM …), by the name of their SieFile field."""
        self.tables: dict[str, dict[Any, Any]] = {
            "years": {},
            "accounts": {},
            "account_types": {},
            "dims": {},
            "objects": {},
            "opening": {},
            "closing": {},
            "results": {},
        }
        self.vouchers: list[Voucher] = []
        self.voucher: _VoucherBuilder | None = None
        self.crc: int | None = None
        """The #KSUMMA so far, once the opening #KSUMMA is read; -1 when a line could not
        be read and so cannot be counted."""
        self.crc_closed = False
        self.checksum: int | None = None
        self.labels: dict[str, Callable[[str, list[Field]], None]] = {
            "#FLAGGA": self._flag,
            "#PROGRAM": self._program,
            "#FORMAT": self._format,
            "#GEN": self._generated,
            "#SIETYP": self._sie_type,
            "#PROSA": self._single("prosa"),
            "#FTYP": self._single("company_type"),
            "#FNR": self._single("company_id"),
            "#ORGNR": self._single("orgnr"),
            "#FNAMN": self._single("company_name"),
            "#KPTYP": self._single("chart_type"),
            "#VALUTA": self._single("currency"),
            "#TAXAR": self._tax_year,
            "#RAR": self._year,
            "#KONTO": self._account,
            "#KTYP": self._account_type,
            "#DIM": self._dim,
            "#OBJEKT": self._object,
            "#IB": self._balance("opening"),
            "#UB": self._balance("closing"),
            "#RES": self._balance("results"),
            "#VER": self._voucher,
        }

    # -- problems ---------------------------------------------------------------------------

    def problem(
        self,
        message: str,
        hint: str = "",
        column: int | None = None,
        severity: Severity = "error",
        line: int | None = None,
    ) -> None:
        if self.stopped:
            return
        at = self.line if line is None else line
        text = self.text if (line is None and self.text) else None
        self.problems.append(Problem(self.name, at, message, hint, column, text, severity))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(self.name, at, f"too many problems: stopped reading at line {at}")
            )
            self.stopped = True

    def warn(self, message: str, hint: str = "", column: int | None = None) -> None:
        self.problem(message, hint, column, "warning")

    def skip(self, message: str, hint: str = "", column: int | None = None) -> _Skip:
        """An error that leaves the record out: ``raise self.skip(…)``."""
        self.problem(message, hint, column)
        return _Skip()

    def note(self, kind: str, message: str, hint: str = "") -> None:
        """A warning of a kind that may come on every line: the first few, then a count."""
        count = self.noted.get(kind, 0) + 1
        self.noted[kind] = count
        if count <= _NOTED:
            self.warn(message, hint)

    # -- lines ------------------------------------------------------------------------------

    def read(self, data: bytes) -> None:
        pos = len(BOM) if data.startswith(BOM) else 0
        size = len(data)
        while size and data[size - 1] == 0x1A:  # DOS programs end a file with Ctrl-Z
            size -= 1
        number = 0
        while pos < size and not self.stopped:
            end = data.find(b"\n", pos)
            if end < 0:
                end = size
            number += 1
            self.line = number
            raw = data[pos : min(end, pos + MAX_LINE + 1)]
            pos = end + 1
            if len(raw) > MAX_LINE:
                self.text = raw[:200].decode(self.encoding, "replace") + "…"
                self.line_too_long()
                continue
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            self.text = raw.decode(self.encoding, "replace")
            self.read_line(self.text)
        self.line = number
        self.text = ""
        if not self.stopped:
            self.finish()

    def line_too_long(self) -> None:
        self.problem(f"the line is longer than {MAX_LINE} bytes: not read")
        if self.voucher is not None:
            self.voucher.bad = True
        if self.crc is not None and not self.crc_closed:
            self.crc = -1

    def read_line(self, text: str) -> None:
        stripped = text.strip(" \t")
        if not stripped:
            return
        self.check_characters(text)
        if stripped == "{":
            self.open_block()
            return
        if stripped == "}":
            self.close_block()
            return
        split = split_fields(text)
        first = split.fields[0] if split.fields else None
        if first is None or first.quoted or first.items is not None or first.text[:1] != "#":
            if not self.seen:
                self.problem(
                    "not an SIE file: its first record is not a #LABEL",
                    "an SIE file starts with #FLAGGA 0",
                )
                self.stopped = True
            else:
                self.problem("not a record: a record starts with a #LABEL")
            return
        if split.error is not None:
            self.problem(split.error, column=split.error_column)
        label = first.text.upper()
        fields = split.fields[1:]
        self.seen.add(label)
        if label == "#KSUMMA":
            self.checksum_record(fields)
            return
        if self.crc is not None and not self.crc_closed:
            if self.crc >= 0:
                self.crc = checksum_update(
                    self.crc, first.text, field_contents(fields), self.encoding
                )
        elif self.crc_closed and "after" not in self.noted:
            self.noted["after"] = 1
            self.warn("a record after the closing #KSUMMA: the checksum does not cover it")
        self.record(label, fields, broken=split.error is not None)

    def check_characters(self, text: str) -> None:
        if text.isascii() and text.isprintable():
            return
        if self.first_non_ascii is None and not text.isascii():
            self.first_non_ascii = (self.line, text)
        if _CONTROL.search(text):
            self.note(
                "control",
                "a control character in the line",
                "SIE text holds no control characters; the line is read as it is",
            )
        if self.encoding == UTF8 and REPLACEMENT in text:
            self.note(
                "replacement",
                "U+FFFD (�) in the line: a character was lost before this file was written",
                "the program that wrote the file could not read a character (å, ä, ö?); "
                "the text is kept as it is",
            )
        elif self.encoding == PC8:
            suspect = latin1_suspect(text)
            if suspect is not None:
                code = suspect[0].encode(PC8)[0]
                self.note(
                    "latin1",
                    f"byte 0x{code:02X} reads as {suspect[0]!r} in PC8 (code page 437), "
                    f"but as {suspect[1]!r} in Latin-1",
                    "a stray Latin-1 byte? The text is kept as PC8 reads it",
                )

    def finish(self) -> None:
        if self.voucher is not None:
            self.problem(
                f"the file ends inside the voucher at line {self.voucher_line()}",
                "is the file cut short? A voucher's rows end with a } line",
            )
            self.voucher = None
        if self.crc is not None and not self.crc_closed:
            self.problem(
                "the file has an opening #KSUMMA but no closing one",
                "is the file cut short? The closing #KSUMMA is the file's last record",
            )
        missing = [label for label in _REQUIRED if label not in self.seen]
        if missing:
            them = "it" if len(missing) == 1 else "them"
            self.problem(
                f"no {', '.join(missing)}: SIE requires {them} at the start of the file",
                severity="warning",
                line=min(self.line, 1),
            )
        for kind, count in self.noted.items():
            if count > _NOTED and kind in _NOTES:
                self.problem(
                    f"{_NOTES[kind]} on {count - _NOTED} more lines", severity="warning", line=0
                )

    def result(self) -> tuple[SieFile | None, list[Problem]]:
        if self.stopped:
            return None, self.problems
        if self.encoding == UTF8:
            line, text = self.first_non_ascii or (0, None)
            self.problems.insert(
                0,
                Problem(
                    self.name,
                    line,
                    "the file is UTF-8, not PC8 (code page 437) as SIE requires: read as UTF-8",
                    "the program that wrote it does not follow the spec; check å, ä and ö",
                    text=text,
                    severity="warning",
                ),
            )
        tables = self.tables
        sie = SieFile(
            **self.header,
            years=tables["years"],
            accounts=tables["accounts"],
            account_types=tables["account_types"],
            dims=tables["dims"],
            objects=tables["objects"],
            opening=tables["opening"],
            closing=tables["closing"],
            results=tables["results"],
            vouchers=tuple(self.vouchers),
            checksum=self.checksum,
            checksum_computed=None if self.crc is None or self.crc < 0 else self.crc,
        )
        return sie, self.problems

    # -- checksum ---------------------------------------------------------------------------

    def checksum_record(self, fields: list[Field]) -> None:
        if not fields:
            if self.crc is not None:
                self.problem("a second opening #KSUMMA")
            else:
                self.crc = 0
            return
        value = parse_integer(fields[0].text) if fields[0].items is None else None
        if value is None:
            self.problem("#KSUMMA needs a whole number", column=fields[0].column)
        elif self.crc is None:
            self.problem(
                "a closing #KSUMMA without an opening one",
                "the opening #KSUMMA (no value) comes right after #FLAGGA",
            )
        elif self.crc_closed:
            self.problem("a second closing #KSUMMA")
        else:
            self.crc_closed = True
            # Some programs write the CRC as a signed 32-bit number.
            self.checksum = value & 0xFFFFFFFF
            if self.crc >= 0 and self.checksum != self.crc:
                self.problem(
                    f"#KSUMMA {value} does not match the file's records (they give {self.crc})",
                    "the file was changed after it was written, or cut short",
                    column=fields[0].column,
                )

    # -- records and vouchers -----------------------------------------------------------------

    def record(self, label: str, fields: list[Field], *, broken: bool) -> None:
        voucher = self.voucher
        if label in _ROWS:
            if voucher is None:
                self.problem(
                    f"{label} outside a voucher", "a row belongs between { and } of a #VER"
                )
                return
            if voucher.state == "pending":
                self.problem(
                    f"the #VER at line {self.voucher_line()} is not followed by a line with {{",
                    "a voucher's rows are written between a { line and a } line",
                )
                voucher.state = "implicit"
                voucher.bad = True
            try:
                if broken:
                    raise _Skip
                self.row(label, fields)
            except _Skip:
                voucher.bad = True
            return
        handler = self.labels.get(label)
        if handler is None and label not in _KNOWN_NOT_KEPT:
            return  # a label the spec does not have: ignored (§7)
        if voucher is not None:
            self.end_voucher_early(label)
        try:
            if broken:
                raise _Skip
            if handler is not None:
                handler(label, fields)
        except _Skip:
            if label == "#VER":  # its rows are still read, and left out with it
                self.voucher = _VoucherBuilder(None, "pending")

    def end_voucher_early(self, label: str) -> None:
        """Another record where a voucher's rows or its { were expected."""
        voucher = self.voucher
        assert voucher is not None
        if voucher.state == "pending" and not voucher.bad:
            self.problem(
                f"the #VER at line {self.voucher_line()} has no rows: no {{ … }} follows it"
            )
        elif voucher.state == "open":
            self.problem(
                f"the voucher at line {self.voucher_line()} is not closed with }} "
                f"before this {label}"
            )
        self.voucher = None

    def voucher_line(self) -> int:
        voucher = self.voucher
        return voucher.head.line if voucher is not None and voucher.head is not None else 0

    def open_block(self) -> None:
        voucher = self.voucher
        if voucher is None:
            self.problem("a { without a #VER before it")
            self.voucher = _VoucherBuilder(None, "open")
        elif voucher.state == "pending":
            voucher.state = "open"
        else:
            self.problem("a { inside a voucher", "a voucher's rows end with a } line")
            voucher.bad = True

    def close_block(self) -> None:
        voucher = self.voucher
        if voucher is None:
            self.problem("a } without its {")
            return
        if voucher.state == "pending":
            if not voucher.bad:
                self.problem(f"a }} without its {{ after the #VER at line {self.voucher_line()}")
            self.voucher = None
            return
        self.voucher = None
        self.flush_added(voucher)
        if voucher.bad or voucher.head is None:
            return
        done = voucher.head._replace(rows=tuple(voucher.rows), struck=tuple(voucher.struck))
        total = voucher_total(done)
        if total != ZERO:
            self.problem(
                f"voucher {done.series} {done.number} does not balance: its rows sum to "
                f"{format(total, 'f')}",
                "the rows of a voucher sum to zero",
                line=done.line,
            )
        self.vouchers.append(done)

    # -- fields -------------------------------------------------------------------------------

    def need(self, label: str, fields: list[Field], count: int, names: str) -> None:
        if len(fields) < count:
            raise self.skip(f"{label} needs {names}")

    def value(self, label: str, fields: list[Field], index: int) -> str:
        """The text of field `index`; '' when the record has no such field."""
        if index >= len(fields):
            return ""
        field = fields[index]
        if field.items is not None:
            raise self.skip(f"{label}: an object list where a value belongs", column=field.column)
        return field.text

    def integer(self, label: str, field: Field, what: str) -> int:
        value = parse_integer(field.text) if field.items is None else None
        if value is None:
            raise self.skip(
                f"{label}: {what} {field.text!r} is not a whole number", column=field.column
            )
        return value

    def date(self, label: str, field: Field, what: str) -> dt.date:
        day = parse_date(field.text) if field.items is None else None
        if day is None:
            raise self.skip(
                f"{label}: {what} {field.text!r} is not a date",
                "SIE writes dates as YYYYMMDD",
                column=field.column,
            )
        return day

    def optional_date(
        self, label: str, fields: list[Field], index: int, what: str
    ) -> dt.date | None:
        if index >= len(fields) or (fields[index].items is None and fields[index].text == ""):
            return None
        return self.date(label, fields[index], what)

    def amount(self, label: str, field: Field) -> Decimal:
        if field.items is not None:
            raise self.skip(
                f"{label}: an object list where the amount belongs", column=field.column
            )
        amount, error = parse_amount(field.text)
        if amount is None:
            raise self.skip(f"{label}: {error}", _AMOUNT_HINT, column=field.column)
        return amount

    def account_number(self, label: str, field: Field) -> str:
        if field.items is not None or field.text == "":
            raise self.skip(f"{label}: no account number", column=field.column)
        if not field.text.isdigit():
            self.warn(f"{label}: the account {field.text!r} is not a number", column=field.column)
        return field.text

    def dimension(self, label: str, field: Field) -> int:
        dim = self.integer(label, field, "the dimension")
        if dim < 0:
            raise self.skip(f"{label}: the dimension {dim} is negative", column=field.column)
        return dim

    def keep(self, table: str, key: Any, value: Any, label: str, *, severity: Severity) -> None:
        """One value per key: a second one that differs is a problem; the first is kept."""
        records = self.tables[table]
        if key not in records:
            records[key] = value
        elif records[key] != value:
            shown = " ".join(str(part) for part in key) if isinstance(key, tuple) else key
            self.problem(
                f"{label} {shown} again, different from before: the first is kept",
                severity=severity,
            )

    def keep_header(self, label: str, **values: Any) -> None:
        """A record read once: a second one that differs is a warning; the first is kept."""
        if label not in self.seen_header:
            self.seen_header.add(label)
            self.header.update(values)
        elif any(self.header[field] != value for field, value in values.items()):
            self.warn(f"a second {label}, different from the first: the first is kept")

    # -- the header ---------------------------------------------------------------------------

    def _flag(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "a flag (0 or 1)")
        flag = self.integer(label, fields[0], "the flag")
        if flag not in (0, 1):
            raise self.skip(f"#FLAGGA {flag}: the flag is 0 or 1", column=fields[0].column)
        if flag == 1:
            self.warn(
                "#FLAGGA 1: this file has already been imported somewhere",
                "a program sets the flag to 1 when it has imported the file; import it once",
            )
        self.keep_header(label, flag=flag)

    def _program(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "the program's name and version")
        name, version = self.value(label, fields, 0), self.value(label, fields, 1)
        self.keep_header(label, program=name, program_version=version)

    def _format(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "the character set (PC8)")
        value = self.value(label, fields, 0)
        if value.upper() != "PC8":
            how = "UTF-8" if self.encoding == UTF8 else "PC8"
            self.warn(
                f"#FORMAT {value}: SIE allows only PC8 (code page 437); read as {how}",
                column=fields[0].column,
            )
        self.keep_header(label, format=value)

    def _generated(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "a date (YYYYMMDD)")
        day = self.date(label, fields[0], "the date")
        signature = self.value(label, fields, 1)
        self.keep_header(label, generated=day, generated_by=signature)

    def _sie_type(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "the file's type (1 to 4)")
        kind = self.integer(label, fields[0], "the type")
        if not 1 <= kind <= 4:
            raise self.skip(f"#SIETYP {kind}: the type is 1, 2, 3 or 4", column=fields[0].column)
        self.keep_header(label, sie_type=kind)

    def _single(self, field: str) -> Callable[[str, list[Field]], None]:
        def read(label: str, fields: list[Field]) -> None:
            self.need(label, fields, 1, "a value")
            self.keep_header(label, **{field: self.value(label, fields, 0)})

        return read

    def _tax_year(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "a year")
        self.keep_header(label, tax_year=self.integer(label, fields[0], "the year"))

    def _year(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 3, "a year number (0, -1 …), its first and its last day")
        number = self.integer(label, fields[0], "the year number")
        start = self.date(label, fields[1], "the first day")
        end = self.date(label, fields[2], "the last day")
        if start > end:
            raise self.skip(f"#RAR {number}: the year ends before it starts")
        self.keep("years", number, FiscalYear(start, end), label, severity="error")

    # -- the chart of accounts, objects and balances ------------------------------------------

    def _account(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "an account number and its name")
        account = self.account_number(label, fields[0])
        name = self.value(label, fields, 1)
        self.keep("accounts", account, name, label, severity="warning")

    def _account_type(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 2, "an account number and its type (T, S, I or K)")
        account = self.account_number(label, fields[0])
        kind = self.value(label, fields, 1).upper()
        if kind not in ACCOUNT_TYPES:
            raise self.skip(
                f"#KTYP {account} {kind}: the type is T, S, I or K",
                "T tillgång, S skuld, I intäkt, K kostnad",
                column=fields[1].column,
            )
        self.keep("account_types", account, kind, label, severity="error")

    def _dim(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 1, "a dimension number and its name")
        dim = self.dimension(label, fields[0])
        self.keep("dims", dim, self.value(label, fields, 1), label, severity="warning")

    def _object(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 2, "a dimension number, an object code and its name")
        key = (self.dimension(label, fields[0]), self.value(label, fields, 1))
        self.keep("objects", key, self.value(label, fields, 2), label, severity="warning")

    def _balance(self, table: str) -> Callable[[str, list[Field]], None]:
        def read(label: str, fields: list[Field]) -> None:
            self.need(label, fields, 3, "a year number, an account and an amount")
            year = self.integer(label, fields[0], "the year number")
            account = self.account_number(label, fields[1])
            amount = self.amount(label, fields[2])
            self.keep(table, (year, account), amount, label, severity="error")

        return read

    # -- vouchers ---------------------------------------------------------------------------

    def _voucher(self, label: str, fields: list[Field]) -> None:
        self.need(label, fields, 3, "a series, a number and a date")
        head = Voucher(
            series=self.value(label, fields, 0),
            number=self.value(label, fields, 1),
            date=self.date(label, fields[2], "the date"),
            text=self.value(label, fields, 3),
            registered=self.optional_date(label, fields, 4, "the registration date"),
            signature=self.value(label, fields, 5),
            line=self.line,
        )
        self.voucher = _VoucherBuilder(head, "pending")

    def objects(self, label: str, field: Field) -> tuple[ObjectRef, ...]:
        items = field.items or ()
        if len(items) % 2:
            raise self.skip(
                f"{label}: the object list has an odd number of items",
                'an object list holds pairs: {dimension "object" …}',
                column=field.column,
            )
        pairs: list[ObjectRef] = []
        for at in range(0, len(items), 2):
            dim = parse_integer(items[at])
            if dim is None or dim < 0:
                raise self.skip(
                    f"{label}: {items[at]!r} in the object list is not a dimension number",
                    column=field.column,
                )
            pairs.append((dim, items[at + 1]))
        return tuple(pairs)

    def row(self, label: str, fields: list[Field]) -> None:
        voucher = self.voucher
        assert voucher is not None
        row = self.parse_row(label, fields)
        if label == "#RTRANS":
            self.flush_added(voucher)
            voucher.pending = row._replace(added=True)
        elif label == "#BTRANS":
            self.flush_added(voucher)
            voucher.struck.append(row)
        else:
            added = voucher.pending
            if added is not None and (added.account, added.objects, added.amount) == (
                row.account,
                row.objects,
                row.amount,
            ):
                voucher.pending = None
                row = row._replace(added=True, signature=row.signature or added.signature)
            else:
                self.flush_added(voucher)
            voucher.rows.append(row)

    def flush_added(self, voucher: _VoucherBuilder) -> None:
        """An #RTRANS not followed by its #TRANS copy: a row still, and a warning."""
        added = voucher.pending
        if added is None:
            return
        voucher.pending = None
        voucher.rows.append(added)
        self.problem(
            "#RTRANS without the #TRANS copy that always follows it: counted as a row",
            "an added row is written twice, as #RTRANS and then as an identical #TRANS",
            severity="warning",
            line=added.line,
        )

    def parse_row(self, label: str, fields: list[Field]) -> Row:
        self.need(label, fields, 2, "an account, an object list and an amount")
        account = self.account_number(label, fields[0])
        if fields[1].items is not None:
            objects = self.objects(label, fields[1])
            rest = fields[2:]
        else:
            self.warn(f"{label} without an object list: read as {{}}", column=fields[1].column)
            objects, rest = (), fields[1:]
        if not rest:
            raise self.skip(f"{label} needs an amount after its object list")
        amount = self.amount(label, rest[0])
        day = self.optional_date(label, rest, 1, "the transaction date")
        text = self.value(label, rest, 2)
        quantity = None
        if len(rest) > 3 and rest[3].items is None and rest[3].text != "":
            quantity = parse_quantity(rest[3].text)
            if quantity is None:
                self.warn(
                    f"{label}: the quantity {rest[3].text!r} is not a number: left out",
                    column=rest[3].column,
                )
        signature = self.value(label, rest, 4)
        return Row(account, objects, amount, day, text, quantity, signature, line=self.line)
