"""Population figures as read from SCB's files, and the small vocabulary every format shares.

A file is first turned into `Cell`s (one data value with its coordinates: region, time,
contents, and any split such as sex or age); `cube.figures_from_cells` then applies the
fee rule's reading rules (Folkmängd only, total category or sum of parts) and yields
`Figure`s, one per (kommunkod, date).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from sodertorn_ledger.money import format_count
from sodertorn_ledger.problems import Problem, printable

Code = str
"""SCB's region code: four digits for a kommun (``0127``), two for a län (``01``)."""

# --- limits: the work done on any file is bounded, whatever it holds ---------------------

MAX_FILE_BYTES = 50 * 1024 * 1024
"""No population file is read beyond this many bytes (SCB's own are far smaller)."""
MAX_CELLS = 500_000
"""The most data values (cells) read from one file: a few times what SCB's API gives in one
download (150 000), and what one file's figures cost in memory stays bounded."""


def size_text(n: int) -> str:
    """A byte count for a message: ``52 MB``, ``3 kB``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"


def shorten(text: str, width: int = 60) -> str:
    """`text` cut to `width` characters for a message (a header may be a megabyte long)."""
    return text if len(text) <= width else text[: width - 1] + "…"


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
    place: str = ""
    """Where the figure is in a file without lines: the sheet and cell (``Totalt!D12``) or
    the JSON key path (``value[12]``); '' for a text file, whose line says it."""

    @property
    def where(self) -> str:
        """``FILE:LINE``, or ``FILE, PLACE`` for a workbook or JSON; safe to print (a file
        name, a sheet's name may hold control characters)."""
        where = printable(self.file)
        if self.place:
            return f"{where}, {printable(self.place)}"
        return f"{where}:{self.line}" if self.line else where


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
    place: str = ""
    """Where the value is in a file without lines (shown instead of the line): a sheet and
    cell (``'Tabell 1'!C6``) or a JSON key path (``value[12]``)."""


MAX_PROBLEMS_KEPT = 100
"""A file's problems kept to be shown (the loader shows fewer); the rest are counted."""


class FileResult:
    """What one file yields: its figures and its problems (each naming the file)."""

    __slots__ = ("figures", "omitted", "problems")

    def __init__(
        self, figures: list[Figure] | None = None, problems: list[Problem] | None = None
    ) -> None:
        self.figures = [] if figures is None else figures
        self.problems = [] if problems is None else problems
        self.omitted = 0
        """Problems counted but not kept (a broken file of half a million rows)."""

    def add(self, problem: Problem) -> None:
        """Keep `problem`, or past MAX_PROBLEMS_KEPT only count it."""
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)
        else:
            self.omitted += 1


def norm(text: str) -> str:
    """Case- and space-insensitive form of a label, for comparing SCB's wording."""
    return " ".join(text.split()).casefold()


def is_folkmangd(content: str) -> bool:
    """True for SCB's Folkmängd contents, in Swedish or English (``Folkmängd``,
    ``Population``, ``Folkmängden efter region …``, ``Population by region …``); not
    Folkökning, Medelfolkmängd, ``Population growth`` or ``Population density``."""
    text = norm(content)
    if not text.startswith(("folkmängd", "population")):
        return False
    return not any(word in _OTHER_CONTENTS for word in _words(text))


_OTHER_CONTENTS = frozenset(
    {
        "förändring",
        "ökning",
        "minskning",
        "täthet",
        "growth",
        "change",
        "increase",
        "decrease",
        "density",
        "average",
        "mean",
    }
)
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    """The words of a label, case-folded: ``Kvinnor 31 december`` → kvinnor, december."""
    return _WORD.findall(text.casefold())


# --- sex: SCB's two categories, in Swedish and English ------------------------------------

WOMEN = "kvinnor"
MEN = "män"
_SEX_WORDS = {
    "kvinnor": WOMEN,
    "kvinna": WOMEN,
    "women": WOMEN,
    "woman": WOMEN,
    "female": WOMEN,
    "females": WOMEN,
    "män": MEN,
    "man": MEN,
    "men": MEN,
    "male": MEN,
    "males": MEN,
}


def sex_of(text: str) -> str | None:
    """``kvinnor`` or ``män`` when a label names one sex (``Kvinnor 31 december``,
    ``Antal kvinnor per kommun``, ``women``), else None (``Folkmängd``, ``kön``, ``sex``,
    ``män och kvinnor``, which names both)."""
    found = {_SEX_WORDS[w] for w in _words(text) if w in _SEX_WORDS}
    return found.pop() if len(found) == 1 else None


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
MAX_COUNT = 100_000_000
"""The largest figure read: a hundred million is no municipality's (nor Sweden's) population."""
MAX_NUMBER_CHARS = 32
"""A number's text is refused unread beyond this length (the longest real one, a grouped
``100 000 000``, has 11 characters)."""
# Patterns of figures that are not plain digits, and of what is wrong with a figure: strings
# that `re` compiles (and keeps) the first time one is used, since most runs need none of
# them (compiled with the module they cost a population command about 1 ms at start).
_PLAIN = r"[-\u2212]?[0-9]+"
# Digit groups of three, one kind of blank throughout: space, NBSP, narrow NBSP, thin space.
_GROUPED = r"[-\u2212]?[0-9]{1,3}([ \u00a0\u202f\u2009])[0-9]{3}(?:\1[0-9]{3})*"
_BLANKS = str.maketrans("", "", " \u00a0\u202f\u2009")


