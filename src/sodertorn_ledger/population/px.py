"""PC-Axis (.px) files as SCB's Statistikdatabasen writes them.

A PX file is a list of ``KEYWORD[lang]("variable")=value;`` statements, then ``DATA=``.
Facts of the format this reader relies on:
- ``CHARSET="ANSI"`` means Windows text; ``CODEPAGE`` names the encoding (``iso-8859-1``,
  ``windows-1252``, ``utf-8``); without CHARSET the file is DOS text (code page 850).
- ``STUB`` and ``HEADING`` list the variables; ``VALUES("var")`` their labels and
  ``CODES("var")`` their codes; ``CONTVARIABLE`` names the contents variable
  (tabellinnehåll) and ``TIMEVAL("var")`` the time variable.
- A list may continue over several lines; adjacent quoted strings are one string split
  over lines.
- ``DATA`` holds the values in row-major order over STUB then HEADING variables (the first
  stub variable varies slowest), separated by blanks; missing values are quoted dot
  symbols (``".."``).
"""

from __future__ import annotations

import codecs
import re
from itertools import product
from typing import NamedTuple

from sodertorn_ledger.money import format_count
from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    BadValue,
    Category,
    Cell,
    Code,
    FileResult,
    norm,
    parse_count,
    shorten,
)
from sodertorn_ledger.problems import Problem

_HINT = (
    "expected a PC-Axis file (.px) from SCB's Statistikdatabasen, table TAB638 (formerly BE0101N1)"
)


class PxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Token(NamedTuple):
    text: str
    quoted: bool
    line: int


class _Statement(NamedTuple):
    keyword: str
    language: str
    args: list[str]
    values: list[str]
    """Comma-separated items; adjacent quoted strings already joined."""
    tokens: list[_Token]
    line: int


def _encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    head = data[:4000].decode("latin-1")
    codepage = re.search(r'^\s*CODEPAGE\s*=\s*"([^"]+)"\s*;', head, re.MULTILINE)
    if codepage:
        name = codepage.group(1).strip()
        try:
            return codecs.lookup(name).name
        except LookupError:
            raise PxError(
                head[: codepage.start()].count("\n") + 1, f"unknown CODEPAGE {shorten(name)!r}"
            ) from None
    if re.search(r'^\s*CHARSET\s*=\s*"ANSI"\s*;', head, re.MULTILINE | re.IGNORECASE):
        return "cp1252"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp850"  # the format's DOS text
    return "utf-8"


MAX_TOKENS = 2 * MAX_CELLS
"""The most values (and statements) read from one PX file: the DATA's cells and the
metadata that labels them."""
_SPACE = re.compile(r"[ \t\r\n]*")
_KEY_CHARS = re.compile(r'[^"=;]*')


def _tokenize_statements(text: str) -> list[_Statement]:
    statements: list[_Statement] = []
    budget = MAX_TOKENS
    i, n, line = 0, len(text), 1
    while True:
        j = _end_of(_SPACE, text, i)
        line += text.count("\n", i, j)
        i = j
        if i >= n:
            break
        start_line = line
        # keyword part, up to '=' (quotes allowed inside the parenthesised arguments)
        while True:
            j = _end_of(_KEY_CHARS, text, j)
            if j >= n or text[j] == ";":
                at = start_line + text.count("\n", i, j)
                raise PxError(at, f"statement {shorten(text[i:j].strip(), 40)!r} has no '='")
            if text[j] == "=":
                break
            close = text.find('"', j + 1)  # a quoted argument: skip to its end
            if close < 0:
                raise PxError(start_line, "a quoted string is never closed")
            j = close + 1
            budget -= 1
            if budget < 0:
                raise _too_many(start_line)
        line += text.count("\n", i, j)
        key = text[i:j].strip()
        i = j + 1
        tokens: list[_Token] = []
        ended = False
        for m in _VALUE_TOKEN.finditer(text, i):
            kind = m.lastgroup
            if kind == "end":
                ended = True
                i = m.end()
                break
            if kind == "space":
                line += m.group("space").count("\n")
                continue
            budget -= 1
            if budget < 0:
                raise _too_many(line)
            if kind == "quoted":
                segment = m.group("quoted")
                tokens.append(_Token(segment, True, line))
                line += segment.count("\n")
            elif kind == "comma":
                tokens.append(_Token(",", False, line))
            elif kind == "open":
                raise PxError(line, "a quoted string is never closed")
            elif kind == "word":
                tokens.append(_Token(m.group("word"), False, line))
        if not ended:
            raise PxError(start_line, f"{shorten(key, 40)} is not ended by ';'")
        budget -= 1
        if budget < 0:
            raise _too_many(start_line)
        statements.append(_parse_key(key, tokens, start_line))
    return statements


