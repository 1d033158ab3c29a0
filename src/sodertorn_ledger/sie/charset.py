"""The characters of an SIE file: PC8 (code page 437), as read and as written.

Reading: a file is CP437 unless it is valid UTF-8 and not plain ASCII (programs that
say PC8 and write UTF-8 exist). CP437 gives every byte a character, so a stray Latin-1
byte still reads, as a box-drawing or Greek character: `latin1_suspect` finds those.
Writing: `to_pc8` turns any text into text CP437 can hold and lists every change.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

PC8 = "cp437"
UTF8 = "utf-8"
BOM = b"\xef\xbb\xbf"
REPLACEMENT = "\ufffd"
"""What a program writes in UTF-8 for a character it could not read."""

_CHUNK = 1 << 20

# Bytes whose CP437 character (box drawing, blocks, most Greek letters, ÷) has no place
# in bookkeeping text, but whose Latin-1 character is a Nordic or Western letter.
_LATIN1_SUSPECTS = frozenset(
    bytes([code]).decode(PC8)
    for code in (*range(0xB0, 0xE0), *range(0xE0, 0xF0), 0xF6, 0xFC)
    if code not in (0xE1, 0xE6)  # ß and µ are both CP437 and plausible
)
_LATIN1_SUSPECT = re.compile("[" + re.escape("".join(sorted(_LATIN1_SUSPECTS))) + "]")

_SUBSTITUTES = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2026": "...",
    "\u20ac": "EUR",
    "\u2022": "*",
    "\u00b4": "'",
    "\u02bc": "'",
    "\u2122": "TM",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u00d7": "x",
    "\u2030": "o/oo",
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space (Swedish digit groups)
    "\u2007": " ",
    "\u2002": " ",
    "\u2003": " ",
}


def is_utf8(data: bytes) -> bool:
    """True when `data` is valid UTF-8 (checked a piece at a time, so a big file is never
    held twice)."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def choose_encoding(data: bytes) -> str:
    """UTF-8 for a file that is valid UTF-8 and not plain ASCII; CP437 for any other."""
    if data.startswith(BOM) or (not data.isascii() and is_utf8(data)):
        return UTF8
    return PC8


def latin1_suspect(text: str) -> tuple[str, str] | None:
    """The first character of CP437-decoded `text` that is more likely a Latin-1 byte,
    with its Latin-1 reading: ``("┼", "Å")`` for byte 0xC5; None when there is none."""
    found = None if text.isascii() else _LATIN1_SUSPECT.search(text)
    if found is None:
        return None
    return found.group(), found.group().encode(PC8).decode("latin-1")


def _fits(text: str) -> bool:
    try:
        text.encode(PC8)
    except UnicodeEncodeError:
        return False
    return True


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


class Change(NamedTuple):
    """One character that PC8 cannot hold (or an SIE field may not), and what replaced it."""

    original: str
    replacement: str


def substitute(char: str) -> str:
    """What `char` becomes in a PC8 field: a control character (TAB, line break, …) a
    space; a character CP437 lacks its usual ASCII spelling (– -, € EUR), else its
    decomposition without accents (ł stays ?, ș s), else ``?``."""
    if _is_control(char):
        return " "
    if char in _SUBSTITUTES:
        return _SUBSTITUTES[char]
    parts = "".join(
        c for c in unicodedata.normalize("NFKD", char) if unicodedata.category(c) != "Mn"
    )
    if parts and parts != char and _fits(parts) and not any(_is_control(c) for c in parts):
        return parts
    return "?"


def to_pc8(text: str) -> tuple[str, list[Change]]:
    """`text` as CP437 can hold it with no control character, and every change made."""
    if (text.isascii() and text.isprintable()) or (
        _fits(text) and not any(_is_control(c) for c in text)
    ):
        return text, []
    out: list[str] = []
    changes: list[Change] = []
    for char in text:
        if not _is_control(char) and _fits(char):
            out.append(char)
            continue
        replacement = substitute(char)
        out.append(replacement)
        changes.append(Change(char, replacement))
    return "".join(out), changes