class BadValue(ValueError):
    """A data value that is neither a whole number as SCB writes it nor one of its symbols:
    `text` as written (cut when long) and `reason`, what is wrong with it."""

    def __init__(self, text: str, reason: str = "is not a whole number") -> None:
        shown = shorten(text, 40)
        super().__init__(f"{shown!r} {reason}")
        self.text = shown
        self.reason = reason


def parse_count(text: str, *, missing: frozenset[str] = MISSING_SYMBOLS) -> int | None:
    """A whole number as SCB writes it: ``94606``, ``94 606``, ``..`` (missing), ``-`` (none).

    Only the digits 0–9, in groups of three or not grouped at all; no decimals, exponent,
    plus sign or other script's digits; at most `MAX_COUNT`. A minus is read (Folkökning
    can be negative); a negative folkmängd is refused by the reading rules.
    """
    if len(text) <= 8 and text.isdigit() and text.isascii():
        return int(text)  # the common case, fast: a big PX file has hundreds of thousands
    if len(text) > 2 * MAX_NUMBER_CHARS:  # checked before any work on the text
        raise BadValue(text, f"is too long for a number ({len(text)} characters)")
    raw = text.strip().strip('"').strip()
    if raw in missing or raw == "":
        return None
    if raw in NIL_SYMBOLS:
        return 0
    if len(raw) > MAX_NUMBER_CHARS:
        raise BadValue(raw, f"is too long for a number ({len(raw)} characters)")
    if not (re.fullmatch(_PLAIN, raw) or re.fullmatch(_GROUPED, raw)):
        raise BadValue(raw, _what_is_wrong(raw))
    number = int(raw.translate(_BLANKS).replace("\u2212", "-"))
    if number == 0 and not raw[0].isdigit():
        raise BadValue(raw, "has a sign on zero")
    if abs(number) > MAX_COUNT:
        limit = format_count(MAX_COUNT)
        raise BadValue(raw, f"is above {limit}: no municipality has that many inhabitants")
    return number


_EXPONENT = r"[-+\u2212]?[0-9 .,\u00a0\u202f\u2009]*[0-9][eE][-+\u2212]?[0-9]+"
_DECIMALS = r"[-\u2212]?[0-9 \u00a0\u202f\u2009]*[.,][0-9 .,\u00a0\u202f\u2009]*"
_GROUPS = r"[-\u2212]?[0-9][0-9 \u00a0\u202f\u2009]*"


def _what_is_wrong(raw: str) -> str:
    """Why `raw` is not a whole number as SCB writes it, in a few words."""
    odd = next((c for c in raw if c.isdigit() and not "0" <= c <= "9"), None)
    if odd is not None:  # superscripts, other scripts' digits
        return f"has {odd!r} (U+{ord(odd):04X}), which is not one of the digits 0–9"
    if raw.startswith("+"):
        return "has a plus sign: a figure is its digits alone"
    if re.fullmatch(_EXPONENT, raw):
        return "has an exponent: a figure is written out in digits"
    if re.fullmatch(_DECIMALS, raw):
        return (
            "has a decimal point or comma: a figure is a whole number, its digits "
            "grouped (if at all) by spaces"
        )
    if re.fullmatch(_GROUPS, raw):
        return "has digit groups that are not of three, or different blanks between them"
    return "is not a whole number"


# --- regions ------------------------------------------------------------------------------

_CODE_RE = re.compile(r"\d{4}|\d{2}")
_CODE_NAME_RE = re.compile(r"(\d{4}|\d{2})\s+(\S.*)")


def fold_names(names: dict[str, Code]) -> dict[str, Code]:
    """The members' names as `resolve_region` looks them up: case and blanks folded."""
    return {norm(name): code for name, code in names.items()}


def _member_named(label: str, folded: dict[str, Code]) -> Code | None:
    """The member a name is, as written (``Botkyrka``, ``BOTKYRKA``) or with SCB's suffix
    (``Botkyrka kommun``, ``Salems kommun``); None for any other region."""
    name = norm(label)
    if name in folded:
        return folded[name]
    if name.endswith(" kommun"):
        bare = name.removesuffix(" kommun")
        if bare in folded:
            return folded[bare]
        if bare.endswith("s") and bare[:-1] in folded:
            return folded[bare[:-1]]
    return None


def resolve_region(region: Category, folded: dict[str, Code]) -> tuple[Code, str] | None:
    """(kommunkod, name) of a region: by code where the file has one (``0127``,
    ``0127 Botkyrka``; ``01`` and ``00`` are a län and Riket), else by a member's name
    (`folded`, from `fold_names`).

    Any other region (another municipality by name, ``SE110 Stockholms län``) gives None.
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
    member = _member_named(label, folded)
    if member is not None:
        return member, label
    return None