def _end_of(run: re.Pattern[str], text: str, start: int) -> int:
    """Where a run of `run`'s characters that starts at `start` ends (it may be empty)."""
    m = run.match(text, start)
    return start if m is None else m.end()


def _too_many(line: int) -> PxError:
    return PxError(
        line, f"more than {format_count(MAX_TOKENS)} values: too large for a population file"
    )


_VALUE_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"|(?P<open>")|(?P<end>;)|(?P<comma>,)|(?P<space>[ \t\r\n]+)'
    r'|(?P<word>[^\s,;"]+)'
)
# Possessive blanks: with plain \s* the three runs of blanks share a long run between them
# in O(n³) ways before the match fails (2000 blanks took 17 s).
_KEY_RE = re.compile(
    r"([A-Za-z][A-Za-z0-9-]*+)\s*+(?:\[([^\]]*+)\])?\s*+(?:\((.*)\))?\s*+", re.DOTALL
)


def _parse_key(key: str, tokens: list[_Token], line: int) -> _Statement:
    m = _KEY_RE.fullmatch(key)
    if m is None:
        raise PxError(line, f"cannot read the keyword {shorten(key)!r}")
    args = re.findall(r'"([^"]*)"', m.group(3) or "")
    values: list[str] = []
    if m.group(1).upper() == "DATA":
        return _Statement("DATA", m.group(2) or "", args, values, tokens, line)
    current: str | None = None
    previous_quoted = False
    for token in tokens:
        if token.text == "," and not token.quoted:
            if current is not None:
                values.append(current)
            current = None
            previous_quoted = False
            continue
        if token.quoted and previous_quoted and current is not None:
            current += token.text  # one string continued on the next line
        else:
            current = token.text if current is None else current + " " + token.text
        previous_quoted = token.quoted
    if current is not None:
        values.append(current)
    return _Statement(m.group(1).upper(), m.group(2) or "", args, values, tokens, line)


