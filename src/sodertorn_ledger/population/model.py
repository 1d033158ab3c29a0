"""Population figures as read from SCB's files, and the small vocabulary every format shares.

A file is first turned into `Cell`s (one data value with its coordinates: region, time,
contents, and any split such as sex or age); `cube.figures_from_cells` then applies the
fee rule's reading rules (Folkmängd only, total category or sum of parts) and yields
`Figure`s, one per (kommunkod, date).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sodertorn_ledger.problems import Problem

Code = str
"""SCB's region code: four digits for a kommun (``0127``), two for a län (``01``)."""


class Figure(NamedTuple):
    """One municipality's folkmängd on one date, and where it was read."""

    code: Code
    name: str
    """The municipality's name as the file writes it ('' when the file has only codes)."""
    date: dt.date
    population: int
    file: str
    line: int
    """1-based line (CSV, PX) or row (Excel) of the figure; 0 when the format has none (JSON)."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class PopulationTable:
    """(kommunkod, date) -> folkmängd, each figure with its source file."""

    __slots__ = ("figures", "files")

    def __init__(self) -> None:
        self.figures: dict[tuple[Code, dt.date], Figure] = {}
        self.files: list[str] = []
        """Every file read, in the order read."""

    def get(self, code: Code, date: dt.date) -> Figure | None:
        return self.figures.get((code, date))

    def dates(self) -> list[dt.date]:
        return sorted({date for _, date in self.figures})


class Category(NamedTuple):
    """One value of a variable: its code (may be '') and its label (may be '')."""

    code: str
    label: str

    @property
    def text(self) -> str:
        return self.label or self.code

    def is_total(self) -> bool:
        """SCB's total category of a split variable ("totalt", "totalt ålder", "1+2", ...)."""
        if self.code.strip().casefold() in _TOTAL_CODES:
            return True
        label = norm(self.label)
        return label in _TOTAL_LABELS or label.startswith(_TOTAL_PREFIXES)


_TOTAL_CODES = frozenset({"tot", "totalt", "total", "1+2", "t", "tot1"})
_TOTAL_LABELS = frozenset({"alla", "båda könen", "both sexes", "all", "män och kvinnor"})
_TOTAL_PREFIXES = ("totalt", "total", "samtliga", "alla ", "summa")


class Cell(NamedTuple):
    """One data value of a file, with its coordinates."""

    region: Category
    time: str
    """The time as written: ``2019``, ``2019M12``, ``2019K4``, ``2019-12-31``, ``31 dec 2019``."""
    content: str
    """The contents label (``Folkmängd``, ``Folkökning``); '' when the file does not say."""
    splits: tuple[tuple[str, Category], ...]
    """Every other variable (kön, ålder, civilstånd, ...) as (variable name, category)."""
    value: int | None
    """None: SCB's missing-value symbol (``..``)."""
    line: int


class FileResult:
    """What one file yields: its figures and its problems (each naming the file)."""

    __slots__ = ("figures", "problems")

    def __init__(
        self, figures: list[Figure] | None = None, problems: list[Problem] | None = None
    ) -> None:
        self.figures = [] if figures is None else figures
        self.problems = [] if problems is None else problems


def norm(text: str) -> str:
    """Case- and space-insensitive form of a label, for comparing SCB's wording."""
    return " ".join(text.split()).casefold()


def is_folkmangd(content: str) -> bool:
    """True for SCB's Folkmängd contents (not Folkökning, not Medelfolkmängd)."""
    text = norm(content)
    return text.startswith("folkmängd") or text.startswith("population")


# --- time ---------------------------------------------------------------------------------

_MONTHS_SV = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
TIME_PATTERN = (
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\.?\s+[a-zåäö]{3,9}\.?\s+\d{4}"
    r"|(?:19|20)\d{2}(?:M\d{2}|[KQ][1-4])?"
)
_TIME_RE = re.compile(rf"(?<![\w-])(?:{TIME_PATTERN})(?![\w-])", re.IGNORECASE)


