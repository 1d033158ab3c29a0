"""SCB's CSV exports, both generations, and the plain CSV people type themselves.

- Classic PX-Web export: ISO-8859-1/Windows-1252, a quoted title line, a blank line, then a
  header such as ``"region","kön","Folkmängd 2019","Folkmängd 2020"``; comma, semicolon or
  tab separated; footnotes may follow the data after a blank line.
- Current Statistikdatabasen export: UTF-8 with BOM, no title, header such as
  ``"region","ålder","kön","Folkmängd 2019"``.
- Plain: ``kommunkod;kommun;år;folkmängd``.

Stub columns (region, kön, ålder, år, tabellinnehåll, ...) come first; value columns are the
ones whose header names a time (``Folkmängd 2019``, ``2019``) or a contents (``Folkmängd``
when the time is a stub column).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from sodertorn_ledger.money import format_count
from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    BadValue,
    Category,
    Cell,
    Code,
    Figure,
    FileResult,
    is_folkmangd,
    norm,
    parse_count,
    parse_time,
    shorten,
    split_time_parts,
)
from sodertorn_ledger.problems import Problem

_DELIMITERS = (",", ";", "\t")
_REGION_HEADERS = frozenset(
    {"region", "kommun", "län", "region/kommun", "kommunkod", "kod", "municipality", "county"}
)
_TIME_HEADERS = frozenset(
    {"år", "tid", "månad", "kvartal", "year", "period", "år/månad", "month", "quarter"}
)
_CONTENT_HEADERS = frozenset(
    {"tabellinnehåll", "contents", "table contents", "innehåll", "observations"}
)
_CONTENT_WORDS = ("folkmängd", "folkökning", "medelfolkmängd", "population", "befolkning")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it is valid UTF-8, else Windows-1252 (ISO-8859-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 agrees with ISO-8859-1 on every printable character SCB uses.
        return data.decode("cp1252", errors="replace")


MAX_LINES = MAX_CELLS + 10_000
"""A CSV file has a figure (or a symbol) a line, and a few lines more."""
MAX_LINE_CHARS = 1_000_000
"""A line of a PX-Web export with every heading variable in its columns is a few thousand
characters; beyond this a line is refused unread."""
# What str.splitlines breaks on, besides \r\n: counted before splitting, so a file of
# millions of empty lines is refused before a list of them is made.
_LINE_BREAKS = ("\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


class _Unreadable(Exception):
    """A line the csv module cannot split, or one too long to try."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _fields(line: str, delimiter: str, number: int) -> list[str]:
    if len(line) > MAX_LINE_CHARS:
        raise _Unreadable(
            number,
            f"line of {format_count(len(line))} characters; at most "
            f"{format_count(MAX_LINE_CHARS)} are read",
        )
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise _Unreadable(number, f"cannot split the line into fields ({exc})") from None