def parse_px(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    try:
        return _parse(file, data, names)
    except PxError as exc:
        return FileResult(problems=[Problem(file, exc.line, exc.message, hint=_HINT)])
    except UnicodeDecodeError as exc:
        return FileResult(
            problems=[
                Problem(file, 0, f"text does not match its CODEPAGE ({exc.reason})", hint=_HINT)
            ]
        )


def _parse(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except LookupError:  # a CODEPAGE such as "rot13" or "zlib": a codec, but not of text
        raise PxError(1, f"CODEPAGE {encoding!r} is not a text encoding") from None
    statements = _tokenize_statements(text)
    # Only the file's main language: a keyword with [en] repeats metadata in another language.
    main = [s for s in statements if not s.language]
    single: dict[str, _Statement] = {}
    by_var: dict[tuple[str, str], _Statement] = {}
    for s in main:
        if s.args:
            by_var.setdefault((s.keyword, s.args[0]), s)
        else:
            single.setdefault(s.keyword, s)
    if "DATA" not in single:
        raise PxError(1, "no DATA keyword: this is not a complete PC-Axis file")
    if "KEYS" in {k for k, _ in by_var}:
        raise PxError(single["DATA"].line, "PX files with KEYS (sparse data) are not supported")
    stub = single["STUB"].values if "STUB" in single else []
    heading = single["HEADING"].values if "HEADING" in single else []
    variables = stub + heading
    if not variables:
        raise PxError(1, "no STUB or HEADING variables")
    categories: list[list[Category]] = []
    for var in variables:
        labels = by_var.get(("VALUES", var))
        if labels is None:
            raise PxError(1, f"no VALUES for the variable {shorten(var)!r}")
        codes = by_var.get(("CODES", var))
        code_list = codes.values if codes else [""] * len(labels.values)
        if len(code_list) != len(labels.values):
            raise PxError(
                codes.line if codes else labels.line,
                f"CODES({shorten(var)!r}) has {len(code_list)} items but VALUES has "
                f"{len(labels.values)}",
            )
        categories.append([Category(c, v) for c, v in zip(code_list, labels.values, strict=True)])

    missing = set(_missing_symbols(single))
    data_tokens = [t for t in single["DATA"].tokens if not (t.text == "," and not t.quoted)]
    expected = 1
    for cats in categories:
        expected *= len(cats)
    sizes = " × ".join(str(len(c)) for c in categories)
    if expected > MAX_CELLS:
        raise PxError(
            single["DATA"].line,
            f"the variables ({shorten(sizes)}) make {format_count(expected)} cells; at most "
            f"{format_count(MAX_CELLS)} are read from one file",
        )
    if len(data_tokens) != expected:
        raise PxError(
            single["DATA"].line,
            f"DATA has {len(data_tokens)} values; the variables ({shorten(sizes)}) need {expected}",
        )

    declared = single["CONTVARIABLE"].values if "CONTVARIABLE" in single else []
    content_var = declared[0] if declared else None
    time_vars = {v for (k, v) in by_var if k == "TIMEVAL"}
    time_var = next((v for v in variables if v in time_vars), None) or next(
        (v for v in variables if norm(v) in ("år", "tid", "månad", "kvartal", "year", "month")),
        None,
    )
    if time_var is None:
        raise PxError(1, "no time variable (TIMEVAL or år)")
    region_var = next(
        (v for v in variables if "region" in norm(v) or norm(v) in ("kommun", "municipality")),
        None,
    )
    if region_var is None:
        region_var = next((v for v in variables if v not in (time_var, content_var)), None)
    if region_var is None:
        raise PxError(1, "no region variable: only the time and the contents")
    default_content = ""
    for keyword in ("CONTENTS", "TITLE"):
        if keyword in single and single[keyword].values:
            default_content = single[keyword].values[0]
            break

    cells: list[Cell] = []
    bad = FileResult()  # the problems, kept or counted
    shared: dict[tuple[tuple[str, Category], ...], tuple[tuple[str, Category], ...]] = {}
    for token, combo in zip(data_tokens, product(*categories), strict=True):
        coordinates = dict(zip(variables, combo, strict=True))
        try:
            value = None if token.text in missing else parse_count(token.text)
        except BadValue as exc:
            bad.add(Problem(file, token.line, f"DATA value {exc}"))
            continue
        time_cat = coordinates[time_var]
        content = coordinates[content_var].label if content_var in coordinates else default_content
        splits = tuple(
            (var, cat)
            for var, cat in coordinates.items()
            if var not in (region_var, time_var, content_var)
        )
        splits = shared.setdefault(splits, splits)  # one tuple for many cells
        cells.append(
            Cell(
                coordinates[region_var],
                time_cat.code or time_cat.label,
                content,
                splits,
                value,
                token.line,
            )
        )
    if bad.problems:
        return bad
    return figures_from_cells(cells, file=file, names=names)


def _missing_symbols(single: dict[str, _Statement]) -> list[str]:
    symbols = [".", "..", "...", "....", ".....", "......", ":"]
    for n in range(1, 7):
        declared = single.get(f"DATASYMBOL{n}")
        if declared and declared.values:
            symbols.append(declared.values[0])
    return symbols