def _month_end(year: int, month: int) -> dt.date:
    # The day before the first of the next month (the calendar module would add an import
    # to every `ledger fees`). Years come from TIME_PATTERN, 1900 to 2099.
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse_time(text: str) -> dt.date | None:
    """The date a figure refers to: a year means 31 December (SCB's folkmängd per year)."""
    text = " ".join(text.split())
    if m := re.fullmatch(r"((?:19|20)\d{2})", text):
        return dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})M(\d{2})", text, re.IGNORECASE):
        month = int(m[2])
        return _month_end(int(m[1]), month) if 1 <= month <= 12 else None
    if m := re.fullmatch(r"(\d{4})[KQ]([1-4])", text, re.IGNORECASE):
        return _month_end(int(m[1]), int(m[2]) * 3)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{1,2})\.?\s+([a-zåäö]{3,9})\.?\s+(\d{4})", text, re.IGNORECASE):
        month_no = _MONTHS_SV.get(m[2][:3].casefold())
        if month_no is None:
            return None
        try:
            return dt.date(int(m[3]), month_no, int(m[1]))
        except ValueError:
            return None
    return None


def split_time_parts(header: str) -> tuple[str, str, str] | None:
    """A column header with one time in it, as (text before, time, text after)."""
    found = list(_TIME_RE.finditer(header))
    if len(found) != 1:
        return None
    m = found[0]

    def clean(text: str) -> str:
        return " ".join(text.strip(" ,;:-").split())

    return clean(header[: m.start()]), m.group(0), clean(header[m.end() :])


def split_time(header: str) -> tuple[str, str] | None:
    """Split a column header such as ``Folkmängd 2019`` into (contents, time), if it has a time."""
    parts = split_time_parts(header)
    if parts is None:
        return None
    before, time, after = parts
    return " ".join(f"{before} {after}".split()), time


# --- values -------------------------------------------------------------------------------

MISSING_SYMBOLS = frozenset({".", "..", "...", "....", ".....", "......", ":", "x", "X"})
NIL_SYMBOLS = frozenset({"-", "–"})  # SCB: "inget finns att redovisa", i.e. zero
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


class BadValue(ValueError):
    """A data cell that is neither a whole number nor one of SCB's symbols."""


def parse_count(text: str, *, missing: frozenset[str] = MISSING_SYMBOLS) -> int | None:
    """A whole number as SCB writes it: ``94606``, ``94 606``, ``..`` (missing), ``-`` (none).

    Negative numbers are read (Folkökning can be negative); a negative folkmängd is refused
    by the reading rules.
    """
    if text.isdigit():  # the common case, fast: a big PX file has hundreds of thousands
        return int(text)
    raw = text.strip().strip('"').strip()
    if raw in missing or raw == "":
        return None
    if raw in NIL_SYMBOLS:
        return 0
    compact = raw.translate(_SPACES).replace(",", ".").replace("\u2212", "-")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise BadValue(raw) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise BadValue(raw)
    return int(number)


# --- regions ------------------------------------------------------------------------------

_CODE_RE = re.compile(r"\d{4}|\d{2}")
_CODE_NAME_RE = re.compile(r"(\d{4}|\d{2})\s+(\S.*)")


def resolve_region(region: Category, names: dict[str, Code]) -> tuple[Code, str] | None:
    """(kommunkod, name) of a region: by code where the file has one, else by exact name.

    A name that is no member's (another municipality, a län, Riket) gives None.
    """
    code = region.code.strip()
    label = " ".join(region.label.split())
    if m := _CODE_NAME_RE.fullmatch(label):
        label_code, name = m[1], m[2]
        return (code if _CODE_RE.fullmatch(code) else label_code), name
    if _CODE_RE.fullmatch(code):
        return code, "" if _CODE_RE.fullmatch(label) else label
    if _CODE_RE.fullmatch(label):
        return label, ""
    if label in names:
        return names[label], label
    return None