def parse_csv(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        return _fail(file, 0, f"not readable as UTF-8 text ({exc.reason})")
    breaks = sum(text.count(mark) for mark in _LINE_BREAKS) - text.count("\r\n")
    if breaks > MAX_LINES:
        return _fail(
            file,
            0,
            f"{format_count(breaks)} lines; a population file has at most "
            f"{format_count(MAX_LINES)}",
        )
    try:
        return _parse(file, text, names)
    except _Unreadable as exc:
        return _fail(file, exc.line, exc.message)


def _parse(file: str, text: str, names: dict[str, Code]) -> FileResult:
    lines = text.splitlines()
    title: list[str] = []
    header_at = -1
    delimiter = ","
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        counts = {d: len(_fields(line, d, index + 1)) for d in _DELIMITERS}
        delimiter = max(_DELIMITERS, key=lambda d: counts[d])
        if counts[delimiter] >= 2:
            header_at = index
            break
        first = _fields(line, ",", index + 1)
        title.append(first[0] if first else line)
    if header_at < 0:
        return _fail(file, 0, "no header line with columns (comma, semicolon or tab separated)")
    header = [h.strip() for h in _fields(lines[header_at], delimiter, header_at + 1)]
    rows = _rows(lines, header_at + 1, delimiter)
    if _is_plain(header):
        return _plain(file, header_at + 1, header, rows, names)
    return _pxweb(file, " ".join(title), header_at + 1, header, rows, names)


def _rows(lines: list[str], start: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line from `start`, split as they are read."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip():
            yield index + 1, _fields(line, delimiter, index + 1)


def _fail(file: str, line: int, message: str) -> FileResult:
    hint = (
        "expected a CSV file from SCB's Statistikdatabasen (table TAB638, formerly BE0101N1) "
        "or kommunkod;kommun;år;folkmängd"
    )
    return FileResult(problems=[Problem(file, line, message, hint=hint)])


# --- plain kommunkod;kommun;år;folkmängd --------------------------------------------------


# The plain file's columns, and the English words for them.
_PLAIN_ALIASES = {
    "municipality code": "kommunkod",
    "code": "kommunkod",
    "municipality": "kommun",
    "year": "år",
    "datum": "år",
    "date": "år",
    "population": "folkmängd",
}


def _plain_keys(header: list[str]) -> list[str]:
    keys = [norm(h) for h in header]
    return [_PLAIN_ALIASES.get(k, "folkmängd" if k.startswith("population") else k) for k in keys]


def _is_plain(header: list[str]) -> bool:
    keys = _plain_keys(header)
    return "kommunkod" in keys and any(k.startswith("folkmängd") for k in keys)


def _plain(
    file: str,
    header_line: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    names: dict[str, Code],
) -> FileResult:
    keys = _plain_keys(header)
    want = {"kommunkod": -1, "kommun": -1, "år": -1, "folkmängd": -1}
    for index, key in enumerate(keys):
        for name in want:
            if want[name] < 0 and key == name:
                want[name] = index
        if want["folkmängd"] < 0 and key.startswith("folkmängd"):
            want["folkmängd"] = index
    missing = [name for name in ("kommunkod", "år", "folkmängd") if want[name] < 0]
    if missing:
        return _fail(file, header_line, f"the header lacks the column(s) {', '.join(missing)}")
    result = FileResult()
    for line, fields in rows:
        if len(fields) != len(header):
            result.add(
                Problem(file, line, f"{len(fields)} fields where the header has {len(header)}")
            )
            continue
        code = fields[want["kommunkod"]].strip()
        if code.isdigit() and len(code) in (3, 4):
            code = code.zfill(4)  # a spreadsheet drops the leading zero of 0127
        else:
            result.add(Problem(file, line, f"kommunkod {shorten(code)!r} is not four digits"))
            continue
        when = fields[want["år"]].strip()
        date = parse_time(when)
        if date is None:
            result.add(Problem(file, line, f"år {shorten(when)!r} is not a year or date"))
            continue
        try:
            value = parse_count(fields[want["folkmängd"]])
        except BadValue as exc:
            result.add(Problem(file, line, f"folkmängd {exc}"))
            continue
        if value is None:
            continue
        name = fields[want["kommun"]].strip() if want["kommun"] >= 0 else ""
        result.figures.append(Figure(code, name, date, value, file, line))
    # The same municipality and date twice with different figures is a conflict even here.
    seen: dict[tuple[str, dt.date], Figure] = {}
    unique: list[Figure] = []
    for figure in result.figures:
        spot = (figure.code, figure.date)
        if spot in seen:
            if seen[spot].population != figure.population:
                result.add(
                    Problem(
                        file,
                        figure.line,
                        f"folkmängd for {figure.code} {figure.date} is given twice: "
                        f"{seen[spot].population} (line {seen[spot].line}) and {figure.population}",
                    )
                )
            continue
        seen[spot] = figure
        unique.append(figure)
    result.figures = unique
    return result


# --- PX-Web exports -----------------------------------------------------------------------


def _pxweb(
    file: str,
    title: str,
    header_line: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    names: dict[str, Code],
) -> FileResult:
    # Value columns: a time in the header, or (time as a stub column) a contents word.
    # A heading variable after the time (``Folkmängd 2019 män``) becomes a split "kolumn".
    value_cols: dict[int, tuple[str, str, str]] = {}  # column -> (contents, time, label)
    for index, name in enumerate(header):
        parts = split_time_parts(name)
        if parts is not None:
            before, time, after = parts
            if norm(before).startswith(_CONTENT_WORDS):
                value_cols[index] = (before, time, after)
            elif norm(after).startswith(_CONTENT_WORDS):
                value_cols[index] = (after, time, before)
            else:
                value_cols[index] = ("", time, " ".join(f"{before} {after}".split()))
        elif norm(name).startswith(_CONTENT_WORDS):
            value_cols[index] = (name, "", "")
    labelled = any(label for _, _, label in value_cols.values())
    if not value_cols:
        return _fail(
            file,
            header_line,
            "no column with a year or Folkmängd in the header " + shorten(repr(header), 200),
        )
    stub = [i for i in range(len(header)) if i not in value_cols]
    if not stub:
        return _fail(file, header_line, "no region column before the figures")
    keys = {i: norm(header[i]) for i in stub}
    region_col = next((i for i in stub if keys[i] in _REGION_HEADERS), stub[0])
    time_col = next((i for i in stub if keys[i] in _TIME_HEADERS), None)
    content_col = next((i for i in stub if keys[i] in _CONTENT_HEADERS), None)
    split_cols = [i for i in stub if i not in (region_col, time_col, content_col)]
    default_content = title if is_folkmangd(title) else ""

    cells: list[Cell] = []
    bad = FileResult()  # the problems, kept or counted
    for line, fields in rows:
        if len(fields) == 1:
            continue  # a footnote or source line after the table
        if len(fields) != len(header):
            bad.add(Problem(file, line, f"{len(fields)} fields where the header has {len(header)}"))
            continue
        region = _category(fields[region_col])
        row_time = fields[time_col].strip() if time_col is not None else ""
        row_content = fields[content_col].strip() if content_col is not None else ""
        splits = tuple((header[i], _category(fields[i])) for i in split_cols)
        if len(cells) + len(value_cols) > MAX_CELLS:
            return _fail(file, line, f"more than {format_count(MAX_CELLS)} figures in one file")
        for col, (col_content, col_time, label) in value_cols.items():
            time = col_time or row_time
            if not time:
                bad.add(Problem(file, header_line, f"no year for column {shorten(header[col])!r}"))
                return bad
            try:
                value = parse_count(fields[col])
            except BadValue as exc:
                bad.add(Problem(file, line, f"{shorten(header[col])}: {exc}"))
                continue
            content = col_content or row_content or default_content
            column = (("kolumn", Category("", label)),) if labelled else ()
            cells.append(Cell(region, time, content, splits + column, value, line))
    if bad.problems:
        return bad
    return figures_from_cells(cells, file=file, names=names)


def _category(text: str) -> Category:
    # CSV cells carry one text: "0127 Botkyrka", "0127" or "Botkyrka" for a region.
    return Category("", text.strip())
